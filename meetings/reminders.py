"""Every reminder about meetings, as due computers for the outbox sweep (network/outbox/worker.py).

Nothing here sends mail: each kind computes, from the database, which messages are due at `now`;
the sweep records them (once per kind, object key and recipient) and the worker sends them,
re-checking `still_valid` just before. Offsets live in settings.REMINDER_OFFSETS.

Host contacts (the approved members of the host institution, `selectors.host_contacts`):
- meeting_host_proposed: "you are proposed to host" (when proposed; not optional);
- meeting_schedule_request: "please schedule your meeting", 6, 4 and 3 months before the slot date;
- meeting_minutes_request: "please publish the minutes", 7 days after the meeting.
Members (active members):
- meeting_invitation (not optional), meeting_update (one per `Meeting.sequence`, not optional),
  meeting_cancelled (to the invited and registered; not optional);
- meeting_registration_closes (7 days before the deadline, to those who have not answered);
- meeting_week_before and meeting_tomorrow (to those attending);
- meeting_waitlist_promoted (an attending attendance that still carries `waitlisted_at`).
Participants (who attended, or registered as attending when attendance is not marked):
- meeting_minutes_published: "the minutes are published", with the decisions (not optional).
Owners of open actions (the member, or every active member of the owning institution):
- meeting_action_due: before the meeting whose "follow-up of actions" lists them, one message per
  owner and meeting with all her actions due by it.
Keys that follow a moment (start, deadline, sequence) carry it, so a moved meeting gets new rows and
the old unsent ones are skipped by `still_valid`.
Date polls (meetings/polls/reminders.py, imported at the end): meeting_date_poll_opened and
meeting_date_poll_reminder (once, to the invited who have not answered).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation

from network.models import Delivery, Member
from network.outbox.render import Attachment
from network.outbox.worker import Due, ReminderKind, object_key_of, reminder_kind, reminder_offset

from .ics import STOCKHOLM, meetings_calendar
from .models import Action, Attendance, Meeting, Minutes
from .selectors import actions_to_follow_up, decisions_of, host_contacts, steering_members

UNSCHEDULED = [Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED]


def slot_date(meeting: Meeting) -> datetime.datetime:
    """The anchor of a slot without a date: 15 April (spring) or 15 October (autumn), 09:00 Stockholm."""
    month = 4 if meeting.season == Meeting.Season.SPRING else 10
    return datetime.datetime(meeting.year, month, 15, 9, 0, tzinfo=STOCKHOLM)


def _key(meeting: Meeting, suffix: str) -> str:
    return f"{object_key_of(meeting)}@{suffix}"


def _since(moment: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    """An event-driven message is due from the moment of the change (never in the future)."""
    return min(moment, now) if moment else now


def _not_told(members: QuerySet[Member], kind: str, key: str) -> QuerySet[Member]:
    """Leave out who already has a row: the sweep's insert would ignore them anyway, this is cheaper."""
    told = Delivery.objects.filter(recipient=OuterRef("pk"), kind=kind, object_key=key)
    return members.filter(~Exists(told)).select_related("user")


def _invited_or_registered(meeting: Meeting) -> QuerySet[Member]:
    """Active members who were sent the invitation or registered (attending or waiting)."""
    invited = Delivery.objects.filter(
        recipient=OuterRef("pk"),
        kind="meeting_invitation",
        object_key=object_key_of(meeting),
        status=Delivery.Status.SENT,
    )
    registered = Attendance.objects.filter(
        member=OuterRef("pk"),
        meeting=meeting,
        status__in=[Attendance.Status.ATTENDING, Attendance.Status.WAITING],
    )
    return Member.objects.active().filter(Exists(invited) | Exists(registered))


def invitees(meeting: Meeting) -> QuerySet[Member]:
    """Every active member; for a steering-group meeting, its seats only."""
    return steering_members() if meeting.is_restricted else Member.objects.active()


def _meeting_of(delivery: Delivery) -> Meeting:
    obj = delivery.obj
    return obj.meeting if isinstance(obj, Attendance) else obj


def _meeting_context(delivery: Delivery) -> dict:
    meeting = _meeting_of(delivery)
    attendance = delivery.obj if isinstance(delivery.obj, Attendance) else None
    return {"meeting": meeting, "slot_date": slot_date(meeting), "attendance": attendance}


def _meeting_ics(delivery: Delivery) -> list[Attachment]:
    """The meeting's .ics (as the meeting_ics view serves it), in the recipient's language."""
    meeting = _meeting_of(delivery)
    if not (meeting.starts_at and meeting.ends_at):
        return []
    language = delivery.recipient.language if delivery.recipient_id else None
    with translation.override(language):
        body = meetings_calendar([meeting], name=f"KLOSS-Net {meeting}")
    return [Attachment(f"kloss-net-{meeting.year}-{meeting.season}.ics", body, "text/calendar")]


def _about_meetings(kind: ReminderKind) -> ReminderKind:
    kind.context(_meeting_context)
    kind.attachments(_meeting_ics)
    return kind


def _recipient_hosts(delivery: Delivery, meeting: Meeting) -> bool:
    return delivery.recipient.institution_id == meeting.host_id


# --- Host contacts -----------------------------------------------------------------------------


@_about_meetings
@reminder_kind("meeting_host_proposed", template="meetings/host_proposed", optional=False)
def host_proposed(now: datetime.datetime) -> Iterator[Due]:
    """Ask the proposed host to accept or decline: when proposed, at most the offset before the slot."""
    earliest = reminder_offset("meeting_host_proposed")
    meetings = Meeting.objects.network().filter(
        status=Meeting.Status.PROPOSED, host__isnull=False, starts_at__isnull=True, year__lte=now.year + 2
    )
    for meeting in meetings:
        anchor = slot_date(meeting)
        due_at = max(_since(meeting.updated_at, now), anchor - earliest)
        key = _key(meeting, f"host-{meeting.host_id}")
        for member in _not_told(host_contacts(meeting), "meeting_host_proposed", key):
            yield Due(obj=meeting, object_key=key, recipient=member, due_at=due_at, expires_at=anchor)


@host_proposed.still_valid
def _(delivery, now) -> bool:
    meeting = delivery.obj
    return meeting.status == Meeting.Status.PROPOSED and _recipient_hosts(delivery, meeting)


@_about_meetings
@reminder_kind("meeting_schedule_request", template="meetings/schedule_request", optional=True)
def schedule_request(now: datetime.datetime) -> Iterator[Due]:
    """6, 4 and 3 months before the slot date while the meeting has no date; only the latest one due
    is recorded (a host confirmed late does not get three messages at once)."""
    offsets = sorted(reminder_offset("meeting_schedule_request"), reverse=True)
    meetings = Meeting.objects.network().filter(
        status__in=UNSCHEDULED, host__isnull=False, starts_at__isnull=True, year__in=[now.year, now.year + 1]
    )
    for meeting in meetings:
        anchor = slot_date(meeting)
        for i, offset in enumerate(offsets):
            due_at = anchor - offset
            expires_at = anchor - offsets[i + 1] if i + 1 < len(offsets) else anchor
            if not (due_at <= now < expires_at):
                continue
            key = _key(meeting, f"schedule-{offset.days}d")
            for member in _not_told(host_contacts(meeting), "meeting_schedule_request", key):
                yield Due(obj=meeting, object_key=key, recipient=member, due_at=due_at, expires_at=expires_at)


@schedule_request.still_valid
def _(delivery, now) -> bool:
    meeting = delivery.obj
    return meeting.status in UNSCHEDULED and meeting.starts_at is None and _recipient_hosts(delivery, meeting)


@_about_meetings
@reminder_kind("meeting_minutes_request", template="meetings/minutes_request", optional=True)
def minutes_request(now: datetime.datetime) -> Iterator[Due]:
    offset = reminder_offset("meeting_minutes_request")
    window = datetime.timedelta(days=30)  # later than this, the reminder is not worth sending
    meetings = Meeting.objects.filter(
        status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD],
        host__isnull=False,
        ends_at__lte=now - offset,
        ends_at__gt=now - offset - window,
    )
    for meeting in meetings:
        due_at = meeting.ends_at + offset
        key = _key(meeting, "minutes")
        for member in _not_told(host_contacts(meeting), "meeting_minutes_request", key):
            yield Due(obj=meeting, object_key=key, recipient=member, due_at=due_at, expires_at=due_at + window)


@minutes_request.still_valid
def _(delivery, now) -> bool:
    meeting = delivery.obj
    return meeting.status in (Meeting.Status.SCHEDULED, Meeting.Status.HELD) and _recipient_hosts(delivery, meeting)


# --- Members: invitation, update, cancellation ---------------------------------------------------


def _scheduled_ahead(now: datetime.datetime) -> QuerySet[Meeting]:
    return Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now).select_related("host")


@_about_meetings
@reminder_kind("meeting_invitation", template="meetings/invitation", optional=False)
def invitation(now: datetime.datetime) -> Iterator[Due]:
    """Every active member, once per meeting, from the moment it is scheduled (members who join later
    get it too). The content is rendered at send time, so it always shows the current date and place."""
    for meeting in _scheduled_ahead(now):
        key = object_key_of(meeting)
        for member in _not_told(invitees(meeting), "meeting_invitation", key):
            yield Due(
                obj=meeting,
                object_key=key,
                recipient=member,
                due_at=_since(meeting.updated_at, now),
                expires_at=meeting.starts_at,
            )


@invitation.still_valid
def _(delivery, now) -> bool:
    return delivery.obj.status == Meeting.Status.SCHEDULED


@_about_meetings
@reminder_kind("meeting_update", template="meetings/update", optional=False)
def update(now: datetime.datetime) -> Iterator[Due]:
    """A changed date or place (Meeting.sequence): to who was invited or registered; one row per version."""
    for meeting in _scheduled_ahead(now).filter(sequence__gt=0):
        key = _key(meeting, f"v{meeting.sequence}")
        for member in _not_told(_invited_or_registered(meeting), "meeting_update", key):
            yield Due(
                obj=meeting,
                object_key=key,
                recipient=member,
                due_at=_since(meeting.updated_at, now),
                expires_at=meeting.starts_at,
                context={"sequence": meeting.sequence},
            )


@update.still_valid
def _(delivery, now) -> bool:
    """A newer change makes this one stale: only the latest version is sent."""
    meeting = delivery.obj
    return meeting.status == Meeting.Status.SCHEDULED and meeting.sequence == delivery.context.get("sequence")


@_about_meetings
@reminder_kind("meeting_cancelled", template="meetings/cancelled", optional=False)
def cancelled(now: datetime.datetime) -> Iterator[Due]:
    meetings = Meeting.objects.filter(status=Meeting.Status.CANCELLED, starts_at__gt=now).select_related("host")
    for meeting in meetings:
        key = _key(meeting, "cancelled")
        for member in _not_told(_invited_or_registered(meeting), "meeting_cancelled", key):
            yield Due(
                obj=meeting,
                object_key=key,
                recipient=member,
                due_at=_since(meeting.updated_at, now),
                expires_at=meeting.starts_at,
            )


@cancelled.still_valid
def _(delivery, now) -> bool:
    return delivery.obj.status == Meeting.Status.CANCELLED


# --- Members: before the deadline and before the meeting -----------------------------------------


@_about_meetings
@reminder_kind("meeting_registration_closes", template="meetings/registration_closes", optional=True)
def registration_closes(now: datetime.datetime) -> Iterator[Due]:
    offset = reminder_offset("meeting_registration_closes")
    meetings = _scheduled_ahead(now).filter(registration_deadline__gt=now, registration_deadline__lte=now + offset)
    for meeting in meetings:
        deadline = meeting.registration_deadline
        key = _key(meeting, f"closes-{deadline.isoformat()}")
        answered = Attendance.objects.filter(meeting=meeting, member=OuterRef("pk"))
        silent = invitees(meeting).filter(~Exists(answered))
        for member in _not_told(silent, "meeting_registration_closes", key):
            yield Due(
                obj=meeting,
                object_key=key,
                recipient=member,
                due_at=deadline - offset,
                expires_at=deadline,
                context={"deadline": deadline.isoformat()},
            )


@registration_closes.still_valid
def _(delivery, now) -> bool:
    meeting = delivery.obj
    deadline = meeting.registration_deadline
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and deadline is not None
        and deadline.isoformat() == delivery.context.get("deadline")
        and not meeting.attendances.filter(member_id=delivery.recipient_id).exists()
    )


def _before_start(name: str, now: datetime.datetime, until: datetime.timedelta) -> Iterator[Due]:
    """To those attending, `REMINDER_OFFSETS[name]` before the start; too late `until` before it."""
    offset = reminder_offset(name)
    for meeting in _scheduled_ahead(now).filter(starts_at__lte=now + offset, starts_at__gt=now + until):
        starts = meeting.starts_at
        key = _key(meeting, f"{name.removeprefix('meeting_')}-{starts.isoformat()}")
        attending = Attendance.objects.filter(
            meeting=meeting, member=OuterRef("pk"), status=Attendance.Status.ATTENDING
        )
        for member in _not_told(Member.objects.active().filter(Exists(attending)), name, key):
            yield Due(
                obj=meeting,
                object_key=key,
                recipient=member,
                due_at=starts - offset,
                # "in a week" found three days before is wrong: a day late at most.
                expires_at=min(starts - until, starts - offset + datetime.timedelta(days=1)),
                context={"starts_at": starts.isoformat()},
            )


def _still_attending(delivery, now) -> bool:
    meeting = delivery.obj
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and meeting.starts_at is not None
        and meeting.starts_at.isoformat() == delivery.context.get("starts_at")
        and meeting.attendances.filter(member_id=delivery.recipient_id, status=Attendance.Status.ATTENDING).exists()
    )


@_about_meetings
@reminder_kind("meeting_week_before", template="meetings/week_before", optional=True)
def week_before(now: datetime.datetime) -> Iterator[Due]:
    # Found within the last day, it gives way to "tomorrow".
    return _before_start("meeting_week_before", now, until=reminder_offset("meeting_tomorrow"))


@_about_meetings
@reminder_kind("meeting_tomorrow", template="meetings/tomorrow", optional=True)
def tomorrow(now: datetime.datetime) -> Iterator[Due]:
    return _before_start("meeting_tomorrow", now, until=datetime.timedelta(0))


week_before.still_valid(_still_attending)
tomorrow.still_valid(_still_attending)


# --- Members: off the waiting list --------------------------------------------------------------


@_about_meetings
@reminder_kind("meeting_waitlist_promoted", template="meetings/waitlist_promoted", optional=False)
def waitlist_promoted(now: datetime.datetime) -> Iterator[Due]:
    """An attending attendance that keeps its `waitlisted_at` was promoted from the waiting list
    (services.attendance_promote_waiting_list); one message per time on the list."""
    promoted = (
        Attendance.objects.filter(
            status=Attendance.Status.ATTENDING,
            waitlisted_at__isnull=False,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__gt=now,
        )
        .filter(Q(member__in=Member.objects.active()))
        .select_related("meeting", "member__user")
    )
    for attendance in promoted:
        key = f"{object_key_of(attendance)}@{attendance.waitlisted_at.isoformat()}"
        yield Due(
            obj=attendance,
            object_key=key,
            recipient=attendance.member,
            due_at=now,
            expires_at=attendance.meeting.starts_at,
        )


@waitlist_promoted.still_valid
def _(delivery, now) -> bool:
    attendance = delivery.obj
    return attendance.status == Attendance.Status.ATTENDING and attendance.meeting.status == Meeting.Status.SCHEDULED


# --- Participants: the minutes are published ------------------------------------------------------

MINUTES_NOTICE_WINDOW = datetime.timedelta(days=30)  # later than this, the notice is not worth sending


def participants_to_tell(meeting: Meeting) -> QuerySet[Member]:
    """Who took part: marked as there, or, where nobody marked attendance, registered as attending."""
    took_part = Attendance.objects.filter(meeting=meeting, member=OuterRef("pk")).filter(
        Q(attended=True) | Q(attended__isnull=True, status=Attendance.Status.ATTENDING)
    )
    return Member.objects.active().filter(Exists(took_part))


@reminder_kind("meeting_minutes_published", template="meetings/minutes_published", optional=False)
def minutes_published(now: datetime.datetime) -> Iterator[Due]:
    """Once, from the moment the minutes are published (services.meeting_publish_minutes, which
    also asks for a sweep of this kind right after its commit)."""
    meetings = Meeting.objects.filter(
        status=Meeting.Status.MINUTES_PUBLISHED,
        minutes_published_at__lte=now,
        minutes_published_at__gt=now - MINUTES_NOTICE_WINDOW,
    )
    for meeting in meetings:
        key = _key(meeting, "minutes-published")
        for member in _not_told(participants_to_tell(meeting), "meeting_minutes_published", key):
            yield Due(
                obj=meeting,
                object_key=key,
                recipient=member,
                due_at=meeting.minutes_published_at,
                expires_at=meeting.minutes_published_at + MINUTES_NOTICE_WINDOW,
            )


@minutes_published.still_valid
def _(delivery, now) -> bool:
    return delivery.obj.status == Meeting.Status.MINUTES_PUBLISHED


@minutes_published.context
def _(delivery) -> dict:
    meeting = delivery.obj
    return {
        "meeting": meeting,
        "decisions": list(decisions_of(meeting)),
        "actions": list(meeting.actions.select_related("owner_member__user", "owner_institution", "due_meeting")),
        "minutes": list(meeting.documents.filter(kind="minutes")),
        # The minutes written on the site (meetings/minutes/), once published: a link to read them.
        "site_minutes": Minutes.objects.filter(meeting=meeting, status=Minutes.Status.PUBLISHED).first(),
    }


# --- Owners: actions to follow up at the coming meeting -------------------------------------------


def _owners(actions: list[Action]) -> QuerySet[Member]:
    member_ids = {a.owner_member_id for a in actions if a.owner_member_id}
    institution_ids = {a.owner_institution_id for a in actions if a.owner_institution_id}
    return Member.objects.active().filter(Q(pk__in=member_ids) | Q(institution_id__in=institution_ids))


def actions_due_for(meeting: Meeting, member: Member) -> list[Action]:
    """Her (and her institution's) open actions on the meeting's "follow-up of actions"."""
    return list(actions_to_follow_up(meeting).owned_by(member))


@reminder_kind("meeting_action_due", template="meetings/action_due", optional=True)
def action_due(now: datetime.datetime) -> Iterator[Due]:
    """`REMINDER_OFFSETS["meeting_action_due"]` before a scheduled meeting, to each owner of an open
    action due by it; a moved meeting makes new rows (the start is in the key)."""
    offset = reminder_offset("meeting_action_due")
    for meeting in _scheduled_ahead(now).filter(starts_at__lte=now + offset):
        actions = list(actions_to_follow_up(meeting))
        if not actions:
            continue
        starts = meeting.starts_at
        key = _key(meeting, f"actions-{starts.isoformat()}")
        for member in _not_told(_owners(actions), "meeting_action_due", key):
            yield Due(
                obj=meeting,
                object_key=key,
                recipient=member,
                due_at=starts - offset,
                expires_at=starts,
                context={"starts_at": starts.isoformat()},
            )


@action_due.still_valid
def _(delivery, now) -> bool:
    """Still scheduled at the same time, and she still has an open action due by it."""
    meeting = delivery.obj
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and meeting.starts_at is not None
        and meeting.starts_at.isoformat() == delivery.context.get("starts_at")
        and bool(actions_due_for(meeting, delivery.recipient))
    )


@action_due.context
def _(delivery) -> dict:
    meeting = delivery.obj
    return {"meeting": meeting, "actions": actions_due_for(meeting, delivery.recipient), "today": timezone.localdate()}


# Date polls (meetings/polls/reminders.py): imported here so that the outbox knows their kinds.
from .polls import reminders as _date_poll_reminders  # noqa: E402,F401
