"""Who may do what with a meeting. Permission names avoid Django's model permissions
(`change_meeting`, ...), which the admin checks for staff."""

import rules

from network.rules import is_active_member, is_staff_with_mfa

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
rules.add_perm("meetings.host_meeting", is_staff | (is_active_member & is_host_contact))
rules.add_perm("meetings.plan_rotation", is_staff)


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
