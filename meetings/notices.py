"""One-off notices about meetings, queued by meetings/services.py through `network.outbox.mail.mail_enqueue`.

- meeting_host_assigned: "your institution now hosts the meeting of ..." to the contacts of the
  institution the secretariat made the host (an override of the rotation, or a swap);
- meeting_host_withdrawn: "your institution no longer hosts ..." to the contacts of the host it
  replaced.

Each carries the host and the moment of the change in its key (`host_notice_key`), so every change
is told once; the worker skips a notice that a later change made untrue.
"""

from __future__ import annotations

from network.models import Delivery
from network.outbox.worker import notice_kind, object_key_of

from .models import Meeting
from .reminders import slot_date


def host_notice_key(meeting: Meeting, host_id: int) -> str:
    return f"{object_key_of(meeting)}@host-{host_id}-{meeting.updated_at:%Y%m%dT%H%M%S%f}"


def _context(delivery: Delivery) -> dict:
    return {"meeting": delivery.obj, "slot_date": slot_date(delivery.obj)}


host_assigned = notice_kind("meeting_host_assigned", template="meetings/host_assigned")
host_assigned.context(_context)


@host_assigned.still_valid
def _(delivery: Delivery, now) -> bool:
    return delivery.obj.host_id == delivery.recipient.institution_id


host_withdrawn = notice_kind("meeting_host_withdrawn", template="meetings/host_withdrawn")
host_withdrawn.context(_context)


@host_withdrawn.still_valid
def _(delivery: Delivery, now) -> bool:
    return delivery.obj.host_id != delivery.recipient.institution_id


# The minutes circulated for comments (meetings/minutes/notices.py) and the kinds of proposals decided
# between meetings (meetings/proposals/reminders.py) live with them (issue 27).
from .minutes import notices as minutes_notices  # noqa: E402, F401
from .proposals import reminders as _proposal_kinds  # noqa: E402,F401
