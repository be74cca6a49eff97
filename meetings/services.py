"""Every write of the meetings app. Keyword-only, typed, atomic; illegal moves raise MeetingError.

Reminders (built elsewhere) hook in where a `# reminders:` comment says so.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from network import cache
from network.models import Institution, Member
from network.outbox.mail import mail_enqueue
from network.outbox.worker import object_key_of
from network.rules import is_staff_with_mfa
from network.webhooks.services import webhook_emit

from . import rotation, selectors
from .models import Action, AgendaItem, Attendance, Decision, HostDecline, Meeting, MeetingDocument, Minutes
from .notices import host_notice_key
from .uploads import sniff_upload


class MeetingError(Exception):
    """A refused action, with a translated message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# The legal status moves; everything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Meeting.Status.PROPOSED: {Meeting.Status.CONFIRMED, Meeting.Status.CANCELLED},
    Meeting.Status.CONFIRMED: {Meeting.Status.SCHEDULED, Meeting.Status.PROPOSED, Meeting.Status.CANCELLED},
    Meeting.Status.SCHEDULED: {Meeting.Status.HELD, Meeting.Status.CANCELLED},
    Meeting.Status.HELD: {Meeting.Status.MINUTES_PUBLISHED},
    Meeting.Status.MINUTES_PUBLISHED: set(),
    Meeting.Status.CANCELLED: set(),
}


def _acting_user(by):
    """The user to record as having made a change, or None for the system (a task, a command)."""
    return by if getattr(by, "is_authenticated", False) else None


def _move(meeting: Meeting, to: str) -> None:
    if to not in TRANSITIONS[meeting.status]:
        raise MeetingError(
            _("A meeting that is “%(current)s” cannot become “%(target)s”.")
            % {"current": meeting.get_status_display(), "target": Meeting.Status(to).label}
        )
    meeting.status = to


def _save(meeting: Meeting, *, by, reason: str, fields: list[str]) -> None:
    meeting._change_reason = reason  # django-simple-history stores it with the historical row
    if by is not None and getattr(by, "is_authenticated", False):
        meeting._history_user = by
    meeting.save(update_fields=[*fields, "updated_at"])
    cache.changed(meeting, fields=fields)


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _tell_host_change(meeting: Meeting, previous_host_id: int | None) -> None:
    """The new host's contacts are told they host; the replaced host's that they no longer do (outbox)."""
    if meeting.host_id == previous_host_id:
        return
    if previous_host_id is not None:
        # The replaced host's page no longer lists it among the meetings it hosts.
        cache.changed(Meeting(pk=meeting.pk, host_id=previous_host_id), fields=["host"])
    mail_enqueue(
        kind="meeting_host_assigned",
        to=selectors.host_contacts(meeting),
        obj=meeting,
        object_key=host_notice_key(meeting, meeting.host_id),
    )
    if previous_host_id is not None:
        mail_enqueue(
            kind="meeting_host_withdrawn",
            to=Member.objects.active().filter(institution_id=previous_host_id).select_related("user"),
            obj=meeting,
            object_key=host_notice_key(meeting, previous_host_id),
        )


# --- Rotation --------------------------------------------------------------------------------


@transaction.atomic
def rotation_plan(*, count: int, by=None, today: datetime.date | None = None) -> list[selectors.PlannedSlot]:
    """Create or update the proposed slots of the next `count` slots. Confirmed hosts never move.

    Returns the planned slots (`changes` tells which ones were written).
    """
    if count < 1 or count > 200:
        raise MeetingError(_("Plan between 1 and 200 slots."))
    planned = selectors.rotation_preview(count=count, today=today)
    for row in planned:
        if not row.changes and row.meeting is not None and row.meeting.rotation_reason == row.proposal.reason:
            continue
        if row.proposal.confirmed or row.proposal.reason.get("kind") == "skipped":
            continue
        meeting = row.meeting or Meeting(year=row.year, season=row.season, status=Meeting.Status.PROPOSED)
        if meeting.pk and meeting.status != Meeting.Status.PROPOSED:
            continue
        meeting.host_id = row.proposal.host
        meeting.rotation_reason = row.proposal.reason
        meeting._change_reason = "rotation plan"
        if by is not None:
            meeting._history_user = by
        meeting.save()
        cache.changed(meeting)
        row.meeting = meeting
        row.written = True
    return planned


def _check_neighbours(meeting: Meeting, host_id: int, *, ignore: set[int] = frozenset(), hosts=None) -> None:
    """Refuse a host that would host two consecutive slots."""
    hosts = hosts or {}
    prev_slot = (meeting.year - 1, 1) if meeting.slot[1] == 0 else (meeting.year, 0)
    next_slot = rotation.next_slot(meeting.slot)
    for year, half in (prev_slot, next_slot):
        neighbour = (
            Meeting.objects.network()
            .filter(year=year, season=selectors.SEASON_OF_INDEX[half])
            .exclude(status=Meeting.Status.CANCELLED)
            .first()
        )
        if neighbour is None:
            continue
        neighbour_host = hosts.get(neighbour.pk, neighbour.host_id)
        if neighbour_host == host_id:
            raise MeetingError(
                _("%(institution)s would host two meetings in a row (%(meeting)s).")
                % {"institution": Institution.objects.get(pk=host_id), "meeting": neighbour}
            )


@transaction.atomic
def meeting_override_host(*, meeting: Meeting, host: Institution, by) -> Meeting:
    """The secretariat fixes a slot's host; the host counts as confirmed (never moved).

    Side effects: the new host's contacts are emailed that they host it, the previous host's that
    they no longer do (outbox, after commit).
    """
    meeting = _lock(meeting)
    if meeting.status not in (Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED):
        raise MeetingError(_("Only a proposed or confirmed host can be changed."))
    if not host.is_member:
        raise MeetingError(_("Only a current member institution can host a meeting."))
    if meeting.declines.filter(institution=host).exists():
        raise MeetingError(_("%(institution)s has declined this meeting.") % {"institution": host})
    _check_neighbours(meeting, host.pk)
    previous = meeting.host
    meeting.host = host
    meeting.status = Meeting.Status.CONFIRMED
    meeting.rotation_reason = {"kind": "override"}
    _save(
        meeting,
        by=by,
        reason=f"host set by the secretariat (was {previous or '-'})",
        fields=["host", "status", "rotation_reason"],
    )
    _tell_host_change(meeting, previous.pk if previous else None)
    return meeting


@transaction.atomic
def meeting_swap_hosts(*, first: Meeting, second: Meeting, by) -> tuple[Meeting, Meeting]:
    """The secretariat swaps the hosts of two slots; both hosts become confirmed.

    Side effects: each host's contacts are emailed which meeting they now host, and no longer host.
    """
    if first.pk == second.pk:
        raise MeetingError(_("Choose two different meetings to swap."))
    a, b = (Meeting.objects.select_for_update().get(pk=m.pk) for m in (first, second))
    for meeting in (a, b):
        if meeting.status not in (Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED):
            raise MeetingError(
                _("%(meeting)s is already scheduled or over: its host cannot be swapped.") % {"meeting": meeting}
            )
        if meeting.host_id is None:
            raise MeetingError(_("%(meeting)s has no host to swap.") % {"meeting": meeting})
    if a.declines.filter(institution_id=b.host_id).exists() or b.declines.filter(institution_id=a.host_id).exists():
        raise MeetingError(_("One of the institutions has declined the other slot."))
    hosts = {a.pk: b.host_id, b.pk: a.host_id}
    _check_neighbours(a, b.host_id, hosts=hosts)
    _check_neighbours(b, a.host_id, hosts=hosts)
    previous = {a.pk: a.host_id, b.pk: b.host_id}
    a.host_id, b.host_id = b.host_id, a.host_id
    for meeting, other in ((a, b), (b, a)):
        meeting.status = Meeting.Status.CONFIRMED
        meeting.rotation_reason = {"kind": "override"}
        _save(meeting, by=by, reason=f"host swapped with {other}", fields=["host", "status", "rotation_reason"])
        _tell_host_change(meeting, previous[meeting.pk])
    return a, b


@transaction.atomic
def meeting_accept_hosting(*, meeting: Meeting, by) -> Meeting:
    """The host institution accepts the slot: proposed -> confirmed."""
    meeting = _lock(meeting)
    if meeting.status == Meeting.Status.CONFIRMED:
        raise MeetingError(_("Your institution has already accepted to host this meeting."))
    _move(meeting, Meeting.Status.CONFIRMED)
    _save(meeting, by=by, reason="hosting accepted", fields=["status"])
    return meeting


@transaction.atomic
def meeting_decline_hosting(*, meeting: Meeting, by, reason: str = "") -> Meeting:
    """The host institution cannot host this slot: record the decline and re-plan the slot.

    Side effects: a HostDecline row; the slot gets the planner's next proposal (status proposed).
    """
    meeting = _lock(meeting)
    if meeting.status not in (Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED) or meeting.host_id is None:
        raise MeetingError(_("Hosting can only be declined before the meeting is scheduled."))
    declined = meeting.host
    cache.changed(HostDecline.objects.create(meeting=meeting, institution=declined, declined_by=by, reason=reason))
    meeting.status = Meeting.Status.PROPOSED
    meeting.host = None
    meeting.rotation_reason = {}
    _save(meeting, by=by, reason=f"hosting declined by {declined}", fields=["status", "host", "rotation_reason"])
    # Only this slot (and the next, so as not to put the next slot's host right before it).
    for row in selectors.rotation_preview(count=2, first=meeting.slot):
        if row.slot == meeting.slot:
            meeting.host_id = row.proposal.host
            meeting.rotation_reason = row.proposal.reason
            _save(meeting, by=by, reason="re-planned after a decline", fields=["host", "rotation_reason"])
    # reminders: the newly proposed host's contacts are asked by the sweep (meeting_host_proposed).
    return meeting


# --- Scheduling ------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    meeting: Meeting,
    by,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue: str,
    address: str = "",
    registration_deadline: datetime.datetime | None = None,
    capacity: int | None = None,
    practical_information: str = "",
    title: str = "",
    format: str = Meeting.Format.IN_PERSON,
    video_link: str = "",
) -> Meeting:
    """Set (or change) date, place and registration of a meeting: confirmed -> scheduled.

    Side effects: `sequence` + 1 when the date or place of a scheduled meeting changes; a raised
    capacity promotes people from the waiting list.
    """
    meeting = _lock(meeting)
    if meeting.status not in (Meeting.Status.CONFIRMED, Meeting.Status.SCHEDULED):
        if meeting.status == Meeting.Status.PROPOSED:
            raise MeetingError(_("The host institution must accept hosting before the meeting is scheduled."))
        raise MeetingError(_("This meeting can no longer be changed."))
    if ends_at <= starts_at:
        raise MeetingError(_("The meeting must end after it starts."))
    if format not in Meeting.Format.values:
        raise MeetingError(_("Choose in person, hybrid or online."))
    if format != Meeting.Format.ONLINE and not venue.strip():
        raise MeetingError(_("Give the venue of a meeting held in person."))
    if format != Meeting.Format.IN_PERSON and not video_link.strip():
        raise MeetingError(_("Give the video-call link of an online or hybrid meeting."))
    if registration_deadline is not None and registration_deadline > starts_at:
        raise MeetingError(_("The registration deadline must be before the meeting starts."))
    outside = [i for i in meeting.agenda_items.all() if not _within(i.starts_at, i.ends_at, starts_at, ends_at)]
    if outside:
        raise MeetingError(
            _("The agenda item “%(item)s” would be outside the meeting: move it first.") % {"item": outside[0]}
        )
    was_scheduled = meeting.status == Meeting.Status.SCHEDULED
    moved = (
        meeting.starts_at,
        meeting.ends_at,
        meeting.venue,
        meeting.address,
        meeting.format,
        meeting.video_link,
    ) != (
        starts_at,
        ends_at,
        venue,
        address,
        format,
        video_link,
    )
    old_capacity = meeting.capacity
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.venue, meeting.address = venue, address
    meeting.format, meeting.video_link = format, video_link.strip()
    meeting.registration_deadline = registration_deadline
    meeting.capacity = capacity
    meeting.practical_information = practical_information
    meeting.title = title
    if was_scheduled and moved:
        meeting.sequence += 1
        # reminders: date or place changed: the sweep sends meeting_update once per `sequence`.
    if not was_scheduled:
        _move(meeting, Meeting.Status.SCHEDULED)
        # reminders: from now on the sweep sends meeting_invitation to every active member.
    _save(
        meeting,
        by=by,
        reason="rescheduled" if was_scheduled else "scheduled",
        fields=[
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "format",
            "video_link",
            "registration_deadline",
            "capacity",
            "practical_information",
            "title",
            "sequence",
            "status",
        ],
    )
    if not was_scheduled:
        webhook_emit(event="meeting.scheduled", obj=meeting)
    elif moved:
        webhook_emit(
            event="meeting.rescheduled", obj=meeting, object_key=f"{object_key_of(meeting)}@{meeting.sequence}"
        )
    if capacity is None or (old_capacity is not None and capacity > old_capacity):
        attendance_promote_waiting_list(meeting=meeting)
    return meeting


def _within(item_start, item_end, start, end) -> bool:
    if item_start is not None and not (start <= item_start <= end):
        return False
    return not (item_end is not None and not (start <= item_end <= end))


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by) -> Meeting:
    meeting = _lock(meeting)
    if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at and meeting.starts_at > timezone.now():
        raise MeetingError(_("A meeting can only be marked as held once it has started."))
    _move(meeting, Meeting.Status.HELD)
    _save(meeting, by=by, reason="held", fields=["status"])
    # reminders: the sweep reminds the host to publish the minutes (meeting_minutes_request).
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    meeting = _lock(meeting)
    _move(meeting, Meeting.Status.CANCELLED)
    meeting.sequence += 1  # calendars must replace the event with a cancelled one
    _save(meeting, by=by, reason="cancelled", fields=["status", "sequence"])
    webhook_emit(event="meeting.cancelled", obj=meeting)
    # reminders: the sweep tells the invited and registered (meeting_cancelled).
    return meeting


@transaction.atomic
def meeting_publish_minutes(*, meeting: Meeting, by) -> Meeting:
    meeting = _lock(meeting)
    # An uploaded file, or the site's own minutes once published (meetings/minutes/services.py).
    written = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.PUBLISHED).exists()
    if not (written or meeting.documents.filter(kind=MeetingDocument.Kind.MINUTES).exists()):
        raise MeetingError(_("Upload the minutes before publishing them."))
    if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at and meeting.starts_at <= timezone.now():
        _move(meeting, Meeting.Status.HELD)  # publishing minutes shows the meeting was held
    _move(meeting, Meeting.Status.MINUTES_PUBLISHED)
    meeting.minutes_published_at = timezone.now()
    _save(meeting, by=by, reason="minutes published", fields=["status", "minutes_published_at"])
    webhook_emit(event="meeting.minutes_published", obj=meeting)
    # The participants are told, with the decisions (meetings/reminders.py, meeting_minutes_published):
    # recorded by a sweep of that one kind right after the commit; the 5-minute sweep would anyway.
    transaction.on_commit(_sweep_minutes_published)
    return meeting


def _sweep_minutes_published() -> None:
    # Imported here: a task module sits above the services (STYLE rule 1).
    from network.tasks import reminders_sweep_task

    reminders_sweep_task.apply_async(kwargs={"only": ["meeting_minutes_published"]})


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by,
    title: str,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    presenter: str = "",
    description: str = "",
    position: int | None = None,
) -> AgendaItem:
    meeting = _lock(meeting)
    if meeting.status not in (Meeting.Status.CONFIRMED, Meeting.Status.SCHEDULED):
        raise MeetingError(_("The agenda of this meeting can no longer be changed."))
    if (starts_at or ends_at) and not (meeting.starts_at and meeting.ends_at):
        raise MeetingError(_("Set the meeting's start and end before giving agenda items times."))
    if ends_at is not None and starts_at is not None and ends_at <= starts_at:
        raise MeetingError(_("An agenda item must end after it starts."))
    if ends_at is not None and starts_at is None:
        raise MeetingError(_("An agenda item with an end needs a start."))
    if (starts_at or ends_at) and not _within(starts_at, ends_at, meeting.starts_at, meeting.ends_at):
        raise MeetingError(_("An agenda item must be within the meeting's start and end."))
    if position is None:
        position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        presenter=presenter,
        description=description,
        position=position,
    )
    cache.changed(item)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by) -> None:
    if item.meeting.status not in (Meeting.Status.CONFIRMED, Meeting.Status.SCHEDULED):
        raise MeetingError(_("The agenda of this meeting can no longer be changed."))
    item.delete()
    cache.changed(item)


# --- Attendance (RSVP) -----------------------------------------------------------------------


def registration_open(meeting: Meeting, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    deadline = meeting.registration_deadline or meeting.starts_at
    return meeting.status == Meeting.Status.SCHEDULED and deadline is not None and now <= deadline


def _check_rsvp(meeting: Meeting, by) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting is cancelled."))
    if meeting.status != Meeting.Status.SCHEDULED:
        raise MeetingError(_("Registration for this meeting is not open."))
    # Staff answer after the deadline only with their staff rights (a second factor in the session).
    if not registration_open(meeting) and not (by is not None and is_staff_with_mfa(by)):
        raise MeetingError(_("The registration deadline has passed; please contact the secretariat."))


def _seat_status(meeting: Meeting) -> str:
    if meeting.capacity is None:
        return Attendance.Status.ATTENDING
    taken = meeting.attendances.attending().count()
    return Attendance.Status.ATTENDING if taken < meeting.capacity else Attendance.Status.WAITING


@transaction.atomic
def attendance_respond(
    *, meeting: Meeting, member: Member, by, attending: bool, dietary_needs: str = "", remarks: str = ""
) -> Attendance:
    """A member answers (or changes the answer): attending, or not. A full meeting puts her on the
    waiting list; a cancelled seat goes to the first on the waiting list."""
    meeting = _lock(meeting)
    _check_rsvp(meeting, by)
    attendance = meeting.attendances.filter(member=member).first()
    previous = attendance.status if attendance else None
    if attending:
        status = previous if previous in (Attendance.Status.ATTENDING, Attendance.Status.WAITING) else None
        status = status or _seat_status(meeting)
    else:
        status = Attendance.Status.NOT_ATTENDING
    now = timezone.now()
    if attendance is None:
        attendance = Attendance(meeting=meeting, member=member)
    attendance.status = status
    attendance.dietary_needs = dietary_needs if attending else ""
    attendance.remarks = remarks
    attendance.responded_at = now
    attendance.changed_by = _acting_user(by)
    if status == Attendance.Status.WAITING and previous != Attendance.Status.WAITING:
        attendance.waitlisted_at = now
    if status != Attendance.Status.WAITING:
        attendance.waitlisted_at = None
    if not attending:
        attendance.stand_in_for = None
    attendance.save()
    cache.changed(attendance)
    if previous == Attendance.Status.ATTENDING and status != Attendance.Status.ATTENDING:
        attendance_promote_waiting_list(meeting=meeting)
    return attendance


@transaction.atomic
def attendance_promote_waiting_list(*, meeting: Meeting) -> list[Attendance]:
    """Give free seats to the waiting list, first come first served. Returns who was promoted."""
    promoted = []
    waiting = list(meeting.attendances.waiting().select_for_update())
    free = None if meeting.capacity is None else meeting.capacity - meeting.attendances.attending().count()
    for attendance in waiting:
        if free is not None and free <= 0:
            break
        attendance.status = Attendance.Status.ATTENDING
        # reminders: `waitlisted_at` is kept: an attending attendance that still has it was promoted,
        # and meetings/reminders.py (meeting_waitlist_promoted) tells the member she got a seat.
        attendance.save(update_fields=["status"])
        cache.changed(attendance, fields=["status"])
        promoted.append(attendance)
        if free is not None:
            free -= 1
    return promoted


@transaction.atomic
def attendance_send_stand_in(*, meeting: Meeting, member: Member, stand_in: Member, by) -> Attendance:
    """A member cannot come and sends a colleague of her own institution; the stand-in takes her
    seat (or her place on the waiting list)."""
    meeting = _lock(meeting)
    _check_rsvp(meeting, by)
    if stand_in.pk == member.pk:
        raise MeetingError(_("Choose a colleague as your stand-in."))
    if stand_in.institution_id != member.institution_id or not stand_in.is_active_member:
        raise MeetingError(_("A stand-in must be a member of your own institution."))
    existing = meeting.attendances.filter(member=stand_in).first()
    if existing and existing.status in (Attendance.Status.ATTENDING, Attendance.Status.WAITING):
        raise MeetingError(_("%(person)s has already registered.") % {"person": stand_in})
    own = meeting.attendances.filter(member=member).first()
    now = timezone.now()
    seat = own.status if own and own.status != Attendance.Status.NOT_ATTENDING else _seat_status(meeting)
    if own is None:
        own = Attendance(meeting=meeting, member=member)
    waitlisted_at = own.waitlisted_at or now if seat == Attendance.Status.WAITING else None
    own.status = Attendance.Status.NOT_ATTENDING
    own.waitlisted_at = None
    own.responded_at = now
    own.changed_by = by
    own.save()
    cache.changed(own)
    attendance = existing or Attendance(meeting=meeting, member=stand_in)
    attendance.status = seat
    attendance.stand_in_for = member
    attendance.waitlisted_at = waitlisted_at
    attendance.responded_at = now
    attendance.changed_by = by
    attendance.save()
    cache.changed(attendance)
    # reminders: the stand-in, an active member, gets meeting_invitation from the sweep if not yet sent.
    return attendance


@transaction.atomic
def attendance_mark(*, meeting: Meeting, by, present: list[Member]) -> int:
    """After the meeting, the host or the secretariat marks who actually came: `present` were there
    (someone who came without registering gets an attendance), every other answer was not.
    Returns how many were there."""
    meeting = _lock(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting is cancelled."))
    held = meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED)
    if not held and not (meeting.starts_at and meeting.starts_at <= timezone.now()):
        raise MeetingError(_("Attendance can only be marked once the meeting has started."))
    there = {member.pk for member in present}
    answered = set(meeting.attendances.values_list("member_id", flat=True))
    meeting.attendances.filter(member_id__in=there).update(attended=True)
    meeting.attendances.exclude(member_id__in=there).update(attended=False)
    now = timezone.now()
    walk_ins = [
        Attendance(
            meeting=meeting,
            member_id=pk,
            status=Attendance.Status.ATTENDING,
            attended=True,
            responded_at=now,
            changed_by=_acting_user(by),
        )
        for pk in sorted(there - answered)
    ]
    Attendance.objects.bulk_create(walk_ins)
    cache.changed(*meeting.attendances.all())  # who came: the meeting's people and the participation register
    return len(there)


# --- Documents -------------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *, meeting: Meeting, by, kind: str, title: str, uploaded_file: UploadedFile, publish_minutes: bool = False
) -> MeetingDocument:
    """Store a checked document under MEDIA_ROOT; optionally publish the minutes with it."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting is cancelled."))
    if uploaded_file.size > settings.MAX_UPLOAD_SIZE:
        raise MeetingError(_("The file is too large."))
    publish = publish_minutes and kind == MeetingDocument.Kind.MINUTES
    started = meeting.starts_at is not None and meeting.starts_at <= timezone.now()
    if publish and not (
        meeting.status == Meeting.Status.HELD or (meeting.status == Meeting.Status.SCHEDULED and started)
    ):
        # Refused before the file is written: nothing is left behind on disk.
        raise MeetingError(_("Minutes can only be published once the meeting has taken place."))
    try:
        content_type = sniff_upload(uploaded_file)
    except ValidationError as error:
        raise MeetingError(error.messages[0]) from error
    document = MeetingDocument(
        meeting=meeting,
        kind=kind,
        title=title or uploaded_file.name,
        original_name=uploaded_file.name[-255:],
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=by,
    )
    document.file.save(uploaded_file.name, uploaded_file, save=False)
    document.save()
    cache.changed(document)
    if publish:
        meeting_publish_minutes(meeting=meeting, by=by)
    return document


# --- Decisions and actions ----------------------------------------------------------------------


def _check_recordable(meeting: Meeting) -> None:
    """Decisions are taken at a meeting: once it has started, and never at a cancelled one."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting is cancelled."))
    held = meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED)
    started = meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at and meeting.starts_at <= timezone.now()
    if not (held or started):
        raise MeetingError(_("Decisions and actions can only be recorded once the meeting has started."))


def _clean_text(text_sv: str, text_en: str) -> tuple[str, str]:
    text_sv, text_en = text_sv.strip(), text_en.strip()
    if not (text_sv or text_en):
        raise MeetingError(_("Write the decision in Swedish, English or both."))
    return text_sv, text_en


@transaction.atomic
def decision_record(
    *, meeting: Meeting, by, text_sv: str = "", text_en: str = "", theme=None, agenda_item: AgendaItem | None = None
) -> Decision:
    """A decision of `meeting`, at the end of its list (under `agenda_item` when taken there: the minutes)."""
    meeting = _lock(meeting)
    _check_recordable(meeting)
    text_sv, text_en = _clean_text(text_sv, text_en)
    _check_agenda_item(meeting, agenda_item)
    position = (meeting.decisions.aggregate(m=Max("position"))["m"] or 0) + 1
    decision = Decision.objects.create(
        meeting=meeting,
        position=position,
        text_sv=text_sv,
        text_en=text_en,
        theme=theme,
        agenda_item=agenda_item,
        recorded_by=_acting_user(by),
    )
    cache.changed(decision)
    webhook_emit(event="decision.recorded", obj=decision)
    return decision


def _check_agenda_item(meeting: Meeting, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise MeetingError(_("The agenda item belongs to another meeting."))


@transaction.atomic
def decision_update(*, decision: Decision, by, text_sv: str = "", text_en: str = "", theme=None) -> Decision:
    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if decision.meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting is cancelled."))
    decision.text_sv, decision.text_en = _clean_text(text_sv, text_en)
    decision.theme = theme
    if getattr(by, "is_authenticated", False):
        decision._history_user = by
    decision.save(update_fields=["text_sv", "text_en", "theme", "updated_at"])
    cache.changed(decision)
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, by) -> None:
    """Remove a decision recorded by mistake; its actions stay (without the link)."""
    if getattr(by, "is_authenticated", False):
        decision._history_user = by
    decision.delete()
    cache.changed(decision)


def _check_action(
    *,
    meeting: Meeting,
    text: str,
    owner_member: Member | None,
    owner_institution: Institution | None,
    due_meeting: Meeting | None,
    due_on: datetime.date | None,
    decision: Decision | None,
) -> str:
    text = text.strip()
    if not text:
        raise MeetingError(_("Say what is to be done."))
    if (owner_member is None) == (owner_institution is None):
        raise MeetingError(_("An action has one owner: a member or an institution."))
    if owner_member is not None and not owner_member.is_active_member:
        raise MeetingError(_("%(person)s is not an active member.") % {"person": owner_member})
    if owner_institution is not None and not owner_institution.is_member:
        raise MeetingError(_("%(institution)s is not a member institution.") % {"institution": owner_institution})
    if due_meeting is None and due_on is None:
        raise MeetingError(_("Give the meeting or the date the action is due by."))
    if due_meeting is not None:
        if due_meeting.starts_at and meeting.starts_at:
            later = due_meeting.starts_at > meeting.starts_at  # two kinds of meeting may share a slot
        else:
            later = due_meeting.slot > meeting.slot
        if due_meeting.pk == meeting.pk or not later:
            raise MeetingError(_("An action is due by a later meeting than the one that agreed it."))
        if due_meeting.status == Meeting.Status.CANCELLED:
            raise MeetingError(_("%(meeting)s is cancelled.") % {"meeting": due_meeting})
        if due_meeting.is_restricted and not meeting.is_restricted:
            # Every member sees this action, and with it the meeting it is due by.
            raise MeetingError(_("An action every member sees cannot be due by a steering-group meeting."))
    if due_on is not None and meeting.starts_at is not None and due_on < timezone.localdate(meeting.starts_at):
        raise MeetingError(_("The due date cannot be before the meeting that agreed the action."))
    if decision is not None and decision.meeting_id != meeting.pk:
        raise MeetingError(_("The decision belongs to another meeting."))
    return text


@transaction.atomic
def action_record(
    *,
    meeting: Meeting,
    by,
    text: str,
    owner_member: Member | None = None,
    owner_institution: Institution | None = None,
    due_meeting: Meeting | None = None,
    due_on: datetime.date | None = None,
    theme=None,
    decision: Decision | None = None,
    agenda_item: AgendaItem | None = None,
) -> Action:
    """An open action agreed at `meeting` (under `agenda_item` when agreed there: the minutes). Its
    owner is reminded before the meeting it is due by (meetings/reminders.py, meeting_action_due),
    and it is listed on that meeting's agenda."""
    meeting = _lock(meeting)
    _check_recordable(meeting)
    _check_agenda_item(meeting, agenda_item)
    text = _check_action(
        meeting=meeting,
        text=text,
        owner_member=owner_member,
        owner_institution=owner_institution,
        due_meeting=due_meeting,
        due_on=due_on,
        decision=decision,
    )
    action = Action.objects.create(
        meeting=meeting,
        decision=decision,
        text=text,
        owner_member=owner_member,
        owner_institution=owner_institution,
        due_meeting=due_meeting,
        due_on=due_on,
        theme=theme,
        agenda_item=agenda_item,
        recorded_by=_acting_user(by),
    )
    cache.changed(action)
    webhook_emit(event="action.recorded", obj=action)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    by,
    text: str,
    owner_member: Member | None = None,
    owner_institution: Institution | None = None,
    due_meeting: Meeting | None = None,
    due_on: datetime.date | None = None,
    theme=None,
    decision: Decision | None = None,
) -> Action:
    """Change what, who or by when (a new owner or due meeting gets the reminder in its turn)."""
    action = Action.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=action.pk)
    cache.changed(action)  # its previous owner and due meeting
    action.text = _check_action(
        meeting=action.meeting,
        text=text,
        owner_member=owner_member,
        owner_institution=owner_institution,
        due_meeting=due_meeting,
        due_on=due_on,
        decision=decision,
    )
    action.owner_member, action.owner_institution = owner_member, owner_institution
    action.due_meeting, action.due_on = due_meeting, due_on
    action.theme, action.decision = theme, decision
    if getattr(by, "is_authenticated", False):
        action._history_user = by
    action.save(
        update_fields=[
            "text",
            "owner_member",
            "owner_institution",
            "due_meeting",
            "due_on",
            "theme",
            "decision",
            "updated_at",
        ]
    )
    cache.changed(action)
    return action


# Every status may be reached from every other (a dropped action can be taken up again).
ACTION_TRANSITIONS: dict[str, set[str]] = {
    Action.Status.OPEN: {Action.Status.DONE, Action.Status.DROPPED},
    Action.Status.DONE: {Action.Status.OPEN},
    Action.Status.DROPPED: {Action.Status.OPEN},
}


@transaction.atomic
def action_set_status(*, action: Action, by, status: str, outcome: str = "") -> Action:
    """Open -> done or dropped (with a short outcome; dropping needs one), or back to open."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    outcome = outcome.strip()
    if status not in Action.Status.values:
        raise MeetingError(_("Choose a valid status."))
    if status != action.status and status not in ACTION_TRANSITIONS[action.status]:
        raise MeetingError(
            _("An action that is “%(current)s” cannot become “%(target)s”.")
            % {"current": action.get_status_display(), "target": Action.Status(status).label}
        )
    if status == Action.Status.DROPPED and not outcome:
        raise MeetingError(_("Say briefly why the action is dropped."))
    if status == action.status and outcome == action.outcome:
        raise MeetingError(_("Nothing has changed."))
    if status == Action.Status.OPEN:
        action.closed_at = None
    elif status != action.status or action.closed_at is None:
        action.closed_at = timezone.now()
    action.status = status
    action.outcome = outcome
    if getattr(by, "is_authenticated", False):
        action._history_user = by
    action.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    cache.changed(action)
    return action


# --- The personal calendar feed --------------------------------------------------------------


@transaction.atomic
def calendar_token_regenerate(*, member: Member) -> str:
    """A new secret feed URL; the old one answers 404 from now on (revocation)."""
    member.calendar_token = secrets.token_urlsafe(32)
    member.save(update_fields=["calendar_token"])
    cache.changed(member, fields=["calendar_token"])
    return member.calendar_token
