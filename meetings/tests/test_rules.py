import pytest
import rules

from meetings.rules import is_host_contact
from meetings.tests.factories import MeetingFactory
from network.models import Member
from network.tests.factories import ApplicantFactory, MemberFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def test_host_contact_is_approved_member_of_host():
    meeting = MeetingFactory()
    assert is_host_contact(MemberFactory(institution=meeting.host).user, meeting)
    assert not is_host_contact(MemberFactory().user, meeting)


def test_applicant_of_host_institution_is_not_host_contact():
    meeting = MeetingFactory()
    applicant = ApplicantFactory(institution=meeting.host)
    assert not is_host_contact(applicant.user, meeting)
    assert not applicant.user.has_perm("meetings.host_meeting", meeting)


def test_member_who_left_is_not_host_contact():
    meeting = MeetingFactory()
    member = MemberFactory(institution=meeting.host, status=Member.Status.LEFT)
    assert not member.user.has_perm("meetings.host_meeting", meeting)


def test_staff_may_host_and_plan(staff_user):
    meeting = MeetingFactory()
    assert staff_user.has_perm("meetings.host_meeting", meeting)
    assert staff_user.has_perm("meetings.plan_rotation")
    assert not MemberFactory().user.has_perm("meetings.plan_rotation")


def test_staff_without_second_factor_may_not_host_or_plan():
    staff = StaffUserFactory()  # a superuser too: Django's "superusers have every permission" does not apply
    meeting = MeetingFactory()
    assert not staff.has_perm("meetings.host_meeting", meeting)
    assert not staff.has_perm("meetings.plan_rotation")


def test_meeting_without_host_has_no_host_contact():
    meeting = MeetingFactory(host=None)
    assert not is_host_contact(MemberFactory().user, meeting)


def test_rsvp_needs_a_member_profile():
    """Staff pass as members for reading, but without a Member row they have no answer to give.
    (The rule itself: Django lets a superuser's has_perm pass before any rule is asked.)"""
    assert rules.has_perm("meetings.rsvp", MemberFactory().user)
    assert not rules.has_perm("meetings.rsvp", StaffUserFactory())
    assert rules.has_perm("meetings.rsvp", MemberFactory(user=StaffUserFactory()).user)
