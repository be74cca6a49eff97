"""How a row becomes an email: the message of a template in the recipient's language, a message
rendered elsewhere kept as JSON, and the addresses the mail server may be given.

A message `<name>` is three templates in `templates/email/`: `<name>.subject.txt`, `<name>.txt` and
`<name>.html`, rendered in the recipient's language. Every email has a plain-text part.

May import: Django and `network.models`. Used by the way in (mail.py) and the send path (worker.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from network.models import Delivery

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


def connection_close_quietly(connection) -> None:
    """Close a mail connection that may be dead already; the next send opens a new one."""
    try:
        connection.close()
    except Exception:  # a dead socket cannot be closed politely; close() forgets it all the same
        logger.debug("mail connection closed with an error", exc_info=True)


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


def deliveries_fail_bad_addresses(ids: list[int]) -> list[int]:
    """Mark failed, with the reason, the rows of `ids` whose address is not one; the ids of the others.

    One query to read the addresses (a member's is her login's), one UPDATE per bad row (rare). A bad
    address fails its own row only: the others go on.
    """
    if not ids:
        return ids
    # A webhook call has no address to check here (its URL is checked when it is made).
    rows = Delivery.objects.filter(pk__in=ids, webhook__isnull=True).values_list(
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
