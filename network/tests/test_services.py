import datetime
import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from network import selectors, services
from network.models import Delivery, LeadershipTerm, Member
from network.rules import is_active_member
from network.tests.factories import (
    ApplicantFactory,
    InstitutionFactory,
    LeadershipTermFactory,
    MemberFactory,
    StaffUserFactory,
    SteeringGroupSeatFactory,
)

pytestmark = pytest.mark.django_db


def test_member_approve_emails_applicant_in_her_language_after_commit(
    mailoutbox, staff_user, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory(language="en")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.member_approve(member=applicant, by=staff_user, note="Welcome")
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    applicant.refresh_from_db()
    assert applicant.status == Member.Status.APPROVED
    assert applicant.decided_by == staff_user and applicant.decision_note == "Welcome"
    [mail] = mailoutbox
    assert mail.to == [applicant.user.email]
    assert mail.alternatives[0][1] == "text/html" and 'lang="en"' in mail.alternatives[0][0]
    assert "Welcome" in mail.body


def test_member_approve_refuses_her_own_application(mailoutbox, django_capture_on_commit_callbacks):
    staff_applicant = ApplicantFactory(user=StaffUserFactory())
    with (
        django_capture_on_commit_callbacks(execute=True),
        translation.override("en"),
        pytest.raises(services.MembershipError, match="your own application"),
    ):
        services.member_approve(member=staff_applicant, by=staff_applicant.user)
    staff_applicant.refresh_from_db()
    assert staff_applicant.status == Member.Status.APPLICANT
    assert mailoutbox == []


def test_member_approve_refuses_non_staff_and_decided(member, staff_user):
    applicant = ApplicantFactory()
    with pytest.raises(services.MembershipError):
        services.member_approve(member=applicant, by=member.user)
    with translation.override("en"), pytest.raises(services.MembershipError, match="already been decided"):
        services.member_reject(member=member, by=staff_user)
    member.refresh_from_db()
    assert member.status == Member.Status.APPROVED


def test_member_mark_verified_twice_notifies_secretariat_once(mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SECRETARIAT_EMAILS = ["a@kloss-net.se", "b@kloss-net.se"]
    member = ApplicantFactory(status=Member.Status.UNVERIFIED, user__email="x@gmail.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.member_mark_verified(user=member.user)
        services.member_mark_verified(user=member.user)
    member.refresh_from_db()
    assert member.status == Member.Status.APPLICANT
    # One delivery (and one message) per address, each with its own row to retry or send again.
    assert sorted(mail.to[0] for mail in mailoutbox) == ["a@kloss-net.se", "b@kloss-net.se"]
    assert all(len(mail.to) == 1 for mail in mailoutbox)
    rows = Delivery.objects.filter(kind="application_received", object_id=member.pk)
    assert sorted(rows.values_list("recipient_email", "status")) == [
        ("a@kloss-net.se", "sent"),
        ("b@kloss-net.se", "sent"),
    ]
    # the secretariat gets the default language
    assert all("e-postdomänen tillhör inget medlemslärosäte" in mail.body for mail in mailoutbox)


def test_member_leave_ends_access_at_once_and_keeps_history(member):
    seat = SteeringGroupSeatFactory(member=member, starts_on=datetime.date(2024, 1, 1))
    services.member_leave(member=member)
    member.refresh_from_db()
    seat.refresh_from_db()
    assert not is_active_member(member.user)
    assert member.status == Member.Status.LEFT and member.left_at
    assert seat.ends_on == timezone.localdate()
    assert member.history.count() >= 2


def test_member_leave_refuses_applicant():
    with pytest.raises(services.MembershipError):
        services.member_leave(member=ApplicantFactory())


def test_institution_leave_takes_access_from_its_members(member):
    services.institution_leave(institution=member.institution, on=timezone.localdate())
    member.refresh_from_db()
    assert not is_active_member(member.user)
    assert not Member.objects.active().filter(pk=member.pk).exists()
    services.institution_join(institution=member.institution, on=timezone.localdate())
    member.refresh_from_db()
    assert is_active_member(member.user)


def test_institution_leave_before_joining_is_refused():
    institution = InstitutionFactory(joined_on=datetime.date(2020, 1, 1))
    with pytest.raises(services.MembershipError):
        services.institution_leave(institution=institution, on=datetime.date(2019, 1, 1))


def test_leadership_term_create_refuses_overlap():
    kth = InstitutionFactory(short_name="KTH")
    services.leadership_term_create(
        institution=kth, starts_on=datetime.date(2017, 3, 8), ends_on=datetime.date(2019, 12, 31)
    )
    with translation.override("en"), pytest.raises(services.MembershipError, match="overlaps"):
        services.leadership_term_create(institution=InstitutionFactory(), starts_on=datetime.date(2019, 12, 31))
    services.leadership_term_create(institution=InstitutionFactory(), starts_on=datetime.date(2020, 1, 1))
    with translation.override("en"), pytest.raises(services.MembershipError, match="overlaps"):
        services.leadership_term_create(
            institution=kth, starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2031, 1, 1)
        )
    assert LeadershipTerm.objects.count() == 2


def test_leadership_term_overlap_refused_by_postgres_constraint(require_postgres):
    LeadershipTermFactory(starts_on=datetime.date(2017, 3, 8), ends_on=datetime.date(2019, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadershipTerm.objects.create(
            institution=InstitutionFactory(), starts_on=datetime.date(2018, 1, 1), ends_on=datetime.date(2018, 6, 1)
        )


def test_leadership_term_ending_before_start_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadershipTermFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2019, 1, 1))


def test_current_lead_is_the_term_running_today():
    LeadershipTermFactory(starts_on=datetime.date(2017, 3, 8), ends_on=datetime.date(2019, 12, 31))
    today = timezone.localdate()
    running = LeadershipTermFactory(starts_on=today - datetime.timedelta(days=10), ends_on=None)
    assert selectors.current_lead() == running


def test_steering_seat_create_refuses_second_chair(member):
    services.steering_seat_create(member=member, role="chair", starts_on=datetime.date(2024, 1, 1))
    with pytest.raises(services.MembershipError):
        services.steering_seat_create(member=MemberFactory(), role="chair", starts_on=datetime.date(2025, 1, 1))


def test_member_personal_data_holds_everything_about_her(member):
    SteeringGroupSeatFactory(member=member)
    data = json.loads(json.dumps(selectors.member_personal_data(member.user)))
    assert data["account"]["email"] == member.user.email
    assert data["account"]["first_name"] == member.user.first_name
    assert data["member"]["title"] == member.title
    assert data["member"]["privacy_version"] == member.privacy_version
    assert data["member"]["steering_group_seats"][0]["role"] == "member"
    assert data["member"]["history"]


def test_account_delete_anonymises_and_keeps_history(member, staff_user):
    applicant = ApplicantFactory(phone="070-123 45 67")
    services.member_approve(member=applicant, by=staff_user)
    name, email = applicant.user.last_name, applicant.user.email
    services.account_delete(user=applicant.user)
    applicant.refresh_from_db()
    user = applicant.user
    assert user.email.endswith("@deleted.invalid") and not user.first_name and not user.last_name
    assert not user.is_active and not user.has_usable_password()
    assert applicant.title == "" and applicant.phone == ""
    assert applicant.status == Member.Status.LEFT
    assert applicant.decided_by == staff_user  # the decision stays
    assert applicant.history.count() >= 3
    assert not applicant.history.exclude(phone="").exists()
    assert not Member.objects.filter(user__email=email).exists()
    assert name not in json.dumps(selectors.member_personal_data(user))
