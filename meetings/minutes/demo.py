"""Demo minutes (called by meetings/demo.py seed_decisions, idempotent): the meetings held before
the latest have minutes written on the site, approved at the meeting after them and published; the
latest meeting's draft minutes are circulated to its participants for comments (two have
commented), and the next meeting's agenda has their approval. Written through the services (so
every version is there), but the demo mails nobody."""

import datetime

from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Meeting, MeetingDocument, Minutes
from meetings.reminders import participants_to_tell

from . import services

TEXTS = [
    "Ordföranden hälsade välkommen. Deltagarna presenterade sig.",
    "Inbjudna talare inledde och nätverket diskuterade temat i grupper. Diskussionen sammanfattas i bilagan.",
    "",
    "Projektledarna redovisade läget i sina projekt. Två projekt är försenade men följer en ny tidsplan.",
    "Nästa möte bekräftades. Ordföranden tackade värden och avslutade mötet.",
]
COMMENTS = [
    "Under § 2 bör det framgå att Vinnova deltog.",
    "Rätt titel på rapporten är ”Samverkan som strategi 2.0”.",
]


def _write(meeting: Meeting) -> Minutes:
    minutes = services.minutes_start(meeting=meeting, by=None)
    items = list(minutes.items.order_by("position"))
    services.minutes_edit(
        minutes=minutes,
        by=None,
        introduction=f"Närvarande: se deltagarlistan. Ordförande: värdens representant. Värd: {meeting.host}.",
        texts={item.pk: TEXTS[i % len(TEXTS)] for i, item in enumerate(items)},
    )
    # The decisions and actions seed_decisions recorded go under the theme and the projects' items.
    if len(items) >= 4:
        meeting.decisions.filter(agenda_item=None).update(agenda_item=items[1].agenda_item)
        meeting.actions.filter(agenda_item=None).update(agenda_item=items[3].agenda_item)
    return minutes


def _published(meeting: Meeting, following: Meeting) -> None:
    minutes = _write(meeting)
    circulated = meeting.ends_at + datetime.timedelta(days=7)
    deadline = circulated + datetime.timedelta(days=14)
    # Approved at the meeting after it: its agenda had the item (made first, so circulating finds it).
    AgendaItem.objects.create(
        meeting=following,
        position=0,
        title=f"Godkännande av protokollet från {meeting.display_title}",
        approves_minutes=minutes,
    )
    services.minutes_circulate(
        minutes=minutes, by=None, deadline=timezone.now() + datetime.timedelta(days=1), notify=False
    )
    Minutes.objects.filter(pk=minutes.pk).update(circulated_at=circulated, comment_deadline=deadline)
    minutes.refresh_from_db()
    services.minutes_approve(minutes=minutes, by=None)
    services.minutes_publish(minutes=minutes, by=None)
    Minutes.objects.filter(pk=minutes.pk).update(
        approved_at=following.starts_at, approved_at_meeting=following, published_at=following.ends_at
    )


def _circulated(meeting: Meeting) -> None:
    """The latest meeting: held, its minutes not yet published (no uploaded file either)."""
    meeting.documents.filter(kind=MeetingDocument.Kind.MINUTES).delete()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD, minutes_published_at=None)
    meeting.refresh_from_db()
    minutes = _write(meeting)
    deadline = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0) + datetime.timedelta(days=10)
    services.minutes_circulate(minutes=minutes, by=None, deadline=deadline, notify=False)
    items = list(minutes.items.order_by("position"))
    for text, member in zip(COMMENTS, participants_to_tell(meeting).order_by("pk")[:2], strict=False):
        services.minutes_comment(minutes=minutes, by=member.user, text=text, item=items[1] if len(items) > 1 else None)


def seed(past: list[Meeting]) -> None:
    """`past`: the meetings held that have decisions, oldest first (seed_decisions')."""
    if not past or Minutes.objects.exists():
        return
    network = [m for m in past if m.kind == Meeting.Kind.NETWORK]
    for meeting, following in zip(network, network[1:], strict=False):
        _published(meeting, following)
    latest = network[-1] if network else None
    if latest is not None and latest.attendances.filter(status=Attendance.Status.ATTENDING).exists():
        _circulated(latest)
