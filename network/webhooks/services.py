"""Every write about webhooks: emitting an event, and the secretariat's subscriptions.

`webhook_emit` is called by the service where the thing happens (meetings/services.py,
projects/services.py), inside its transaction: the rows it writes commit or roll back with the action.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from network.audit import AuditEvent, audit_record
from network.models import Delivery, Institution, WebhookSubscription
from network.outbox.mail import deliveries_queue
from network.outbox.webhook import PAUSED
from network.outbox.worker import delivery_requeue, object_key_of

from .addresses import url_check
from .events import event_types, moment, reader_of
from .models import secret_generate

KIND_PREFIX = "webhook:"  # a webhook row's kind is "webhook:<event>" (the admin filters by it)


def kind_of_event(event: str) -> str:
    return KIND_PREFIX + event


def _body(event: str, occurred_at: datetime, data: dict) -> str:
    # The body exactly as signed and sent, every retry the same (Standard Webhooks' payload shape).
    payload = {"type": event, "timestamp": moment(occurred_at), "data": data}
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _row(subscription: WebhookSubscription, *, event: str, obj: models.Model, object_key: str, data: dict, now):
    return Delivery(
        kind=kind_of_event(event),
        object_key=object_key,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        webhook=subscription,
        due_at=now,
        context={"id": f"msg_{uuid.uuid4().hex}", "body": _body(event, now, data)},
        created_at=now,
        queued_at=now,
    )


@transaction.atomic
def webhook_emit(*, event: str, obj: models.Model, object_key: str = "") -> list[int]:
    """Record the event `event` about `obj` for every subscription to it that may see `obj`; the ids of
    the rows handed to the worker.

    Side effects: one Delivery row per such subscription, unique per (event, object key, subscription),
    so that an action emits its event once however often this is called for it (an event that may happen
    again to the same object puts its moment in `object_key`). Each row holds its payload, built now as
    the subscription's reader may see it, and its message id. Rows of active subscriptions go to the
    worker after commit; a paused subscription's row is recorded as skipped, sent when it is resumed.
    """
    event_type = event_types().get(event)
    if event_type is None:
        raise ValueError(f"{event!r} is not a registered webhook event")
    subscriptions = [s for s in WebhookSubscription.objects.select_related("institution") if s.wants(event)]
    if not subscriptions:
        return []
    now = timezone.now()
    key = object_key or object_key_of(obj)
    live, held = [], []
    for subscription in subscriptions:
        reader = reader_of(subscription)
        if not event_type.visible(obj, reader):
            continue
        row = _row(subscription, event=event, obj=obj, object_key=key, data=event_type.build(obj, reader), now=now)
        if subscription.is_active:
            live.append(row)
        else:
            row.status, row.queued_at, row.last_error = Delivery.Status.SKIPPED, None, PAUSED
            held.append(row)
    Delivery.objects.bulk_create(held, ignore_conflicts=True)
    return deliveries_queue(live)


PING = "webhook.test"


@transaction.atomic
def webhook_ping(*, subscription: WebhookSubscription, by) -> list[int]:
    """Send the subscription a test event ("webhook.test", not subscribable) now, through the outbox like
    any call: the secretariat sees in its deliveries whether the receiver takes it."""
    now = timezone.now()
    data = {"subscription": {"id": subscription.pk, "name": subscription.name}, "note": "A test event."}
    key = f"{object_key_of(subscription)}@ping-{now:%Y%m%dT%H%M%S%f}"
    row = _row(subscription, event=PING, obj=subscription, object_key=key, data=data, now=now)
    return deliveries_queue([row])


# --- The secretariat's subscriptions -------------------------------------------------------------


def _audit(subscription: WebhookSubscription, *, by, action: str, **detail) -> None:
    audit_record(
        kind=AuditEvent.Kind.WEBHOOK_CHANGED,
        actor=by if getattr(by, "is_authenticated", False) else None,
        target=f"network.webhooksubscription:{subscription.pk}",
        detail={"action": action, "url": subscription.url, **detail},
    )


def _check_events(events: list[str]) -> list[str]:
    known = event_types()
    unknown = sorted(set(events) - set(known))
    if unknown:
        raise ValueError(f"unknown webhook events {unknown}")
    return sorted(set(events))


@transaction.atomic
def subscription_save(*, subscription: WebhookSubscription, by) -> WebhookSubscription:
    """Save a new or changed subscription (the admin's form, `subscription_create`). Raises UnsafeAddress
    (a ValidationError) for an address we never call, ValueError for an unknown event.
    Side effects: a new one gets `created_by`; audited (its address and events, never its secret)."""
    url_check(subscription.url)
    subscription.url = subscription.url.strip()
    subscription.events = _check_events(subscription.events)
    created = subscription.pk is None
    if created and getattr(by, "is_authenticated", False):
        subscription.created_by = by
    subscription.save()
    _audit(subscription, by=by, action="created" if created else "changed", events=subscription.events)
    return subscription


def subscription_create(
    *,
    by,
    name: str,
    url: str,
    events: list[str],
    contact_email: str,
    institution: Institution | None = None,
    language: str = "",
) -> WebhookSubscription:
    """A new active subscription with a new secret (see `subscription_save`)."""
    subscription = WebhookSubscription(
        name=name, url=url, events=events, contact_email=contact_email, institution=institution
    )
    if language:
        subscription.language = language
    return subscription_save(subscription=subscription, by=by)


@transaction.atomic
def subscription_secret_rotate(*, subscription: WebhookSubscription, by) -> str:
    """Give the subscription a new secret; the new one, to be shown once. For settings.WEBHOOK_SECRET_OVERLAP
    the old one signs each call too (a second signature), so the receiving system can switch to the new one
    without losing a call. Side effects: audited (without the secrets)."""
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_until = timezone.now() + settings.WEBHOOK_SECRET_OVERLAP
    subscription.secret = secret_generate()
    subscription.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"])
    _audit(subscription, by=by, action="secret rotated")
    return subscription.secret


@transaction.atomic
def subscription_pause(*, subscription: WebhookSubscription, by, reason: str) -> WebhookSubscription:
    """Pause by hand: nothing is sent until it is resumed (what happens meanwhile is kept for then)."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.is_active:
        subscription.status = WebhookSubscription.Status.PAUSED
        subscription.paused_at = timezone.now()
        subscription.paused_reason = reason
        subscription.save(update_fields=["status", "paused_at", "paused_reason", "updated_at"])
        _audit(subscription, by=by, action="paused", reason=reason)
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: WebhookSubscription, by) -> int:
    """Make a paused subscription active again and send what it missed; how many calls were queued.

    Side effects: status active, its run of failures forgotten; its rows held back while it was paused,
    and those that failed since its run of failures began, are handed to the worker again, each with
    its own message id (a receiver that had one already can drop it). Audited.
    """
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.is_active:
        return 0
    missed = Q(status=Delivery.Status.SKIPPED, last_error=PAUSED)
    if subscription.failing_since is not None:  # a row's own run of failures began within the subscription's
        missed |= Q(status=Delivery.Status.FAILED, failing_since__gte=subscription.failing_since)
    missed = subscription.deliveries.filter(missed)
    subscription.status = WebhookSubscription.Status.ACTIVE
    subscription.failing_since = None
    subscription.paused_at = None
    subscription.paused_reason = ""
    subscription.save(update_fields=["status", "failing_since", "paused_at", "paused_reason", "updated_at"])
    queued = delivery_requeue(deliveries=missed)
    _audit(subscription, by=by, action="resumed", queued=queued)
    return queued
