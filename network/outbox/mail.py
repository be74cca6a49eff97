"""The way in: every email of the site is queued here and sent through the outbox.

One mail path. No request sends mail: a service (or allauth, through network.adapters) records a
`network.Delivery` row per recipient and hands it to the Celery worker after its transaction
commits; the worker (network.outbox.worker.delivery_send) renders, sends and marks the row. A request
never waits on SMTP and never fails because of it: while the mail server is down the row waits and
is retried (4xx and connection errors); an SMTP 5xx fails the row at once, with its error, for the
secretariat to see in the admin (Deliveries) and "send again" once the address is fixed.

A one-off notice from a service (e.g. meetings: "the minutes are published"):

    from network.outbox.mail import mail_enqueue

    @transaction.atomic
    def meeting_publish_minutes(*, meeting, by):
        ...
        mail_enqueue(
            kind="meeting_minutes_published",          # the admin's "kind" column and filter
            template="meetings/minutes_published",     # templates/email/meetings/minutes_published.*
            to=selectors.participants(meeting),        # Members and/or bare addresses
            obj=meeting,                               # in the template as `obj` (read at send time)
            object_key=f"{object_key_of(meeting)}@minutes",  # once per (kind, key, recipient)
            context={"note": note},                    # JSON-able; stored on the row
        )

An address that is not one ("not an address": no @, no domain) is never handed to the mail server:
its row is recorded as failed at once, with an error saying so (`InvalidAddress`), and listed first in
the admin's Deliveries for the secretariat to correct and "send again"; every other recipient of the
same call is queued as usual. A bad address on one member never holds up mail to the others.

Each recipient gets one row, unique per (kind, object_key, recipient): calling it twice with the
same key queues nothing new, so a notice that may be sent more than once carries its moment in the
key. The template is rendered by the worker in the context's `language` when the row was queued
with one, else in the recipient's language (a bare address: settings.LANGUAGE_CODE), with
`recipient` (the Member or None), `obj`,
`delivery`, `site_url` and the stored context. A notice is not an optional reminder: a member who
turned those off still gets it; one who has left (or whose account is inactive) does not. A kind
that needs more (a context built at send time, a `still_valid` check, attachments) is registered
with `network.outbox.worker.notice_kind` in the app's `notices.py` (see network/notices.py); then
`template` may be left out. Messages rendered elsewhere (allauth's) are queued whole with
`mail_enqueue_message`. Both return the ids of the rows they created.

A message `<name>` is three templates in `templates/email/` (network/outbox/render.py).

May import: Django, `network.models`, render.py and worker.py (the registry of kinds, and the hand-off
of new rows to the send tasks); nothing imports it back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from network.models import Delivery, Member
from network.outbox.render import (  # noqa: F401 - InvalidAddress, address_check: a service checks an address here
    MESSAGE_KEY,
    TEMPLATE_KEY,
    InvalidAddress,
    address_check,
    deliveries_fail_bad_addresses,
    message_as_dict,
)
from network.outbox.worker import deliveries_hand_on, kinds, object_key_of

logger = logging.getLogger(__name__)


def _object_key(obj: models.Model | None, object_key: str) -> str:
    if object_key:
        return object_key
    if obj is None:
        raise ValueError("a delivery needs an obj or an object_key")
    return object_key_of(obj)


def deliveries_queue(rows: list[Delivery]) -> list[int]:
    """Insert `rows` (ignoring those already there) and hand the new ones to the worker after commit;
    the new rows' ids. All rows of one call carry the same `created_at` (how the new ones are found).

    A row whose address is not one is marked failed, with the reason, and not handed on. Used by
    `mail_enqueue`, `mail_enqueue_message` and the webhooks' `webhook_emit`.
    """
    if not rows:
        return []
    stamp = rows[0].created_at
    # ON CONFLICT DO NOTHING returns no ids: the new rows are the ones carrying this call's timestamp.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    keys = {(row.kind, row.object_key) for row in rows}
    ids = []
    for kind, object_key in keys:
        ids += Delivery.objects.filter(kind=kind, object_key=object_key, created_at=stamp).values_list("pk", flat=True)
    queued = deliveries_fail_bad_addresses(ids)
    if queued:
        transaction.on_commit(lambda: _hand_to_worker(queued))
    return ids


def _hand_to_worker(ids: list[int]) -> None:
    try:
        deliveries_hand_on(ids)
    except Exception:  # a broker outage must not turn into an error page
        # The rows are in the database, queued: the sweep hands them on after REMINDER_STUCK_AFTER.
        logger.exception("broker unreachable: deliveries %s wait for the next sweep", ids)


@transaction.atomic
def mail_enqueue(
    *,
    kind: str,
    to: Iterable[Member | str],
    obj: models.Model | None = None,
    object_key: str = "",
    template: str = "",
    context: dict | None = None,
    due_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> list[int]:
    """Queue the notice `kind` to every recipient in `to` (Members or addresses); returns the new rows' ids.

    Side effects: one Delivery row per recipient not yet told (unique per kind, object_key and
    recipient); after the surrounding transaction commits, one send task per new row. Rendering
    and SMTP happen in the worker, never here. See the module docstring for the template context.
    """
    if not template and kind not in kinds():
        raise ValueError(f"{kind!r} is not a registered kind: pass its template")
    now = timezone.now()
    key = _object_key(obj, object_key)
    stored = {**(context or {}), **({TEMPLATE_KEY: template} if template else {})}
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    rows, seen = [], set()
    for recipient in to:
        member = recipient if isinstance(recipient, Member) else None
        address = "" if member is not None else str(recipient).strip()
        if (member.pk if member else address.lower()) in seen or not (member or address):
            continue
        seen.add(member.pk if member else address.lower())
        rows.append(
            Delivery(
                kind=kind,
                object_key=key,
                content_type=content_type,
                object_id=obj.pk if obj is not None else None,
                recipient=member,
                recipient_email=address,
                due_at=due_at or now,
                expires_at=expires_at,
                context=stored,
                created_at=now,
                queued_at=now,
            )
        )
    return deliveries_queue(rows)


@transaction.atomic
def mail_enqueue_message(
    *,
    kind: str,
    message: EmailMessage,
    object_key: str,
    obj: models.Model | None = None,
    expires_at: datetime | None = None,
) -> list[int]:
    """Queue a message rendered elsewhere (allauth's), one row per address in `message.to`.

    Side effects as `mail_enqueue`. The row keeps the rendered message (it may hold a one-time link)
    until it is sent; then its bodies are dropped (see reminders.delivery_send).
    """
    now = timezone.now()
    stored = {MESSAGE_KEY: message_as_dict(message)}
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    rows = [
        Delivery(
            kind=kind,
            object_key=object_key,
            content_type=content_type,
            object_id=obj.pk if obj is not None else None,
            recipient_email=address,
            due_at=now,
            expires_at=expires_at,
            context=stored,
            created_at=now,
            queued_at=now,
        )
        for address in dict.fromkeys(message.to)
    ]
    return deliveries_queue(rows)
