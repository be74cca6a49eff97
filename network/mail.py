"""The one mail helper: every email of the site is rendered and sent here.

A message `<name>` is three templates in `templates/email/`: `<name>.subject.txt`, `<name>.txt` and
`<name>.html`, rendered in the recipient's language. Every email has a plain-text part.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation


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
