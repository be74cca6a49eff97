"""The one mail helper: every email of the site is rendered here and sent through the outbox.

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

A message `<name>` is three templates in `templates/email/`: `<name>.subject.txt`, `<name>.txt` and
`<name>.html`, rendered in the recipient's language. Every email has a plain-text part.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from network.models import Delivery, Member

logger = logging.getLogger(__name__)

# Keys of Delivery.context the worker reads itself (never passed to a template as they are).
TEMPLATE_KEY = "_template"  # the template of a kind that is not registered
MESSAGE_KEY = "_message"  # a message rendered when it was queued (allauth's): sent as it is


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str  # e.g. "text/calendar; method=PUBLISH" for an .ics


def render_mail(
    *,
    template: str,
    to: Sequence[str],
    language: str,
    context: dict | None = None,
    attachments: Iterable[Attachment] = (),
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """Render `template` in `language` into a message with a text and an HTML part (not sent)."""
    context = {"site_url": settings.SITE_URL, **(context or {})}
    with translation.override(language):
        subject = render_to_string(f"email/{template}.subject.txt", context)
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", {**context, "subject": subject.strip()})
    # A header cannot hold a newline: the subject template's trailing newline and any wrapping go.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_mail(
    *,
    template: str,
    to: Sequence[str],
    language: str,
    context: dict | None = None,
    attachments: Iterable[Attachment] = (),
    headers: dict[str, str] | None = None,
    connection=None,
) -> None:
    """Render and send one email. Side effect: talks SMTP; SMTP and socket errors propagate (callers retry)."""
    message = render_mail(
        template=template, to=to, language=language, context=context, attachments=attachments, headers=headers
    )
    message.connection = connection or get_connection(fail_silently=False)
    message.send(fail_silently=False)


def connection_close_quietly(connection) -> None:
    """Close a mail connection that may be dead already; the next send opens a new one."""
    try:
        connection.close()
    except Exception:  # a dead socket cannot be closed politely; close() forgets it all the same
        logger.debug("mail connection closed with an error", exc_info=True)


# --- The queue: what services call ----------------------------------------------------------


class InvalidAddress(ValueError):
    """An address the mail server must not be given (no @, no domain), with a translated message."""

    def __init__(self, address: str):
        self.address = address
        self.message = gettext(
            "“%(address)s” is not an email address (it needs a name, an @ and a domain). "
            "Nothing was sent to it: correct the address, then send again."
        ) % {"address": address}
        super().__init__(self.message)


def address_check(address: str) -> None:
    """Raise InvalidAddress unless `address` is an email address the mail server can be given."""
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidAddress(address) from None


def address_problem(address: str | None) -> str:
    """Why `address` cannot be mailed (translated, for the row's last error), or "" when it can."""
    try:
        address_check(address or "")
    except InvalidAddress as error:
        return error.message
    return ""


def _object_key(obj: models.Model | None, object_key: str) -> str:
    if object_key:
        return object_key
    if obj is None:
        raise ValueError("a delivery needs an obj or an object_key")
    return f"{obj._meta.label_lower}:{obj.pk}"


def _queue(rows: list[Delivery]) -> list[int]:
    """Insert `rows` (ignoring those already there) and hand the new ones to the worker after commit.

    A row whose address is not one is marked failed, with the reason, and not handed on.
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


def deliveries_fail_bad_addresses(ids: list[int]) -> list[int]:
    """Mark failed, with the reason, the rows of `ids` whose address is not one; the ids of the others.

    One query to read the addresses (a member's is her login's), one UPDATE per bad row (rare). A bad
    address fails its own row only: the others go on.
    """
    if not ids:
        return ids
    rows = Delivery.objects.filter(pk__in=ids).values_list(
        "pk", "recipient_id", "recipient_email", "recipient__user__email"
    )
    bad = {}
    for pk, recipient_id, address, member_address in rows:
        problem = address_problem(member_address if recipient_id is not None else address)
        if problem:
            bad[pk] = problem
    for pk, problem in bad.items():
        Delivery.objects.filter(pk=pk).update(status=Delivery.Status.FAILED, last_error=problem, queued_at=None)
    if bad:
        logger.warning("deliveries %s not queued: not an email address", sorted(bad))
    return [pk for pk in ids if pk not in bad]


def _hand_to_worker(ids: list[int]) -> None:
    # Imported here: network.outbox.worker imports this module (rendering); the queue lives beside the sweep.
    from network.outbox.worker import _enqueue

    try:
        _enqueue(ids)
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
    if not template:
        # Imported here: the registry imports this module (see _hand_to_worker).
        from network.outbox.worker import kinds

        if kind not in kinds():
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
    return _queue(rows)


def message_as_dict(message: EmailMessage) -> dict:
    """A rendered message as JSON (subject, bodies, sender, headers); the recipients are the row's."""
    html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
    body = message.body
    if not html and message.content_subtype == "html":
        html, body = message.body, ""
    return {
        "subject": str(message.subject),
        "body": body,
        "html": html,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
    }


def message_from_dict(data: dict, *, to: Sequence[str], headers: dict[str, str]) -> EmailMultiAlternatives:
    """The message `message_as_dict` stored, addressed to `to`, with `headers` added."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data.get("body", ""),
        from_email=data.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers={**data.get("headers", {}), **headers},
    )
    if data.get("html"):
        if data.get("body"):
            message.attach_alternative(data["html"], "text/html")
        else:
            message.body, message.content_subtype = data["html"], "html"
    return message


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
    return _queue(rows)
