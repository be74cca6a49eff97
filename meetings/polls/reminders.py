"""The mail of date polls (registered by meetings/reminders.py with the outbox, network/outbox/worker.py).

- meeting_date_poll_opened (a notice, services.date_poll_open): "please answer", to every invited member;
- meeting_date_poll_reminder (a reminder kind, found by the sweep): once, `REMINDER_OFFSETS
  ["meeting_date_poll_reminder"]` before the last day to answer, only to the invited who have not
  answered; the key has no moment in it, so a member is reminded once per poll, whatever happens.
Both are skipped by the worker once the poll is closed, its deadline has passed or its meeting got
its date another way; the reminder also when she has answered in the meantime.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef

from network.models import Delivery
from network.outbox.worker import Due, notice_kind, object_key_of, reminder_kind, reminder_offset

from ..models import Meeting
from .models import DatePoll, DatePollAnswer
from .selectors import answering_open, poll_non_responders


def _context(delivery: Delivery) -> dict:
    poll = delivery.obj
    return {"poll": poll, "meeting": poll.meeting, "slots": list(poll.slots.all())}


def _still_open(delivery: Delivery, now: datetime.datetime) -> bool:
    return answering_open(delivery.obj, now=now)


opened = notice_kind("meeting_date_poll_opened", template="meetings/date_poll_opened")
opened.context(_context)
opened.still_valid(_still_open)


def reminder_key(poll: DatePoll) -> str:
    return f"{object_key_of(poll)}@reminder"


@reminder_kind("meeting_date_poll_reminder", template="meetings/date_poll_reminder", optional=True)
def reminder(now: datetime.datetime) -> Iterator[Due]:
    offset = reminder_offset("meeting_date_poll_reminder")
    polls = DatePoll.objects.filter(
        status=DatePoll.Status.OPEN,
        meeting__status=Meeting.Status.CONFIRMED,
        answers_until__gt=now,
        answers_until__lte=now + offset,
    ).select_related("meeting")
    for poll in polls:
        key = reminder_key(poll)
        told = Delivery.objects.filter(recipient=OuterRef("pk"), kind="meeting_date_poll_reminder", object_key=key)
        for member in poll_non_responders(poll).filter(~Exists(told)).select_related("user"):
            yield Due(
                obj=poll,
                object_key=key,
                recipient=member,
                due_at=max(poll.answers_until - offset, poll.created_at),
                expires_at=poll.answers_until,
            )


reminder.context(_context)


@reminder.still_valid
def _(delivery: Delivery, now: datetime.datetime) -> bool:
    answered = DatePollAnswer.objects.filter(slot__poll_id=delivery.object_id, member_id=delivery.recipient_id)
    return _still_open(delivery, now) and not answered.exists()
