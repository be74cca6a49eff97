"""The secretariat's weekly digest: what waits for a decision or an action, gathered from every app.

A reminder kind like any other (network/outbox/worker.py): due every Monday at the offset in
settings.REMINDER_OFFSETS["digest"], one row per secretariat address and ISO week, so a week's digest
is sent once however often the sweep runs. Its content is gathered when it is sent.
"""

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from meetings.models import Meeting
from network.models import Member
from network.outbox.worker import Due, reminder_kind, reminder_offset
from projects.selectors import reports_overdue


def week_start(now: datetime) -> datetime:
    """Monday 00:00 (Stockholm) of the week `now` falls in."""
    local = timezone.localtime(now)
    monday = local.date() - timedelta(days=local.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def waiting_applications():
    return Member.objects.applicants().select_related("user", "institution").order_by("applied_at")


def unscheduled_meetings():
    return (
        Meeting.objects.filter(status__in=[Meeting.Status.PROPOSED, Meeting.Status.CONFIRMED], starts_at__isnull=True)
        .select_related("host")
        .order_by("year", "-season")
    )


def overdue_reports() -> list:
    """Project reports past their round's deadline and not submitted (projects.selectors.OwedReport)."""
    return reports_overdue(on=timezone.localdate())


@reminder_kind("digest", template="digest", optional=False)
def weekly_digest(now: datetime) -> Iterator[Due]:
    due_at = week_start(now) + reminder_offset("digest")
    iso = timezone.localtime(due_at).isocalendar()
    for address in settings.SECRETARIAT_EMAILS:
        yield Due(
            object_key=f"{iso.year}-W{iso.week:02d}",
            recipient_email=address,
            due_at=due_at,
            expires_at=due_at + timedelta(days=3),  # a digest found late on Thursday is not worth sending
        )


@weekly_digest.context
def _digest_context(delivery) -> dict:
    return {
        "week": delivery.object_key,
        "applications": list(waiting_applications()),
        "meetings": list(unscheduled_meetings()),
        "reports": list(overdue_reports()),
    }
