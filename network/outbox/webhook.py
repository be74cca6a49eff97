"""Webhook calls: a Delivery row with a `webhook` subscription is an HTTP POST instead of an email.

The worker (worker.py) claims, retries and marks these rows exactly as it does emails (the same
exactly-once rows, the same backoff, the same admin view); this module is the HTTP side of it, as the
SMTP connection is the email side:

- `webhook_post` sends the row's stored body, signed by the Standard Webhooks scheme
  (network/webhooks/signing.py) with the row's message id (the same on every retry) and a new
  timestamp per attempt, to the address the subscription's host resolves to *now*, checked again
  (network/webhooks/addresses.py) and connected to as checked; redirects are not followed. A 2xx answer
  is success; any other answer, a refused address, a timeout or no connection is a failure, retried.
- `subscription_failed` / `subscription_succeeded` keep the subscription's run of failures: after
  settings.WEBHOOK_PAUSE_AFTER of nothing but failures it is paused (once; a conditional UPDATE), and
  the sweep tells its contact (network/notices.py, "webhook_paused"). A paused subscription's rows
  are skipped until it is resumed (network/webhooks/services.py sends them again then).

May import: Django, `network.models`, network/webhooks/{addresses,signing}.py. Nothing of the outbox
but models (worker.py imports this module).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from network.models import Delivery, WebhookSubscription
from network.webhooks.addresses import Target, UnsafeAddress, url_resolve
from network.webhooks.signing import signed_headers

USER_AGENT = "KLOSS-Net-Webhooks/1"
ANSWER_KEPT = 300  # characters of a refusing receiver's answer kept in the row's error
PAUSED = "subscription paused"


class WebhookRejected(Exception):
    """The receiver answered, but not with a 2xx (a redirect counts as a refusal: it is not followed)."""

    def __init__(self, status: int, reason: str, answer: bytes):
        self.status = status
        text = answer.decode("utf-8", errors="replace").strip()
        super().__init__(f"HTTP {status} {reason}" + (f": {text[:ANSWER_KEPT]}" if text else ""))


class WebhookAddressRefused(Exception):
    """The subscription's host resolves (now) to an address we never call."""


# Failures worth another try later: the receiver, the network, DNS (a name may answer otherwise later).
WEBHOOK_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    http.client.HTTPException,
    WebhookRejected,
    WebhookAddressRefused,
)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the checked address, whatever the name would resolve to now (Host: the name)."""

    def __init__(self, target: Target, *, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        self.sock = socket.create_connection((self.target.address, self.target.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address; the certificate is verified for the name (SNI: the name)."""

    def __init__(self, target: Target, *, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.target = target

    def connect(self) -> None:
        sock = socket.create_connection((self.target.address, self.target.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.target.host)


def webhook_skip_reason(delivery: Delivery, now: datetime) -> str:
    """Why this call must not be made now ("" if it may)."""
    if delivery.expires_at is not None and delivery.expires_at <= now:
        return "too late"
    if not delivery.webhook.is_active:
        return PAUSED
    return ""


def webhook_post(delivery: Delivery, *, timestamp: int | None = None) -> int:
    """POST the row's body to its subscription's address, signed; the HTTP status of a 2xx answer.

    Raises WebhookAddressRefused when the host resolves to a private address now, WebhookRejected for
    any other answer, OSError or http.client.HTTPException when the receiver cannot be reached or breaks off.
    """
    subscription = delivery.webhook
    try:
        target = url_resolve(subscription.url)
    except UnsafeAddress as exc:
        raise WebhookAddressRefused(" ".join(exc.messages)) from None
    body = delivery.context["body"].encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signed_headers(
            secrets=subscription.signing_secrets(timezone.now()),
            msg_id=delivery.context["id"],
            timestamp=timestamp if timestamp is not None else int(time.time()),
            body=body,
        ),
    }
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    connection = (_PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection)(
        target, timeout=timeout
    )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(ANSWER_KEPT * 4)
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise WebhookRejected(response.status, response.reason, answer)
    return response.status


def subscription_failed(*, subscription_id: int, error: str, now: datetime | None = None) -> bool:
    """Count a failed call against its subscription; whether this failure paused it (True once per pause).

    Side effects: `failing_since` set on the first failure of a run; once it lies
    settings.WEBHOOK_PAUSE_AFTER back, the subscription is paused with the error as its reason. Each
    step is one conditional UPDATE, so two workers failing at once pause it once.
    """
    now = now or timezone.now()
    subscriptions = WebhookSubscription.objects.filter(pk=subscription_id)
    subscriptions.filter(failing_since__isnull=True).update(failing_since=now)
    pause_before = now - settings.WEBHOOK_PAUSE_AFTER
    paused = subscriptions.filter(status=WebhookSubscription.Status.ACTIVE, failing_since__lte=pause_before).update(
        status=WebhookSubscription.Status.PAUSED, paused_at=now, paused_reason=error
    )
    return paused == 1


def subscription_succeeded(*, subscription_id: int) -> None:
    """A call went through: the subscription's run of failures is over."""
    WebhookSubscription.objects.filter(~Q(failing_since=None), pk=subscription_id).update(failing_since=None)
