"""Reads of date polls: the invited, who has answered, and the poll page's tables (a constant number
of queries whatever the number of invited or answers)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from network import cache
from network.models import Member, SteeringGroupSeat

from ..models import Meeting
from ..reminders import invitees
from .models import DatePoll, DatePollAnswer, DatePollSlot


def steering_chair_ids() -> frozenset[int]:
    """The members chairing the steering group today: a permission input, read once per request."""
    return cache.per_request(
        "steering_chair_ids",
        lambda: frozenset(
            SteeringGroupSeat.objects.current()
            .filter(role=SteeringGroupSeat.Role.CHAIR)
            .values_list("member_id", flat=True)
        ),
    )


def poll_invitees(poll: DatePoll) -> QuerySet[Member]:
    """Who is asked: the meeting's invited (every active member; a steering-group meeting's seats)."""
    return invitees(poll.meeting)


def poll_non_responders(poll: DatePoll) -> QuerySet[Member]:
    """The invited who have not answered for any of the poll's slots."""
    answered = DatePollAnswer.objects.filter(slot__poll=poll, member=OuterRef("pk"))
    return poll_invitees(poll).filter(~Exists(answered))


def answers_of(poll: DatePoll, member: Member | None) -> dict[int, str]:
    """Her answers: slot id -> choice."""
    if member is None:
        return {}
    return dict(DatePollAnswer.objects.filter(slot__poll=poll, member=member).values_list("slot_id", "choice"))


@dataclass
class SlotResult:
    slot: DatePollSlot
    counts: Counter = field(default_factory=Counter)

    @property
    def yes(self) -> int:
        return self.counts[DatePollAnswer.Choice.YES]

    @property
    def if_need_be(self) -> int:
        return self.counts[DatePollAnswer.Choice.IF_NEED_BE]

    @property
    def no(self) -> int:
        return self.counts[DatePollAnswer.Choice.NO]

    @property
    def possible(self) -> int:
        """Who could come, at a pinch."""
        return self.yes + self.if_need_be


@dataclass
class PersonRow:
    member: Member
    answers: list[str | None]  # per slot, in the slots' order; None: not answered

    @property
    def answered(self) -> bool:
        return any(answer is not None for answer in self.answers)

    @property
    def labels(self) -> list[str | None]:
        """Her answers in words, in the reader's language (None: not answered)."""
        return [choice_label(answer) for answer in self.answers]


def choice_label(choice: str | None) -> str | None:
    return DatePollAnswer.Choice(choice).label if choice else None


@dataclass
class PollResults:
    slots: list[SlotResult]
    people: list[PersonRow]

    @property
    def not_answered(self) -> int:
        return sum(1 for row in self.people if not row.answered)

    @property
    def best(self) -> list[SlotResult]:
        """The slots most can come to (yes first, then if need be); several on a tie; none without answers."""
        if not any(r.possible for r in self.slots):
            return []
        top = max((r.possible, r.yes) for r in self.slots)
        return [r for r in self.slots if (r.possible, r.yes) == top]


def poll_slots(poll: DatePoll) -> list[DatePollSlot]:
    return list(poll.slots.all())


def poll_results(poll: DatePoll, slots: list[DatePollSlot] | None = None) -> PollResults:
    """Counts per slot and who answered what: three queries (slots, answers, the invited)."""
    slots = poll_slots(poll) if slots is None else slots
    answers = list(DatePollAnswer.objects.filter(slot__poll=poll).values_list("slot_id", "member_id", "choice"))
    by_slot = {slot.pk: SlotResult(slot) for slot in slots}
    given: dict[int, dict[int, str]] = {}
    for slot_id, member_id, choice in answers:
        by_slot[slot_id].counts[choice] += 1
        given.setdefault(member_id, {})[slot_id] = choice
    invited = list(poll_invitees(poll).select_related("user", "institution").order_by("user__last_name", "pk"))
    # Someone who answered and is no longer invited (a seat that ended) still counts: shown too.
    invited_ids = {m.pk for m in invited}
    gone = set(given) - invited_ids
    if gone:
        invited += list(Member.objects.filter(pk__in=gone).select_related("user", "institution"))
    people = [PersonRow(member, [given.get(member.pk, {}).get(slot.pk) for slot in slots]) for member in invited]
    return PollResults(slots=list(by_slot.values()), people=people)


def open_poll_of(meeting) -> DatePoll | None:
    return DatePoll.objects.filter(meeting=meeting, status=DatePoll.Status.OPEN).first()


def answering_open(poll: DatePoll, *, now: datetime.datetime | None = None) -> bool:
    """Answers are taken while the poll is open, until its last day, and while its meeting still awaits
    its date (a host who schedules the meeting on the scheduling page makes the poll moot)."""
    return (
        poll.is_open
        and (now or timezone.now()) <= poll.answers_until
        and poll.meeting.status == Meeting.Status.CONFIRMED
    )
