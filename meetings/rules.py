"""Who may do what with a meeting. Permission names avoid Django's model permissions
(`change_meeting`, ...), which the admin checks for staff."""

import rules
from django.utils import timezone

from network.rules import is_active_member, is_staff_with_mfa

from .models import Meeting
from .selectors import steering_member_ids


@rules.predicate
def is_host_contact(user, meeting) -> bool:
    """An approved, active member of the institution hosting this meeting."""
    if meeting is None or meeting.host_id is None or not user.is_authenticated:
        return False
    member = getattr(user, "member", None)
    return member is not None and member.institution_id == meeting.host_id and member.is_active_member


@rules.predicate
def has_member_profile(user) -> bool:
    """She has a Member row (staff may not: the secretariat changes answers in the admin)."""
    return user.is_authenticated and getattr(user, "member", None) is not None


@rules.predicate
def is_steering_meeting(user, meeting) -> bool:
    return meeting is not None and meeting.kind == "steering"


@rules.predicate
def sits_on_steering_group(user) -> bool:
    """An active member with a current seat on the steering group (read once per request)."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    return member is not None and member.is_active_member and member.pk in steering_member_ids()


is_staff = is_staff_with_mfa  # staff rights need a second factor in the session

rules.add_perm("meetings.view_meetings", is_active_member)
# A meeting's page, documents, .ics and answer: steering-group meetings for its seats and the
# secretariat only (anyone else gets a 404); every other meeting for every member.
may_see_meeting = is_active_member & (~is_steering_meeting | is_staff | sits_on_steering_group)
rules.add_perm("meetings.view_meeting", may_see_meeting)
# Steering-group meetings (and their decisions, actions, documents) in lists, feeds and registers.
rules.add_perm("meetings.view_steering_meetings", is_staff | sits_on_steering_group)
rules.add_perm("meetings.rsvp", is_active_member & has_member_profile)
# Accept or decline hosting, schedule, agenda, documents, participant list.
may_host = is_staff | (is_active_member & is_host_contact)
rules.add_perm("meetings.host_meeting", may_host)
rules.add_perm("meetings.plan_rotation", is_staff)


# --- What may be done next with a meeting ----------------------------------------------------------
# State predicates read the meeting alone, never who asks; the permissions combine them with who may
# host, so a template asks `{% has_perm "meetings.publish_minutes" user meeting as can_publish %}`
# instead of spelling the status machine (meetings/services.py refuses the same moves). A permission
# depends on who asks: a template evaluates it outside any fragment cached for several users.
Status = Meeting.Status


def _status_is(name: str, *statuses: str):
    def test(user, meeting) -> bool:
        return meeting is not None and meeting.status in statuses

    return rules.predicate(test, name=name)


awaits_host_answer = _status_is("awaits_host_answer", Status.PROPOSED)
hosting_open = _status_is("hosting_open", Status.PROPOSED, Status.CONFIRMED)  # accept or decline
being_prepared = _status_is("being_prepared", Status.CONFIRMED, Status.SCHEDULED)  # date, place, agenda
is_scheduled = _status_is("is_scheduled", Status.SCHEDULED)
is_held = _status_is("is_held", Status.HELD)
has_been_held = _status_is("has_been_held", Status.HELD, Status.MINUTES_PUBLISHED)
may_be_cancelled = _status_is("may_be_cancelled", Status.PROPOSED, Status.CONFIRMED, Status.SCHEDULED)
is_cancelled = _status_is("is_cancelled", Status.CANCELLED)
past_planning = _status_is(  # from scheduling on: decisions and actions have a place
    "past_planning", Status.SCHEDULED, Status.HELD, Status.MINUTES_PUBLISHED, Status.CANCELLED
)

rules.add_perm("meetings.answer_hosting", may_host & awaits_host_answer)  # the request waits for her answer
rules.add_perm("meetings.decide_hosting", may_host & hosting_open)  # accept, or decline while not scheduled
rules.add_perm("meetings.schedule_meeting", may_host & being_prepared)
rules.add_perm("meetings.edit_agenda", may_host & being_prepared)
rules.add_perm("meetings.upload_document", may_host & ~is_cancelled)
rules.add_perm("meetings.mark_held", may_host & is_scheduled)
rules.add_perm("meetings.publish_minutes", may_host & is_held)
rules.add_perm("meetings.cancel_meeting", may_host & may_be_cancelled)
rules.add_perm("meetings.mark_attendance", may_host & has_been_held)
rules.add_perm("meetings.view_decisions", may_see_meeting & past_planning)


@rules.predicate
def registration_closed(meeting) -> bool:
    """Scheduled, and the registration deadline (or else the start) has passed: a change of answer goes
    through the secretariat. A state of the meeting (and the clock), the same for everyone who asks:
    `{% test_rule "meetings.registration_closed" meeting as closed %}` may be asked inside a fragment."""
    if meeting is None or meeting.status != Status.SCHEDULED:
        return False
    deadline = meeting.registration_deadline or meeting.starts_at
    return deadline is None or timezone.now() > deadline


rules.add_rule("meetings.registration_closed", registration_closed)


# --- Decisions and actions -----------------------------------------------------------------------


@rules.predicate
def is_action_owner(user, action) -> bool:
    """The member who owns the action, or an active member of the institution that owns it."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    if action is None or member is None or not member.is_active_member:
        return False
    if action.owner_member_id is not None:
        return action.owner_member_id == member.pk
    return action.owner_institution_id == member.institution_id


@rules.predicate
def may_record_at_actions_meeting(user, action) -> bool:
    return action is not None and user.has_perm("meetings.record_decisions", action.meeting)


# Record and edit a meeting's decisions and actions: its host contacts and the secretariat, and the
# steering group's seats at its own meetings.
rules.add_perm(
    "meetings.record_decisions",
    is_staff | (is_active_member & is_host_contact) | (is_steering_meeting & sits_on_steering_group),
)
# Mark an action done or dropped (or open again): whoever may record, and its owner.
rules.add_perm("meetings.update_action", may_record_at_actions_meeting | is_action_owner)


# Date polls (meetings/polls/rules.py): imported here so that the rules autodiscovery registers them.
# --- Minutes (meetings/minutes/rules.py registers them) -----------------------------------------
from .minutes import rules as minutes_rules  # noqa: E402, F401
from .polls import rules as _date_poll_rules  # noqa: E402,F401
