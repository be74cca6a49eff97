"""One-off notices of the network app, sent through the outbox (network/outbox/mail.py's `mail_enqueue`).

- application_received: to each address in settings.SECRETARIAT_EMAILS, when an applicant has
  confirmed her email address (in the site's language);
- application_approved, application_rejected: to the applicant, in her language;
- outbox_failing: to each address in settings.SECRETARIAT_EMAILS, once per outage, when mail has been
  failing for a while (network/outbox/health.py);
- webhook_paused: to a webhook subscription's contact, in the subscription's language, when its calls
  have failed for settings.WEBHOOK_PAUSE_AFTER and it was paused (network/outbox/webhook.py).

Their context is built when the worker sends, from the Member the row is about, so links point at
settings.SITE_URL of the running site and a renamed member is greeted by her new name.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from network.outbox import health as outbox_health
from network.outbox.worker import Due, notice_kind, object_key_of, reminder_kind

from .models import Delivery, Member, WebhookSubscription
from .selectors import domain_is_member, member_domains


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


application_received = notice_kind("application_received", template="network/application_received")


@application_received.context
def _(delivery: Delivery) -> dict:
    member: Member = delivery.obj
    return {
        "member": member,
        "name": member.full_name,
        "email": member.user.email,
        "domain_ok": domain_is_member(member.user.email, member_domains()),
        "admin_url": _absolute(reverse("admin:network_member_change", args=[member.pk])),
        "queue_url": _absolute(reverse("network:approval_list")),
    }


def _decision_context(delivery: Delivery) -> dict:
    member: Member = delivery.obj
    return {
        "member": member,
        "name": member.user.first_name or member.full_name,
        "note": member.decision_note,
        "home_url": _absolute(reverse("home")),
    }


application_approved = notice_kind("application_approved", template="network/application_approved")
application_approved.context(_decision_context)
application_rejected = notice_kind("application_rejected", template="network/application_rejected")
application_rejected.context(_decision_context)


outbox_failing = notice_kind(outbox_health.KIND, template=outbox_health.TEMPLATE)


@outbox_failing.context
def _(delivery: Delivery) -> dict:
    return {
        "since": parse_datetime(delivery.context["since"]),
        "deliveries_url": _absolute(reverse("admin:network_delivery_changelist")),
    }


# --- Webhooks ------------------------------------------------------------------------------------


@reminder_kind("webhook_paused", template="network/webhook_paused", optional=False)
def webhook_paused(now):
    """webhook_paused: to a subscription's contact, in the subscription's language, once per pause by
    failure (its moment is in the key); computed by the sweep, which the worker runs for this kind at
    once when it pauses one (network/outbox/worker.py)."""
    paused = WebhookSubscription.objects.filter(
        status=WebhookSubscription.Status.PAUSED, failing_since__isnull=False, paused_at__isnull=False
    )
    for subscription in paused.only("pk", "paused_at", "contact_email", "language"):
        yield Due(
            obj=subscription,
            object_key=f"{object_key_of(subscription)}@{subscription.paused_at:%Y%m%dT%H%M%S%f}",
            recipient_email=subscription.contact_email,
            due_at=subscription.paused_at,
            expires_at=subscription.paused_at + timedelta(days=7),
            context={"language": subscription.language},
        )


@webhook_paused.still_valid
def _(delivery: Delivery, now) -> bool:
    return not delivery.obj.is_active


@webhook_paused.context
def _(delivery: Delivery) -> dict:
    subscription: WebhookSubscription = delivery.obj
    return {
        "subscription": subscription,
        "since": subscription.failing_since,
        "pause_hours": int(settings.WEBHOOK_PAUSE_AFTER.total_seconds() // 3600),
        "admin_url": _absolute(reverse("admin:network_webhooksubscription_change", args=[subscription.pk])),
    }
