"""Who may propose dates, answer, see the results and close a date poll (django-rules; registered by
meetings/rules.py). A poll is seen by whoever may see its meeting; anyone else gets a 404."""

import rules

from network.rules import is_active_member

from ..models import Meeting
from ..rules import has_member_profile, is_host_contact, is_staff, is_steering_meeting, sits_on_steering_group
from .selectors import steering_chair_ids


@rules.predicate
def chairs_steering_group(user) -> bool:
    """An active member who chairs the steering group today."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    return member is not None and member.is_active_member and member.pk in steering_chair_ids()


@rules.predicate
def awaits_date(user, meeting) -> bool:
    """Its host has accepted (or it has none to ask) and it has no date yet: dates may be proposed."""
    return meeting is not None and meeting.status == Meeting.Status.CONFIRMED


# The organisers of a meeting's date poll: its host contacts, the secretariat, and for the steering
# group's own meetings, its chair.
organises_meeting = is_staff | (is_active_member & is_host_contact) | (is_steering_meeting & chairs_steering_group)
rules.add_perm("meetings.propose_dates", organises_meeting & awaits_date)


@rules.predicate
def may_see_polls_meeting(user, poll) -> bool:
    return poll is not None and user.has_perm("meetings.view_meeting", poll.meeting)


@rules.predicate
def organises_polls_meeting(user, poll) -> bool:
    return poll is not None and organises_meeting.test(user, poll.meeting)


@rules.predicate
def is_invited_to_polls_meeting(user, poll) -> bool:
    """One of the meeting's invited: an active member; for a steering-group meeting, a seat."""
    if poll is None or not (is_active_member.test(user) and has_member_profile.test(user)):
        return False
    return not poll.meeting.is_restricted or sits_on_steering_group.test(user)


@rules.predicate
def poll_is_open(user, poll) -> bool:
    return poll is not None and poll.is_open


rules.add_perm("meetings.view_date_poll", may_see_polls_meeting)
rules.add_perm("meetings.answer_date_poll", may_see_polls_meeting & is_invited_to_polls_meeting & poll_is_open)
# Counts per slot and who answered what: for the organisers.
rules.add_perm("meetings.view_date_poll_results", may_see_polls_meeting & organises_polls_meeting)
rules.add_perm("meetings.close_date_poll", may_see_polls_meeting & organises_polls_meeting & poll_is_open)
