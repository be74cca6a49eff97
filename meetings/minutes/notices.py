"""The notice of the minutes, queued by meetings/minutes/services.py through the outbox:

- meeting_minutes_circulated: "the minutes of ... are circulated: comment by ..." to each participant
  of the meeting (meetings/reminders.py participants_to_tell), in her language, once per circulation
  (the version is in its key). The worker skips it when the minutes are no longer open for comments
  by then, or were circulated again with another deadline (that circulation has its own notice).

And one reminder, found by the sweep:
- meeting_minutes_comments_closed: "the deadline has passed, N comments: approve them" to who
  writes the minutes (the host contacts; a steering-group meeting's seats), once per deadline, from
  the deadline on and for two weeks, while they are still circulated (optional).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, QuerySet

from meetings.selectors import host_contacts, steering_members
from network.models import Delivery, Member
from network.outbox.worker import Due, notice_kind, object_key_of, reminder_kind

from ..models import Minutes

circulated = notice_kind("meeting_minutes_circulated", template="meetings/minutes_circulated")


@circulated.context
def _(delivery: Delivery) -> dict:
    minutes = delivery.obj
    return {"minutes": minutes, "meeting": minutes.meeting, "deadline": minutes.comment_deadline}


@circulated.still_valid
def _(delivery: Delivery, now: datetime.datetime) -> bool:
    minutes = delivery.obj
    deadline = minutes.comment_deadline
    return (
        minutes.status == Minutes.Status.CIRCULATED
        and deadline is not None
        and now <= deadline
        and deadline.isoformat() == delivery.context.get("deadline")
    )


# --- To who writes them: the comments are in ----------------------------------------------------------

CLOSED_WINDOW = datetime.timedelta(days=14)  # later than this, the reminder is not worth sending


def writers(minutes: Minutes) -> QuerySet[Member]:
    """Who approves them: the host contacts; a steering-group meeting's seats (it may have no host)."""
    meeting = minutes.meeting
    return steering_members() if meeting.is_restricted else host_contacts(meeting)


@reminder_kind("meeting_minutes_comments_closed", template="meetings/minutes_comments_closed", optional=True)
def comments_closed(now: datetime.datetime) -> Iterator[Due]:
    """Once per deadline, from the deadline on, while the minutes wait for approval."""
    waiting = Minutes.objects.filter(
        status=Minutes.Status.CIRCULATED, comment_deadline__lte=now, comment_deadline__gt=now - CLOSED_WINDOW
    ).select_related("meeting")
    for minutes in waiting:
        deadline = minutes.comment_deadline
        key = f"{object_key_of(minutes)}@closed-{deadline.isoformat()}"
        told = Delivery.objects.filter(recipient=OuterRef("pk"), kind="meeting_minutes_comments_closed", object_key=key)
        for member in writers(minutes).filter(~Exists(told)).select_related("user"):
            yield Due(
                obj=minutes,
                object_key=key,
                recipient=member,
                due_at=deadline,
                expires_at=deadline + CLOSED_WINDOW,
                context={"deadline": deadline.isoformat()},
            )


@comments_closed.still_valid
def _(delivery: Delivery, now: datetime.datetime) -> bool:
    minutes = delivery.obj
    deadline = minutes.comment_deadline
    return (
        minutes.status == Minutes.Status.CIRCULATED
        and deadline is not None
        and deadline.isoformat() == delivery.context.get("deadline")
    )


@comments_closed.context
def _(delivery: Delivery) -> dict:
    minutes = delivery.obj
    return {"minutes": minutes, "meeting": minutes.meeting, "comments": minutes.comments.count()}
