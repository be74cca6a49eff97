"""The meeting page's date poll panel (meetings/polls/): asked live, never inside a cached fragment
(what it offers depends on who asks). A meeting that is not awaiting its date costs no query."""

from django import template

from ..models import Meeting
from ..polls.selectors import open_poll_of

register = template.Library()


@register.inclusion_tag("meetings/polls/_meeting_date_poll.html", takes_context=True)
def date_poll_panel(context, meeting: Meeting) -> dict:
    if meeting.status != Meeting.Status.CONFIRMED:
        return {}
    user = context["user"]
    poll = open_poll_of(meeting)
    return {
        "meeting": meeting,
        "poll": poll,
        "can_propose": poll is None and user.has_perm("meetings.propose_dates", meeting),
        "can_answer": poll is not None and user.has_perm("meetings.answer_date_poll", poll),
    }
