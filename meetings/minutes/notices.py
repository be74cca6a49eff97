"""The notice of the minutes, queued by meetings/minutes/services.py through the outbox:

- meeting_minutes_circulated: "the minutes of ... are circulated: comment by ..." to each participant
  of the meeting (meetings/reminders.py participants_to_tell), in her language, once per circulation
  (the version is in its key). The worker skips it when the minutes are no longer open for comments
  by then, or were circulated again with another deadline (that circulation has its own notice).
"""

from __future__ import annotations

import datetime

from network.models import Delivery
from network.outbox.worker import notice_kind

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
