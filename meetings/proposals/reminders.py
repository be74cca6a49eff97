"""The outbox kinds of proposals (network/outbox/worker.py); imported by meetings/notices.py so that
the web process, beat and every worker know them.

- proposal_opened (a notice, queued by services.proposal_create): "a new proposal, vote by ...",
  to everyone entitled to vote; skipped once the proposal is closed.
- proposal_vote_reminder (the sweep): REMINDER_OFFSETS["proposal_vote_reminder"] before the
  deadline, to those entitled to vote who have not (on a network proposal: the members of the
  institutions that have not voted); once per proposal and deadline; skipped when she (or her
  institution) has voted meanwhile. A proposal opened for less than the offset gets none: its
  notice said the deadline already.
- proposal_closed (a notice, queued by services.proposal_close): the outcome, to everyone entitled
  to vote and to whoever proposed it.
Every message is rendered in its reader's language by the worker.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from network.models import Delivery
from network.outbox.worker import Due, notice_kind, object_key_of, reminder_kind, reminder_offset

from . import selectors
from .models import Proposal


def _context(delivery: Delivery) -> dict:
    proposal = delivery.obj
    return {"proposal": proposal, "figures": selectors.figures(proposal)}


opened = notice_kind("proposal_opened", template="meetings/proposal_opened")
opened.context(_context)


@opened.still_valid
def _(delivery: Delivery, now) -> bool:
    return delivery.obj.is_open and now < delivery.obj.deadline


closed = notice_kind("proposal_closed", template="meetings/proposal_closed")
closed.context(_context)


def reminder_key(proposal: Proposal) -> str:
    return f"{object_key_of(proposal)}@remind-{proposal.deadline.isoformat()}"


@reminder_kind("proposal_vote_reminder", template="meetings/proposal_vote_reminder", optional=True)
def vote_reminder(now: datetime.datetime) -> Iterator[Due]:
    offset = reminder_offset("proposal_vote_reminder")
    proposals = Proposal.objects.open().filter(deadline__gt=now, deadline__lte=now + offset)
    for proposal in proposals:
        if proposal.created_at > proposal.deadline - offset:
            continue  # opened inside the window: the notice of the new proposal was the reminder
        key = reminder_key(proposal)
        told = Delivery.objects.filter(kind="proposal_vote_reminder", object_key=key).values("recipient_id")
        for member in selectors.non_voters(proposal).exclude(pk__in=told).select_related("user"):
            yield Due(
                obj=proposal,
                object_key=key,
                recipient=member,
                due_at=proposal.deadline - offset,
                expires_at=proposal.deadline,
                context={"deadline": proposal.deadline.isoformat()},
            )


@vote_reminder.still_valid
def _(delivery: Delivery, now) -> bool:
    """Still open at the same deadline, and neither she nor (network) her institution has voted."""
    proposal = delivery.obj
    return (
        proposal.is_open
        and proposal.deadline.isoformat() == delivery.context.get("deadline")
        and selectors.non_voters(proposal).filter(pk=delivery.recipient_id).exists()
    )


vote_reminder.context(_context)
