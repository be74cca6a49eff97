"""Every write of the minutes. Keyword-only, atomic, refused moves raise MeetingError (translated).

draft -> circulated (comments until a deadline; circulating again moves the deadline) -> approved
(once the deadline has passed) -> published (the meeting's existing "minutes published" step and
notice, meetings/services.py). Every change of the text or the status saves a version.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings import services as meeting_services
from meetings.models import Action, AgendaItem, Decision, Meeting, Minutes, MinutesComment, MinutesItem, MinutesVersion
from meetings.reminders import participants_to_tell
from meetings.services import MeetingError
from network import cache
from network.outbox.mail import mail_enqueue
from network.outbox.worker import object_key_of

from . import selectors

Status = Minutes.Status


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _lock(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=minutes.pk)


def _snapshot(minutes: Minutes, *, by, reason: str) -> MinutesVersion:
    """A new version with the text as it is now (the caller holds the minutes' lock)."""
    number = (minutes.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    text = selectors.document_text(selectors.minutes_document(minutes))
    return MinutesVersion.objects.create(
        minutes=minutes, number=number, status=minutes.status, reason=reason, text=text, created_by=_user(by)
    )


def _check_started(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting is cancelled."))
    held = meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED)
    started = meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at and meeting.starts_at <= timezone.now()
    if not (held or started):
        raise MeetingError(_("Minutes can only be written once the meeting has started."))


@transaction.atomic
def minutes_start(*, meeting: Meeting, by) -> Minutes:
    """The draft, with an item per agenda item (or one item when the meeting had no agenda).
    Returns the existing minutes when there are some."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    _check_started(meeting)
    minutes = Minutes.objects.create(meeting=meeting, drafted_by=_user(by))
    agenda = list(meeting.agenda_items.order_by("position", "starts_at", "pk"))
    if agenda:
        MinutesItem.objects.bulk_create(
            MinutesItem(minutes=minutes, agenda_item=item, position=i, title=item.title)
            for i, item in enumerate(agenda, start=1)
        )
    else:
        with translation.override(settings.LANGUAGE_CODE):
            MinutesItem.objects.create(minutes=minutes, position=1, title=_("The meeting"))
    _snapshot(minutes, by=by, reason="started")
    return minutes


def _check_being_written(minutes: Minutes) -> None:
    if minutes.status not in (Status.DRAFT, Status.CIRCULATED):
        raise MeetingError(_("Approved minutes can no longer be changed."))


@transaction.atomic
def minutes_edit(*, minutes: Minutes, by, introduction: str, texts: dict[int, str]) -> Minutes:
    """Save the opening and the text of each item (`texts`: item id -> text); one new version."""
    minutes = _lock(minutes)
    _check_being_written(minutes)
    items = {item.pk: item for item in minutes.items.all()}
    unknown = set(texts) - set(items)
    if unknown:
        raise MeetingError(_("An item of these minutes no longer exists: reload the page."))
    changed = []
    for pk, text in texts.items():
        text = text.strip()
        if items[pk].text != text:
            items[pk].text = text
            changed.append(items[pk])
    introduction = introduction.strip()
    if not changed and introduction == minutes.introduction:
        raise MeetingError(_("Nothing has changed."))
    MinutesItem.objects.bulk_update(changed, ["text"])
    minutes.introduction = introduction
    minutes.save(update_fields=["introduction", "updated_at"])
    _snapshot(minutes, by=by, reason="edited")
    return minutes


def _approval_item(minutes: Minutes) -> AgendaItem | None:
    """The next meeting's agenda item "approval of the minutes of ...", made once."""
    existing = minutes.approval_items.first()
    if existing is not None:
        return existing
    following = selectors.next_meeting(minutes.meeting)
    if following is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):  # an agenda is written in the site's language
        title = _("Approval of the minutes of %(meeting)s") % {"meeting": minutes.meeting.display_title}
    item = AgendaItem.objects.create(meeting=following, position=0, title=title[:200], approves_minutes=minutes)
    cache.changed(item)
    return item


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, by, deadline: datetime.datetime, notify: bool = True) -> Minutes:
    """Send the minutes to the meeting's participants for comments until `deadline` (again: a new
    deadline, and the participants are told again).

    Side effects: a version; the next meeting's agenda gets "approval of the minutes" (once); each
    participant gets the notice `meeting_minutes_circulated` in her language (outbox, after commit;
    not with `notify=False`: the demo data).
    """
    minutes = _lock(minutes)
    _check_being_written(minutes)
    now = timezone.now()
    if deadline <= now:
        raise MeetingError(_("The deadline for comments must be in the future."))
    if deadline - now > datetime.timedelta(days=180):
        raise MeetingError(_("The deadline for comments must be within six months."))
    if minutes.status == Status.CIRCULATED and deadline == minutes.comment_deadline:
        raise MeetingError(_("The minutes are already circulated with this deadline."))
    minutes.status = Status.CIRCULATED
    minutes.comment_deadline = deadline
    minutes.circulated_at = now
    minutes.save(update_fields=["status", "comment_deadline", "circulated_at", "updated_at"])
    version = _snapshot(minutes, by=by, reason="circulated")
    _approval_item(minutes)
    if not notify:
        return minutes
    mail_enqueue(
        kind="meeting_minutes_circulated",
        to=participants_to_tell(minutes.meeting).select_related("user"),
        obj=minutes,
        object_key=f"{object_key_of(minutes)}@circulated-v{version.number}",
        context={"deadline": deadline.isoformat()},
    )
    return minutes


@transaction.atomic
def minutes_comment(*, minutes: Minutes, by, text: str, item: MinutesItem | None = None) -> MinutesComment:
    """A comment on the circulated minutes (on one item, or on the whole), before the deadline.
    The same comment sent twice (a double click) is kept once."""
    minutes = _lock(minutes)
    if minutes.status != Status.CIRCULATED:
        raise MeetingError(_("The minutes are not open for comments."))
    if minutes.comment_deadline is None or timezone.now() > minutes.comment_deadline:
        raise MeetingError(_("The deadline for comments has passed."))
    text = text.strip()
    if not text:
        raise MeetingError(_("Write your comment."))
    if item is not None and item.minutes_id != minutes.pk:
        raise MeetingError(_("The item belongs to other minutes."))
    version = minutes.versions.aggregate(n=Max("number"))["n"] or 0
    same = MinutesComment.objects.filter(minutes=minutes, item=item, author=_user(by), text=text).first()
    if same is not None:
        return same
    comment = MinutesComment.objects.create(minutes=minutes, item=item, author=_user(by), text=text, version=version)
    return comment


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by) -> Minutes:
    """Circulated -> approved, once the deadline for comments has passed; the meeting whose agenda
    had "approval of the minutes" is recorded as where they were approved."""
    minutes = _lock(minutes)
    if minutes.status != Status.CIRCULATED:
        raise MeetingError(_("Only circulated minutes can be approved."))
    now = timezone.now()
    if not selectors.deadline_passed(minutes, now):
        raise MeetingError(_("The minutes can be approved once the deadline for comments has passed."))
    item = minutes.approval_items.select_related("meeting").first()
    minutes.status = Status.APPROVED
    minutes.approved_at = now
    minutes.approved_by = _user(by)
    minutes.approved_at_meeting = item.meeting if item else None
    minutes.save(update_fields=["status", "approved_at", "approved_by", "approved_at_meeting", "updated_at"])
    _snapshot(minutes, by=by, reason="approved")
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by) -> Minutes:
    """Approved -> published: the meeting's minutes are published as before (its status, and the
    participants' notice `meeting_minutes_published`, meetings/services.py)."""
    minutes = _lock(minutes)
    if minutes.status != Status.APPROVED:
        raise MeetingError(_("Only approved minutes can be published."))
    minutes.status = Status.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["status", "published_at", "updated_at"])
    _snapshot(minutes, by=by, reason="published")
    if minutes.meeting.status != Meeting.Status.MINUTES_PUBLISHED:
        meeting_services.meeting_publish_minutes(meeting=minutes.meeting, by=by)
    return minutes


# --- Decisions and actions recorded in place ----------------------------------------------------


def _item_in_place(minutes: Minutes, item: MinutesItem) -> AgendaItem:
    _check_being_written(minutes)
    if item.minutes_id != minutes.pk or item.agenda_item_id is None:
        raise MeetingError(_("Decisions are recorded under an item of the agenda."))
    return item.agenda_item


@transaction.atomic
def minutes_decision_record(*, minutes: Minutes, item: MinutesItem, by, **data) -> Decision:
    """A decision under `item` (meetings/services.py decision_record), and a version."""
    minutes = _lock(minutes)
    agenda_item = _item_in_place(minutes, item)
    decision = meeting_services.decision_record(meeting=minutes.meeting, by=by, agenda_item=agenda_item, **data)
    _snapshot(minutes, by=by, reason="decision")
    return decision


@transaction.atomic
def minutes_action_record(*, minutes: Minutes, item: MinutesItem, by, **data) -> Action:
    """An action under `item` (meetings/services.py action_record), and a version."""
    minutes = _lock(minutes)
    agenda_item = _item_in_place(minutes, item)
    action = meeting_services.action_record(meeting=minutes.meeting, by=by, agenda_item=agenda_item, **data)
    _snapshot(minutes, by=by, reason="action")
    return action
