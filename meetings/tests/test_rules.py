import datetime

import pytest
import rules
from django.utils import timezone

from meetings import rules as meeting_rules
from meetings.models import Meeting
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


# --- What may be done next: state predicates and the permissions the templates ask ---------------

ALL_STATUSES = [value for value, _label in Meeting.Status.choices]
# Each permission a page asks about a meeting, and the statuses in which it holds for a host.
NEXT_STEPS = {
    "meetings.answer_hosting": {"proposed"},
    "meetings.decide_hosting": {"proposed", "confirmed"},
    "meetings.schedule_meeting": {"confirmed", "scheduled"},
    "meetings.edit_agenda": {"confirmed", "scheduled"},
    "meetings.upload_document": {"proposed", "confirmed", "scheduled", "held", "minutes_published"},
    "meetings.mark_held": {"scheduled"},
    "meetings.publish_minutes": {"held"},
    "meetings.cancel_meeting": {"proposed", "confirmed", "scheduled"},
    "meetings.mark_attendance": {"held", "minutes_published"},
}


@pytest.mark.parametrize(
    "predicate, statuses",
    [
        (meeting_rules.awaits_host_answer, {"proposed"}),
        (meeting_rules.hosting_open, {"proposed", "confirmed"}),
        (meeting_rules.being_prepared, {"confirmed", "scheduled"}),
        (meeting_rules.is_scheduled, {"scheduled"}),
        (meeting_rules.is_held, {"held"}),
        (meeting_rules.has_been_held, {"held", "minutes_published"}),
        (meeting_rules.may_be_cancelled, {"proposed", "confirmed", "scheduled"}),
        (meeting_rules.is_cancelled, {"cancelled"}),
        (meeting_rules.past_planning, {"scheduled", "held", "minutes_published", "cancelled"}),
    ],
    ids=lambda p: getattr(p, "name", ""),
)
def test_state_predicate_holds_in_its_statuses_only(predicate, statuses):
    """A state predicate reads the meeting alone: the same answer for anyone, or nobody, asking."""
    held = {status for status in ALL_STATUSES if predicate(None, Meeting(status=status))}
    assert held == statuses
    assert not predicate(None, None)


@pytest.mark.parametrize("permission", sorted(NEXT_STEPS))
def test_host_may_take_each_next_step_in_its_statuses_only(permission):
    meeting = MeetingFactory(status=Meeting.Status.PROPOSED)
    host = MemberFactory(institution=meeting.host).user
    other = MemberFactory().user
    allowed = set()
    for status in ALL_STATUSES:
        meeting.status = status
        if host.has_perm(permission, meeting):
            allowed.add(status)
        assert not other.has_perm(permission, meeting)  # a member of another institution: never
    assert allowed == NEXT_STEPS[permission]


def test_staff_takes_the_next_steps_without_hosting_but_not_without_a_second_factor(staff_user):
    meeting = MeetingFactory(status=Meeting.Status.HELD)
    assert staff_user.has_perm("meetings.publish_minutes", meeting)
    assert not staff_user.has_perm("meetings.mark_held", meeting)  # held already: the state decides
    assert not StaffUserFactory().has_perm("meetings.publish_minutes", meeting)


def test_decisions_are_shown_from_scheduling_on_to_those_who_see_the_meeting():
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    member = MemberFactory().user
    assert not member.has_perm("meetings.view_decisions", meeting)
    meeting.status = Meeting.Status.SCHEDULED
    assert member.has_perm("meetings.view_decisions", meeting)
    assert not ApplicantFactory().user.has_perm("meetings.view_decisions", meeting)


def test_registration_closed_once_the_deadline_has_passed_for_a_scheduled_meeting():
    now = timezone.now()
    scheduled = Meeting(status=Meeting.Status.SCHEDULED, starts_at=now + datetime.timedelta(days=3))
    assert not rules.test_rule("meetings.registration_closed", scheduled)
    scheduled.registration_deadline = now - datetime.timedelta(hours=1)
    assert rules.test_rule("meetings.registration_closed", scheduled)
    assert not rules.test_rule("meetings.registration_closed", Meeting(status=Meeting.Status.HELD))
    assert not rules.test_rule("meetings.registration_closed", Meeting(status=Meeting.Status.CANCELLED))
