"""Is mail going out? What the secretariat is told when it has been failing for a while.

Mail is "failing" when the oldest row waiting on a retry (a 4xx answer or no connection,
`Delivery.objects.waiting_on_retry()`) failed first more than settings.OUTBOX_FAILING_NOTICE_AFTER
ago. Then, once per outage, `outbox_check` (beat, every 5 minutes: kloss_site/celery.py) queues one
notice to settings.SECRETARIAT_EMAILS through the outbox itself: while the mail server is down the
notice waits like every other row and goes out when the server is back. So that the secretariat
also sees it while nothing can be mailed, the admin's Deliveries page and /healthz show
`outbox_trouble()` (computed from the rows, no state of its own).

The marker of "told" is the notice's own row in the database (kind "outbox_failing"), never a cache:
- no notice yet: told when mail is failing;
- a notice exists: mail has recovered once any email was sent after that notice was queued (the
  notice itself, as soon as the server takes it). Only rows whose first failure came after that
  recovery count for a new outage, so the rows still waiting out a retry from the old one never
  trigger a second notice; a new notice comes only after mail recovered and then failed again for
  settings.OUTBOX_FAILING_NOTICE_AFTER.
The notice's object key holds the failure it reports, so two checks at once queue it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from network.models import Delivery
from network.outbox.mail import mail_enqueue

KIND = "outbox_failing"
TEMPLATE = "network/outbox_failing"


@dataclass(frozen=True)
class MailTrouble:
    since: datetime  # the first failure of the oldest row waiting on a retry
    waiting: int  # rows waiting on a retry
    last_error: str  # the error of the row that failed last


def _trouble(rows, now: datetime) -> MailTrouble | None:
    found = rows.aggregate(since=Min("failing_since"), waiting=Count("pk"))
    if found["since"] is None or now - found["since"] < settings.OUTBOX_FAILING_NOTICE_AFTER:
        return None
    last_error = rows.order_by("-failing_since", "-pk").values_list("last_error", flat=True).first() or ""
    return MailTrouble(since=found["since"], waiting=found["waiting"], last_error=last_error)


def outbox_trouble(*, now: datetime | None = None) -> MailTrouble | None:
    """Mail failing for longer than settings.OUTBOX_FAILING_NOTICE_AFTER (two queries), or None."""
    return _trouble(Delivery.objects.emails().waiting_on_retry(), now or timezone.now())


@transaction.atomic
def outbox_check(*, now: datetime | None = None) -> list[int]:
    """Tell the secretariat, once per outage, that mail has been failing; the new notice rows' ids.

    Side effects: when mail is failing and this outage was not told yet (see the module docstring),
    one Delivery of kind "outbox_failing" per address in settings.SECRETARIAT_EMAILS, handed to the
    worker after commit. Rerunning it is a no-op until mail has recovered and failed again.
    """
    now = now or timezone.now()
    rows = Delivery.objects.emails().waiting_on_retry()  # a failing webhook receiver is not the mail server
    notices = Delivery.objects.filter(kind=KIND).order_by("-created_at", "-pk")
    told = notices.values_list("created_at", flat=True).first()
    if told is not None:
        recovered = Delivery.objects.emails().filter(sent_at__gt=told).aggregate(at=Min("sent_at"))["at"]
        if recovered is None:
            return []  # the outage we told of goes on
        rows = rows.filter(failing_since__gt=recovered)
    trouble = _trouble(rows, now)
    if trouble is None:
        return []
    return mail_enqueue(
        kind=KIND,  # registered in network/notices.py (its context is built when it is sent)
        to=settings.SECRETARIAT_EMAILS,
        object_key=f"outbox:{trouble.since.isoformat()}",
        context={
            "since": trouble.since.isoformat(),
            "waiting": trouble.waiting,
            "last_error": trouble.last_error,
            "retry_hours": int(settings.REMINDER_RETRY_FOR.total_seconds() // 3600),
        },
        due_at=now,
    )
