import pytest
from django.contrib.auth.models import AnonymousUser

from network import rules as network_rules
from network.models import Member
from network.tests.factories import ApplicantFactory, InstitutionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_is_active_member_only_for_approved_of_current_institution(member, applicant, staff_user):
    assert network_rules.is_active_member(member.user)
    assert network_rules.is_active_member(staff_user)
    assert not network_rules.is_active_member(applicant.user)
    assert not network_rules.is_active_member(AnonymousUser())
    for status in [Member.Status.REJECTED, Member.Status.LEFT, Member.Status.UNVERIFIED]:
        assert not network_rules.is_active_member(MemberFactory(status=status).user)
    import datetime

    former = InstitutionFactory(joined_on=datetime.date(2017, 1, 1), left_on=datetime.date(2020, 1, 1))
    assert not network_rules.is_active_member(MemberFactory(institution=former).user)


def test_view_member_profile_only_active_profiles(member):
    other = MemberFactory()
    assert member.user.has_perm("network.view_member_profile", other)
    assert not member.user.has_perm("network.view_member_profile", ApplicantFactory())
    assert not ApplicantFactory().user.has_perm("network.view_member_profile", other)


def test_edit_own_profile_for_applicant_and_member_not_rejected(member, applicant):
    assert member.user.has_perm("network.edit_own_profile")
    assert applicant.user.has_perm("network.edit_own_profile")
    assert not MemberFactory(status=Member.Status.REJECTED).user.has_perm("network.edit_own_profile")


def test_decide_application_staff_but_not_own(staff_user, member):
    own = ApplicantFactory(user=staff_user)
    assert network_rules.is_staff(staff_user)
    assert network_rules.is_own_member(staff_user, own)
    assert not network_rules.is_own_member(staff_user, member)
    assert not member.user.has_perm("network.view_applications")
