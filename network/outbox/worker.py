"""Reminders: a registry of due computers, the sweep that records what is due, and the send service.

How a kind of reminder is added (meetings/reminders.py, projects/reminders.py, kloss_site/digest.py):

    @reminder_kind("meeting_registration_closes", template="meetings/registration_closes", optional=True)
    def registration_closes(now):
        for meeting in ...:                # what is due at `now`, computed from the database
            for member in ...:
                yield Due(obj=meeting, recipient=member, due_at=..., expires_at=meeting.starts_at)

    @registration_closes.still_valid       # optional: re-checked by the worker just before sending
    def _(delivery, now): return delivery.obj.status == "scheduled"

    @registration_closes.context           # optional: the template context, built at send time
    def _(delivery): return {"meeting": delivery.obj}

Offsets ("7 days before") are read from settings.REMINDER_OFFSETS, the one place for all of them.
A reminder that must follow its object when it moves (a meeting that changes date) puts the moment
into `object_key` ("meetings.meeting:12@2027-05-03"): the new date makes a new row, and the old row,
if not yet sent, is skipped by its `still_valid` hook. A repeating kind puts its period there too.
Modules named `reminders` or `notices` in installed apps and the modules in
settings.REMINDER_KIND_MODULES are imported on first use, so the web process, beat and every worker
know the same kinds.

One-off notices (an application decided, a host changed) are the same rows, made by a service
through `network.outbox.mail.mail_enqueue` instead of the sweep; a notice kind that needs hooks is
registered with `notice_kind` (the sweep computes nothing for it). Every email of the site is a row.

Webhook calls (network/webhooks/) are rows too, with a `webhook` subscription instead of a recipient:
claimed, retried, re-queued and marked like emails, made by network/outbox/webhook.py instead of the
SMTP connection (`_webhook_send`), beside the emails of the same batch.

The guarantees (STYLE.md rules 4-5): the database decides. The sweep inserts one row per
(kind, object, recipient) — a unique constraint makes a rerun or a concurrent sweep a no-op — and
hands new rows to the broker only after its transaction commits, in batches of
settings.REMINDER_SEND_BATCH ids per task. A worker claims a batch's rows with
`select_for_update(skip_locked=True)` (queued -> sending, one transaction), sends them one by one on
one SMTP connection (opened for the batch), and commits each row's "sent" before
the next message goes out; while a batch runs it renews its claims, so only a dead worker's rows look
stuck. Rows queued or sending for longer than settings.REMINDER_STUCK_AFTER are handed to the broker
again, so a killed worker or a flushed Redis delays a reminder but never loses it. The price: a
worker killed between the SMTP "250" and its "sent" commit sends that one message twice.

Failures: a 4xx answer or a connection error is retried with a capped backoff (the row stays
queued, with its error and `failing_since`) until settings.REMINDER_RETRY_FOR has passed since its
first failure (`retry_countdown`, `retry_gives_up`); a 5xx answer (a refused recipient, a rejected
message) cannot get better by waiting and fails the row at once. An address that is not one (no
domain) is never handed to the mail server: the row fails when it is queued (and, should one slip
through, when it is sent), with an error that says so. The admin lists failed rows first, with their
error, and sends them again; mail failing for long is told to the secretariat once
(network/outbox/health.py).
"""

from __future__ import annotations

import importlib
import logging
import smtplib
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from network.models import Delivery, Member
from network.outbox.render import (
    MESSAGE_KEY,
    TEMPLATE_KEY,
    Attachment,
    address_problem,
    connection_close_quietly,
    deliveries_fail_bad_addresses,
    message_from_dict,
    render_mail,
)
from network.outbox.webhook import (
    PAUSED,
    WEBHOOK_ERRORS,
    subscription_failed,
    subscription_succeeded,
    webhook_post,
    webhook_skip_reason,
)

logger = logging.getLogger(__name__)

# Errors worth another try later: the SMTP server or the network, not our templates or data.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)
DELIVERY_HEADER = "X-KLOSS-Delivery"


# --- The registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A message that is due: about `obj` (or `object_key`), to a member or to a bare address."""

    due_at: datetime
    obj: models.Model | None = None
    object_key: str = ""
    recipient: Member | None = None
    recipient_email: str = ""
    expires_at: datetime | None = None  # too late to be worth sending after this moment
    context: dict = field(default_factory=dict)  # JSON-able; stored on the row


@dataclass
class ReminderKind:
    name: str
    template: str
    compute: Callable[[datetime], Iterable[Due]]
    optional: bool = True  # a member who turned off optional reminders does not get it
    validity: Callable[[Delivery, datetime], bool] | None = None
    build_context: Callable[[Delivery], dict] | None = None
    build_attachments: Callable[[Delivery], Iterable[Attachment]] | None = None

    # Decorators for the optional hooks (see the module docstring).
    def still_valid(self, fn):
        self.validity = fn
        return fn

    def context(self, fn):
        self.build_context = fn
        return fn

    def attachments(self, fn):
        self.build_attachments = fn
        return fn

    def __call__(self, now: datetime) -> Iterable[Due]:
        return self.compute(now)


_registry: dict[str, ReminderKind] = {}
_discovered = False


def reminder_kind(name: str, *, template: str, optional: bool = True) -> Callable[..., ReminderKind]:
    """Register a due computer `fn(now) -> Iterable[Due]` as the kind `name` (idempotent per name)."""

    def register(fn: Callable[[datetime], Iterable[Due]]) -> ReminderKind:
        kind = ReminderKind(name=name, template=template, compute=fn, optional=optional)
        _registry[name] = kind
        return kind

    return register


def notice_kind(name: str, *, template: str, optional: bool = False) -> ReminderKind:
    """Register the one-off notice `name` (rows made by `mail_enqueue`, never by the sweep).

    Returns the kind, whose hooks (`still_valid`, `context`, `attachments`) decorate as above.
    """
    return reminder_kind(name, template=template, optional=optional)(lambda now: ())


def kinds() -> dict[str, ReminderKind]:
    """Every registered kind; imports the apps' `reminders` and `notices` modules and
    REMINDER_KIND_MODULES once."""
    global _discovered
    if not _discovered:
        autodiscover_modules("reminders", "notices")
        for module in getattr(settings, "REMINDER_KIND_MODULES", []):
            importlib.import_module(module)
        _discovered = True
    return _registry


def reminder_offset(kind: str):
    """The offset(s) of `kind` from settings.REMINDER_OFFSETS, the one place where they live."""
    return settings.REMINDER_OFFSETS[kind]


def object_key_of(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


# --- The sweep ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    created: int = 0  # new rows (due for the first time)
    queued: int = 0  # rows handed to the broker (new + stuck)
    ids: list[int] = field(default_factory=list)


def _rows_for(kind: ReminderKind, now: datetime) -> Iterator[Delivery]:
    for due in kind.compute(now):
        if due.due_at > now or (due.expires_at is not None and due.expires_at <= now):
            continue  # not yet, or too late: nothing is recorded, nothing sent late
        obj = due.obj
        yield Delivery(
            kind=kind.name,
            object_key=due.object_key or (object_key_of(obj) if obj is not None else ""),
            content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=obj.pk if obj is not None else None,
            recipient=due.recipient,
            recipient_email="" if due.recipient is not None else due.recipient_email,
            due_at=due.due_at,
            expires_at=due.expires_at,
            context=due.context,
        )


@transaction.atomic
def reminders_sweep(*, now: datetime | None = None, only: Iterable[str] | None = None) -> SweepResult:
    """Record every due message and hand new or stuck rows to the broker. Rerunning it is a no-op.

    Side effects: inserts Delivery rows (conflicts with existing rows are ignored); sets `queued_at`
    (and turns stuck `sending` rows back to `queued`); after commit, sends one task per batch of rows.
    `now` is the sweep's clock (time-machine in tests); the stuck threshold runs on the real clock.
    """
    now = now or timezone.now()
    wanted = set(only) if only is not None else None
    result = SweepResult()
    before = Delivery.objects.count()
    for name, kind in kinds().items():
        if wanted is not None and name not in wanted:
            continue
        rows = list(_rows_for(kind, now))
        # ON CONFLICT DO NOTHING: the unique constraints make concurrent and repeated sweeps harmless.
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    result.created = Delivery.objects.count() - before

    real_now = timezone.now()
    # skip_locked: a concurrent sweep or a worker holding a row leaves it to them.
    pending = Delivery.objects.stuck(now=real_now, after=settings.REMINDER_STUCK_AFTER).select_for_update(
        skip_locked=True
    )
    ids = deliveries_fail_bad_addresses(list(pending.values_list("pk", flat=True)[: settings.REMINDER_SWEEP_BATCH]))
    if ids:
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.QUEUED, queued_at=real_now)
        transaction.on_commit(lambda: deliveries_hand_on(ids))
    result.queued = len(ids)
    result.ids = ids
    if result.created or result.queued:
        logger.info("reminders sweep: %s new, %s handed to the broker", result.created, result.queued)
    return result


def deliveries_hand_on(ids: list[int], *, countdown: int | None = None) -> None:
    """Hand rows to the broker: one batch task per settings.REMINDER_SEND_BATCH ids (a single row: one send task)."""
    if len(ids) == 1:
        delivery_send_task.apply_async(kwargs={"delivery_id": ids[0]}, countdown=countdown)
        return
    size = settings.REMINDER_SEND_BATCH
    for start in range(0, len(ids), size):
        delivery_send_batch_task.apply_async(kwargs={"delivery_ids": ids[start : start + size]}, countdown=countdown)


@transaction.atomic
def delivery_requeue(*, deliveries: models.QuerySet[Delivery], reset_attempts: bool = True) -> int:
    """Hand rows to the broker again now (the admin's "send again"), whatever their status; how many.

    Side effects: status -> queued, attempts reset, error cleared; the rows handed to the broker after
    commit. A row whose address is not one fails at once instead (`deliveries_fail_bad_addresses`).
    """
    ids = deliveries_fail_bad_addresses(list(deliveries.values_list("pk", flat=True)))
    changes: dict = {"status": Delivery.Status.QUEUED, "queued_at": timezone.now(), "last_error": ""}
    if reset_attempts:
        changes.update(attempts=0, failing_since=None)
    Delivery.objects.filter(pk__in=ids).update(**changes)
    transaction.on_commit(lambda: deliveries_hand_on(ids))
    return len(ids)


# --- Sending --------------------------------------------------------------------------------


class RetryLater(Exception):
    """A transient failure: the row is queued again; the task should retry after `countdown` seconds."""

    def __init__(self, countdown: int, error: str):
        super().__init__(error)
        self.countdown = countdown


@transaction.atomic
def delivery_claim(*, delivery_id: int) -> Delivery | None:
    """Claim a queued row for this worker (queued -> sending), or None if it is gone, taken or done."""
    delivery = (
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient__user", "webhook")
        .filter(pk=delivery_id, status=Delivery.Status.QUEUED)
        .first()
    )
    if delivery is None:
        return None
    delivery.status = Delivery.Status.SENDING
    delivery.attempts += 1
    delivery.claimed_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "claimed_at"])
    return delivery


def skip_reason(delivery: Delivery, kind: ReminderKind | None, now: datetime) -> str:
    """Why this message must not be sent now ("" if it may): too late, recipient gone, opted out."""
    if delivery.expires_at is not None and delivery.expires_at <= now:
        return "too late"
    if delivery.recipient_id is not None:
        member = delivery.recipient
        if member.status == Member.Status.LEFT or not member.user.is_active:
            return "recipient left"
        if (kind is None or kind.optional) and not member.optional_reminders:
            return "recipient turned off optional reminders"
    if kind is None:
        return f"unknown kind {delivery.kind!r}"
    if delivery.content_type_id is not None and delivery.obj is None:
        return "object deleted"
    if kind.validity is not None and not kind.validity(delivery, now):
        return "no longer valid"
    return ""


def _finish(delivery: Delivery, **changes) -> None:
    # Only the worker holding the claim may finish the row (a re-queue may have handed it on). One
    # UPDATE, committed on its own (autocommit): the "sent" mark is durable before the next send.
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING, claimed_at=delivery.claimed_at).update(
        **changes
    )


def _finish_sent(delivery: Delivery) -> None:
    _finish(
        delivery,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        context=_sent_context(delivery),  # a stored message's one-time link goes; other contexts stay
    )


def _not_sent(delivery: Delivery, kind: ReminderKind | None, now: datetime) -> str:
    """Why the row is not sent now: "" (it may be), or "skipped" or "failed" (the row is finished so,
    with the reason)."""
    reason = skip_reason(delivery, kind, now)
    if reason:
        _finish(delivery, status=Delivery.Status.SKIPPED, last_error=reason, context=_sent_context(delivery))
        return "skipped"
    stored = delivery.context.get(MESSAGE_KEY)
    if stored is not None and not (stored.get("body") or stored.get("html")):
        _finish(delivery, status=Delivery.Status.SKIPPED, last_error="already sent once; its text is not kept")
        return "skipped"
    problem = address_problem(delivery.to_address)  # changed since it was queued: never for the mail server
    if problem:
        _finish(delivery, status=Delivery.Status.FAILED, last_error=problem)
        return "failed"
    return ""


def _after_send_error(delivery: Delivery, exc: BaseException) -> int | None:
    """Finish a row whose send failed with an SMTP, HTTP or network error: failed (an SMTP 5xx, or failing
    for settings.REMINDER_RETRY_FOR already) -> None, or queued again for a retry -> its countdown in seconds."""
    error = describe_error(exc)
    now = timezone.now()
    failing_since = delivery.failing_since or now
    if is_permanent(exc):
        _finish(delivery, status=Delivery.Status.FAILED, last_error=error, failing_since=failing_since)
        logger.warning("delivery %s refused by the mail server: %s", delivery.pk, error)
        return None
    if retry_gives_up(failing_since=failing_since, now=now):
        _finish(delivery, status=Delivery.Status.FAILED, last_error=error, failing_since=failing_since)
        logger.warning(
            "delivery %s failed after %s attempts since %s: %s", delivery.pk, delivery.attempts, failing_since, error
        )
        return None
    countdown = retry_countdown(delivery.attempts)
    # queued_at in the future: the sweep leaves the row to the retry until the countdown is over.
    _finish(
        delivery,
        status=Delivery.Status.QUEUED,
        last_error=error,
        failing_since=failing_since,
        queued_at=now + timedelta(seconds=countdown),
    )
    return countdown


def retry_countdown(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed ones: REMINDER_RETRY_BACKOFF, doubling after
    each failure, capped at REMINDER_RETRY_BACKOFF_MAX (below the broker's visibility timeout)."""
    return min(settings.REMINDER_RETRY_BACKOFF * 2 ** max(attempts - 1, 0), settings.REMINDER_RETRY_BACKOFF_MAX)


def retry_gives_up(*, failing_since: datetime, now: datetime) -> bool:
    """Whether a row failing since `failing_since` is tried no more: REMINDER_RETRY_FOR has passed."""
    return now - failing_since >= settings.REMINDER_RETRY_FOR


def kind_of(delivery: Delivery) -> ReminderKind | None:
    """The registered kind of a row, or the one its row carries (a template or a rendered message)."""
    kind = kinds().get(delivery.kind)
    if kind is None and (TEMPLATE_KEY in delivery.context or MESSAGE_KEY in delivery.context):
        # A one-off notice: nothing to compute, nothing to opt out of.
        kind = ReminderKind(
            name=delivery.kind, template=delivery.context.get(TEMPLATE_KEY, ""), compute=lambda now: (), optional=False
        )
    return kind


def is_permanent(exc: BaseException) -> bool:
    """An SMTP 5xx answer: the server refuses this message or recipient for good; waiting will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def describe_error(exc: BaseException) -> str:
    """The error as the admin shows it: the SMTP code and answer where there is one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for address, (code, message) in exc.recipients.items()
        )
        return f"recipient refused ({refused})"
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"{type(exc).__name__}: {exc.smtp_code} {message}"
    return f"{type(exc).__name__}: {exc}"


def _message_for(delivery: Delivery, kind: ReminderKind) -> EmailMessage:
    """The email of a row: its stored message, or its kind's templates rendered now (not sent)."""
    headers = {DELIVERY_HEADER: str(delivery.pk)}
    if MESSAGE_KEY in delivery.context:
        return message_from_dict(delivery.context[MESSAGE_KEY], to=[delivery.to_address], headers=headers)
    member = delivery.recipient
    stored = {k: v for k, v in delivery.context.items() if k not in (TEMPLATE_KEY, MESSAGE_KEY)}
    context = {"delivery": delivery, "recipient": member, "obj": delivery.obj, **stored}
    if kind.build_context is not None:
        context.update(kind.build_context(delivery))
    # The language the row was queued in wins (a message to members written only in Swedish is Swedish
    # from greeting to footer); otherwise hers; a bare address without one gets the site's.
    language = delivery.context.get("language") or (member.language if member is not None else settings.LANGUAGE_CODE)
    return render_mail(
        template=kind.template,
        to=[delivery.to_address],
        language=language,
        context=context,
        attachments=kind.build_attachments(delivery) if kind.build_attachments else (),
        headers=headers,
    )


def _sent_context(delivery: Delivery) -> dict:
    # A stored message may carry a one-time link (a password reset): once sent or skipped, only its subject stays.
    if MESSAGE_KEY not in delivery.context:
        return delivery.context
    return {**delivery.context, MESSAGE_KEY: {"subject": delivery.context[MESSAGE_KEY].get("subject", "")}}


def delivery_send(*, delivery_id: int, now: datetime | None = None, connection=None) -> str:
    """Claim, re-check, send and mark one delivery; returns what happened ("sent", "skipped", "failed", "gone").

    Side effects: each step in its own transaction; sends one email with the header
    X-KLOSS-Delivery: <id>. A transient SMTP or network error (4xx, no connection) queues the row
    again and raises RetryLater (or marks it failed once it has failed for settings.REMINDER_RETRY_FOR);
    an SMTP 5xx, an address that is not one, or a message that cannot be built marks it failed at
    once with the error.
    """
    delivery = delivery_claim(delivery_id=delivery_id)
    if delivery is None:
        return "gone"
    now = now or timezone.now()
    if delivery.is_webhook:
        outcome, countdown = _webhook_send(delivery, now)
        if outcome == "retry":
            raise RetryLater(countdown, "webhook call failed")
        return outcome
    kind = kind_of(delivery)
    refused = _not_sent(delivery, kind, now)
    if refused:
        return refused
    try:
        message = _message_for(delivery, kind)
        message.connection = connection or get_connection(fail_silently=False)
        message.send(fail_silently=False)
    except TRANSIENT_ERRORS as exc:
        countdown = _after_send_error(delivery, exc)
        if countdown is None:
            return "failed"
        raise RetryLater(countdown, describe_error(exc)) from exc
    except DatabaseError:
        raise  # the database, not the message: the row stays claimed and the sweep hands it on again
    except Exception as exc:  # a template or data error: retrying cannot help, the admin must see it
        logger.exception("delivery %s could not be built", delivery.pk)
        _finish(delivery, status=Delivery.Status.FAILED, last_error=describe_error(exc))
        return "failed"
    _finish_sent(delivery)
    return "sent"


def _webhook_send(delivery: Delivery, now: datetime) -> tuple[str, int | None]:
    """Make a claimed row's webhook call (network/outbox/webhook.py) and finish the row as an email's would
    be: ("sent" | "skipped" | "failed", None), or ("retry", countdown in seconds) when queued again.

    A failure counts against the subscription too; the failure that pauses it fails its row (sent again
    when the subscription is resumed) and has the sweep tell the subscription's contact at once.
    """
    reason = webhook_skip_reason(delivery, now)
    if reason:
        _finish(delivery, status=Delivery.Status.SKIPPED, last_error=reason)
        return "skipped", None
    try:
        webhook_post(delivery)
    except DatabaseError:
        raise  # the row stays claimed; the sweep hands it on again
    except WEBHOOK_ERRORS as exc:
        error = describe_error(exc)
        if subscription_failed(subscription_id=delivery.webhook_id, error=error):
            failing_since = delivery.failing_since or timezone.now()
            _finish(
                delivery, status=Delivery.Status.FAILED, last_error=f"{error} ({PAUSED})", failing_since=failing_since
            )
            logger.warning("webhook subscription %s paused after failing since %s", delivery.webhook_id, failing_since)
            reminders_sweep(only=["webhook_paused"])  # its contact is told now, not at the next sweep
            return "failed", None
        countdown = _after_send_error(delivery, exc)
        return ("failed", None) if countdown is None else ("retry", countdown)
    except Exception as exc:  # a row without its body: retrying cannot help, the admin must see it
        logger.exception("webhook delivery %s could not be made", delivery.pk)
        _finish(delivery, status=Delivery.Status.FAILED, last_error=describe_error(exc))
        return "failed", None
    subscription_succeeded(subscription_id=delivery.webhook_id)
    _finish_sent(delivery)
    return "sent", None


# --- Sending in batches (what the sweep hands to the worker) ----------------------------------


@transaction.atomic
def delivery_claim_batch(*, delivery_ids: Iterable[int]) -> list[Delivery]:
    """Claim the rows of `delivery_ids` still queued and not locked by another worker (queued -> sending),
    in id order, with their recipients and objects loaded. One claim time for all (`claimed_at`)."""
    rows = list(
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient__user", "webhook")
        .filter(pk__in=list(delivery_ids), status=Delivery.Status.QUEUED)
        .order_by("pk")
    )
    if not rows:
        return []
    claimed_at = timezone.now()
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=Delivery.Status.SENDING, attempts=models.F("attempts") + 1, claimed_at=claimed_at
    )
    for row in rows:
        row.status, row.attempts, row.claimed_at = Delivery.Status.SENDING, row.attempts + 1, claimed_at
    models.prefetch_related_objects(rows, "obj")  # one query per kind of object, not one per row
    return rows


def _claims_renew(rows: Iterable[Delivery]) -> list[Delivery]:
    """Stamp the rows a batch still holds with a new claim time, so that the sweep does not take a long
    batch's rows for a dead worker's; returns the rows still held (the sweep may have handed some on)."""
    rows = list(rows)
    stamp = timezone.now()
    for claimed_at in {row.claimed_at for row in rows}:
        Delivery.objects.filter(
            pk__in=[row.pk for row in rows if row.claimed_at == claimed_at],
            status=Delivery.Status.SENDING,
            claimed_at=claimed_at,
        ).update(claimed_at=stamp)
    held = set(
        Delivery.objects.filter(
            pk__in=[row.pk for row in rows], status=Delivery.Status.SENDING, claimed_at=stamp
        ).values_list("pk", flat=True)
    )
    for row in rows:
        row.claimed_at = stamp
    return [row for row in rows if row.pk in held]


def _release(rows: Iterable[Delivery]) -> list[int]:
    """Give claimed rows that were not tried back to the queue (the attempt is not counted); their ids."""
    released = []
    for row in rows:
        n = Delivery.objects.filter(pk=row.pk, status=Delivery.Status.SENDING, claimed_at=row.claimed_at).update(
            status=Delivery.Status.QUEUED, attempts=models.F("attempts") - 1, queued_at=timezone.now()
        )
        if n:
            released.append(row.pk)
    return released


@dataclass
class BatchResult:
    outcomes: dict[int, str] = field(default_factory=dict)  # id -> sent/skipped/failed/retry/released
    retry: dict[int, list[int]] = field(default_factory=dict)  # countdown in seconds -> ids queued again
    released: list[int] = field(default_factory=list)  # claimed, not tried (time was up): queued again now

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)

    def smtp_error(self, delivery: Delivery, countdown: int | None) -> None:
        """A row whose send failed (SMTP, or a webhook's HTTP): failed (no countdown), or queued for a retry."""
        if countdown is None:
            self.outcomes[delivery.pk] = "failed"
        else:
            self.outcomes[delivery.pk] = "retry"
            self.retry.setdefault(countdown, []).append(delivery.pk)


def delivery_send_batch(*, delivery_ids: Iterable[int], now: datetime | None = None, connection=None) -> BatchResult:
    """Claim the queued rows among `delivery_ids` at once and send them one by one on one SMTP connection.

    Each row ends as `delivery_send` would end it, and its "sent" mark is committed before the next
    message goes out: a worker killed mid-batch sends at most the one message in flight twice; the
    rows it had claimed but not sent stay `sending` until the sweep hands them on. Rows no longer
    queued (sent, or claimed by another worker) are left alone (absent from the result).

    `connection` is an email backend connection to reuse; without one, the batch opens its own and
    closes it at the end. After an SMTP or network error the connection is closed and the next
    message opens a new one; if the server cannot be reached at all, every row left in the batch
    fails that attempt in the same way (retried with backoff), without knocking on the door once per
    row. Rows queued again for a retry are listed in `result.retry` by countdown; rows not tried
    because the batch ran longer than settings.REMINDER_BATCH_SECONDS are given back
    (`result.released`, attempt not counted). The caller hands both to the broker.
    """
    rows = delivery_claim_batch(delivery_ids=delivery_ids)
    result = BatchResult()
    if not rows:
        return result
    now = now or timezone.now()
    own = connection is None
    connection = connection or get_connection(fail_silently=False)
    # Renewing the claims well within REMINDER_STUCK_AFTER keeps the sweep's hands off a live batch.
    renew_every = settings.REMINDER_STUCK_AFTER.total_seconds() / 3
    started = renewed = time.monotonic()
    pending = deque(rows)
    try:
        while pending:
            if time.monotonic() - renewed >= renew_every:
                pending = deque(_claims_renew(pending))
                renewed = time.monotonic()
                if not pending:
                    break
            delivery = pending.popleft()
            if delivery.is_webhook:  # an HTTP call, not for the SMTP connection
                outcome, countdown = _webhook_send(delivery, now)
                if outcome == "retry":
                    result.smtp_error(delivery, countdown)
                else:
                    result.outcomes[delivery.pk] = outcome
            else:
                kind = kind_of(delivery)
                refused = _not_sent(delivery, kind, now)
                if refused:
                    result.outcomes[delivery.pk] = refused
                    continue
                try:
                    connection.open()  # kept open by send_messages() until the batch closes it
                except TRANSIENT_ERRORS as exc:
                    # The mail server cannot be reached: each email left would fail the same way now
                    # (the batch's webhook calls go on).
                    connection_close_quietly(connection)
                    for row in (delivery, *pending):
                        if not row.is_webhook:
                            result.smtp_error(row, _after_send_error(row, exc))
                    pending = deque(row for row in pending if row.is_webhook)
                    continue
                try:
                    connection.send_messages([_message_for(delivery, kind)])
                except DatabaseError:
                    raise  # the rows left stay claimed; the sweep hands them on again
                except TRANSIENT_ERRORS as exc:
                    connection_close_quietly(connection)  # a 4xx or a broken connection: the next send reconnects
                    result.smtp_error(delivery, _after_send_error(delivery, exc))
                except Exception as exc:  # a template or data error: retrying cannot help, the admin must see it
                    logger.error("delivery %s could not be built", delivery.pk, exc_info=exc)
                    _finish(delivery, status=Delivery.Status.FAILED, last_error=describe_error(exc))
                    result.outcomes[delivery.pk] = "failed"
                else:
                    _finish_sent(delivery)  # committed (autocommit) before the next message goes out
                    result.outcomes[delivery.pk] = "sent"
            if pending and time.monotonic() - started >= settings.REMINDER_BATCH_SECONDS:
                result.released = _release(pending)  # well before the task's time limit
                result.outcomes.update(dict.fromkeys(result.released, "released"))
                break
    finally:
        if own:
            connection_close_quietly(connection)
    return result


def delivery_batch_hand_on(result: BatchResult) -> None:
    """Hand a batch's leftovers to the broker again: the rows queued for a retry, one task per
    countdown, and the rows the batch had no time for, at once (the worker's task, after the batch)."""
    for countdown, ids in result.retry.items():
        deliveries_hand_on(ids, countdown=countdown)
    if result.released:
        deliveries_hand_on(result.released)


# --- The send tasks (Celery) ------------------------------------------------------------------
# Here, beside what they call, so that the hand-off above needs no import of an upper module
# (network/tasks.py imports this module, and Celery finds them through it).


@shared_task(name="network.delivery_send", bind=True, max_retries=None, ignore_result=True)
def delivery_send_task(self, *, delivery_id: int) -> str:
    """Send one delivery. The row counts attempts and decides when to give up, not Celery."""
    try:
        return delivery_send(delivery_id=delivery_id)
    except RetryLater as exc:
        if self.request.is_eager:
            return "retry"  # in-process (tests, "send now"): the sweep hands it on again later
        raise self.retry(countdown=exc.countdown) from None


@shared_task(name="network.delivery_send_batch", bind=True, ignore_result=True)
def delivery_send_batch_task(self, *, delivery_ids: list[int]) -> int:
    """Send a batch of deliveries on one SMTP connection; returns how many were sent.

    Rows queued again for a retry go back to the broker with their countdown, one task per countdown;
    rows the batch had no time for go back at once. In-process (tests) the sweep hands them on later.
    """
    result = delivery_send_batch(delivery_ids=delivery_ids)
    if not self.request.is_eager:
        delivery_batch_hand_on(result)
    return result.count("sent")
