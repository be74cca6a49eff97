"""Every write of date polls. Keyword-only, typed, atomic; a refused move raises MeetingError with a
translated message (the meetings app's one domain error)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Member
from network.outbox.mail import mail_enqueue

from ..models import Meeting
from ..services import MeetingError, meeting_schedule
from .models import DatePoll, DatePollAnswer, DatePollSlot
from .selectors import answering_open, poll_invitees

MIN_SLOTS, MAX_SLOTS = 2, 12


def _acting_user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _lock(poll: DatePoll) -> DatePoll:
    return DatePoll.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=poll.pk)


def _check_slots(slots: Sequence[tuple[datetime.datetime, datetime.datetime]], now: datetime.datetime) -> list:
    unique = sorted(set(slots))
    if len(unique) < MIN_SLOTS:
        raise MeetingError(_("Propose at least two different times."))
    if len(unique) > MAX_SLOTS:
        raise MeetingError(_("Propose at most %(count)s times.") % {"count": MAX_SLOTS})
    for starts_at, ends_at in unique:
        if ends_at <= starts_at:
            raise MeetingError(_("A proposed time must end after it starts."))
        if starts_at <= now:
            raise MeetingError(_("A proposed time must be in the future."))
    return unique


@transaction.atomic
def date_poll_open(
    *,
    meeting: Meeting,
    by,
    slots: Sequence[tuple[datetime.datetime, datetime.datetime]],
    answers_until: datetime.datetime,
    note: str = "",
) -> DatePoll:
    """Propose `slots` for a meeting that awaits its date; the invited answer until `answers_until`.

    Side effects: the poll and its slots; the invited are asked to answer (outbox,
    meeting_date_poll_opened, after commit); a reminder goes to those who have not answered before
    the deadline (meetings/polls/reminders.py).
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = timezone.now()
    if meeting.status != Meeting.Status.CONFIRMED:
        raise MeetingError(_("Dates can be proposed only for a confirmed meeting that has no date yet."))
    if DatePoll.objects.filter(meeting=meeting, status=DatePoll.Status.OPEN).exists():
        raise MeetingError(_("This meeting already has an open date poll."))
    unique = _check_slots(slots, now)
    if answers_until <= now:
        raise MeetingError(_("The last day to answer must be in the future."))
    if answers_until > unique[0][0]:
        raise MeetingError(_("The last day to answer must be before the first proposed time."))
    poll = DatePoll.objects.create(
        meeting=meeting, answers_until=answers_until, note=note.strip(), created_by=_acting_user(by)
    )
    DatePollSlot.objects.bulk_create(DatePollSlot(poll=poll, starts_at=s, ends_at=e) for s, e in unique)
    mail_enqueue(
        kind="meeting_date_poll_opened",
        to=poll_invitees(poll).select_related("user"),
        obj=poll,
        expires_at=answers_until,
    )
    return poll


@transaction.atomic
def date_poll_answer(*, poll: DatePoll, member: Member, by, answers: Mapping[int, str]) -> list[DatePollAnswer]:
    """Her answer for every slot (yes, if need be, no); a second submission replaces the first, so
    each member counts once per slot. Refused once the poll is closed or its deadline has passed."""
    poll = _lock(poll)  # two submissions at once are taken one after the other
    if not poll.is_open:
        raise MeetingError(_("This date poll is closed: answers can no longer be changed."))
    if poll.meeting.status != Meeting.Status.CONFIRMED:
        raise MeetingError(_("The meeting's date is set: this date poll takes no more answers."))
    if not answering_open(poll):
        raise MeetingError(_("The last day to answer this date poll has passed."))
    if not poll_invitees(poll).filter(pk=member.pk).exists():
        raise MeetingError(_("Only those invited to the meeting answer its date poll."))
    slots = {slot.pk: slot for slot in poll.slots.all()}
    if set(answers) != set(slots):
        raise MeetingError(_("Answer for every proposed time."))
    if any(choice not in DatePollAnswer.Choice.values for choice in answers.values()):
        raise MeetingError(_("Answer yes, if need be or no."))
    now = timezone.now()
    existing = {a.slot_id: a for a in DatePollAnswer.objects.filter(slot__poll=poll, member=member)}
    saved = []
    for slot_id, choice in answers.items():
        answer = existing.get(slot_id)
        if answer is None:
            answer = DatePollAnswer(slot=slots[slot_id], member=member)
        elif answer.choice == choice:
            saved.append(answer)
            continue
        answer.choice, answer.answered_at = choice, now
        try:
            with transaction.atomic():  # the unique constraint is the last word on "once per slot"
                answer.save()
        except IntegrityError:
            DatePollAnswer.objects.filter(slot_id=slot_id, member=member).update(choice=choice, answered_at=now)
        saved.append(answer)
    return saved


@transaction.atomic
def date_poll_close(
    *,
    poll: DatePoll,
    by,
    slot: DatePollSlot,
    venue: str = "",
    address: str = "",
    format: str | None = None,
    video_link: str | None = None,
    registration_deadline: datetime.datetime | None = None,
) -> Meeting:
    """Choose `slot`: the meeting is scheduled then (meetings.services.meeting_schedule, with its place
    and format as given) and the poll is closed; no answer is taken after.

    Side effects: the meeting moves to scheduled, so the invitation with its .ics goes to every
    invited member (meetings/reminders.py, meeting_invitation), recorded by a sweep of that kind
    right after the commit.
    """
    poll = _lock(poll)
    if not poll.is_open:
        raise MeetingError(_("This date poll is already closed."))
    if slot.poll_id != poll.pk:
        raise MeetingError(_("Choose one of the poll's proposed times."))
    if slot.starts_at <= timezone.now():
        raise MeetingError(_("This time has passed: choose a later one."))
    meeting = poll.meeting
    meeting = meeting_schedule(
        meeting=meeting,
        by=by,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        venue=venue,
        address=address,
        format=format or meeting.format,
        video_link=meeting.video_link if video_link is None else video_link,
        registration_deadline=registration_deadline,
        capacity=meeting.capacity,
        practical_information=meeting.practical_information,
        title=meeting.title,
    )
    poll.status = DatePoll.Status.CLOSED
    poll.chosen_slot = slot
    poll.closed_at = timezone.now()
    poll.closed_by = _acting_user(by)
    poll.save(update_fields=["status", "chosen_slot", "closed_at", "closed_by"])
    transaction.on_commit(_sweep_invitations)
    return meeting


def _sweep_invitations() -> None:
    # Imported here: a task module sits above the services (STYLE rule 1).
    from network.tasks import reminders_sweep_task

    reminders_sweep_task.apply_async(kwargs={"only": ["meeting_invitation"]})
