"""Messages to members: the recipient filters, the recipient query, and sending through the outbox.

Where it lives, and why here. A message is "how we reach members", which STYLE.md puts in the base
layer: the models (network/messages/models.py), the compose pages and the outbox kind are network's.
Two parts need the meetings app (the answer to a meeting; a host writing to her meeting's people),
and network imports no other app. So network keeps two small registries, filled from above in the
apps' `AppConfig.ready()` (meetings/messaging.py), as network/outbox/worker.py is filled by the apps'
reminder kinds:

- `recipient_filter(...)`: a filter of the compose form. It brings its form fields, turns the
  cleaned values into JSON-able data (stored on `Message.filters`), narrows a Member queryset by
  that data with subqueries (never a loop), and describes it in words. Network registers
  institution, role and steering group; meetings registers the answer to a meeting.
- `message_scope(...)`: an object whose people someone other than the secretariat may write to
  (a meeting, for its host contacts): the permission that allows it (a rules name), the members it
  is limited to, and the filters its form shows.

The guarantees: recipients are only members who may use the intranet (approved, login active,
institution a member today: `Member.objects.active()`), chosen in ONE query whatever their number
(`message_recipients`). `message_send` records the message, one `MessageRecipient` and one outbox
`Delivery` per recipient in one transaction, and hands the deliveries to the worker after commit;
the request never talks SMTP. The preview's token is unique on the message: the same form sent
twice finds the first message and mails nobody again; the outbox's unique key
(kind, "network.message:<id>", recipient) holds the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.forms import PkMultipleChoiceField
from network.models import Delivery, Institution, Member, Message, MessageRecipient, SteeringGroupSeat
from network.outbox.render import render_mail
from network.outbox.worker import delivery_requeue, object_key_of, reminder_kind

KIND = "member_message"
TEMPLATE = "network/member_message"


class MessagingError(Exception):
    """A message that cannot be sent, with a translated reason for the writer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RecipientsChanged(MessagingError):
    """The filters reach another number of members than the preview showed: she previews again."""


# --- The registries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientFilter:
    """One filter of the compose form (see the module docstring). `scope` is None for the secretariat."""

    name: str
    fields: Callable[[models.Model | None], dict[str, forms.Field]]
    to_data: Callable[[dict, models.Model | None], dict]  # cleaned values -> JSON-able data ({} = no filter)
    apply: Callable[[QuerySet[Member], dict, models.Model | None], QuerySet[Member]]
    describe: Callable[[dict, models.Model | None], list[str]]
    clean: Callable[[dict, models.Model | None], dict[str, str]] | None = None  # {field: error}
    position: int = 100


@dataclass(frozen=True)
class MessageScope:
    model: type[models.Model]
    permission: str  # rules permission on the object: who may write to its people
    members: Callable[[models.Model], Q]  # the members the scope is limited to, as a condition on Member
    filters: tuple[str, ...] = ()  # the filters its form offers
    label: Callable[[models.Model], str] = str


_filters: dict[str, RecipientFilter] = {}
_scopes: dict[str, MessageScope] = {}


def recipient_filter(name: str, *, position: int = 100, clean=None, **hooks) -> RecipientFilter:
    """Register (or replace) the filter `name`; hooks: fields, to_data, apply, describe."""
    registered = RecipientFilter(name=name, position=position, clean=clean, **hooks)
    _filters[name] = registered
    return registered


def message_scope(model: type[models.Model], **kwargs) -> MessageScope:
    scope = MessageScope(model=model, **kwargs)
    _scopes[model._meta.label_lower] = scope
    return scope


def filters_for(scope_obj: models.Model | None) -> list[RecipientFilter]:
    """The filters a form shows: every one for the secretariat, the scope's own for a scope."""
    chosen = list(_filters.values())
    if scope_obj is not None:
        names = scope_of(scope_obj).filters
        chosen = [f for f in chosen if f.name in names]
    return sorted(chosen, key=lambda f: f.position)


def scope_of(obj: models.Model) -> MessageScope:
    try:
        return _scopes[obj._meta.label_lower]
    except KeyError:
        raise LookupError(f"no message scope registered for {obj._meta.label_lower}") from None


def may_write(user, scope_obj: models.Model | None) -> bool:
    """May `user` write to the people of `scope_obj` (None: to any members, the secretariat's right)?"""
    if scope_obj is None:
        return user.has_perm("network.message_members")
    return user.has_perm("network.message_members") or user.has_perm(scope_of(scope_obj).permission, scope_obj)


# --- The filters network knows itself ---------------------------------------------------------


def _institution_fields(scope):
    return {
        "institutions": PkMultipleChoiceField(
            label=gettext_lazy("Institutions"),
            queryset=Institution.objects.current_members(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=gettext_lazy("None ticked: every institution."),
        )
    }


def _institution_describe(data, scope):
    names = Institution.objects.filter(pk__in=data["institutions"]).values_list("name", flat=True)
    return [_("Institutions: %(names)s") % {"names": ", ".join(names) or _("(removed)")}]


recipient_filter(
    "institutions",
    position=10,
    fields=_institution_fields,
    to_data=lambda c, s: {"institutions": sorted(i.pk for i in c["institutions"])} if c.get("institutions") else {},
    apply=lambda qs, data, s: qs.filter(institution_id__in=data["institutions"]),
    describe=_institution_describe,
)


def _role_fields(scope):
    return {
        "roles": forms.MultipleChoiceField(
            label=gettext_lazy("Roles"),
            choices=Member.Role.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=gettext_lazy("None ticked: every role."),
        )
    }


def _role_describe(data, scope):
    labels = dict(Member.Role.choices)
    return [_("Roles: %(roles)s") % {"roles": ", ".join(str(labels.get(r, r)) for r in data["roles"])}]


recipient_filter(
    "roles",
    position=20,
    fields=_role_fields,
    to_data=lambda c, s: {"roles": sorted(c["roles"])} if c.get("roles") else {},
    apply=lambda qs, data, s: qs.filter(role__in=data["roles"]),
    describe=_role_describe,
)

STEERING_CHOICES = [
    ("", gettext_lazy("Everyone")),
    ("seat", gettext_lazy("On the steering group")),
    ("chair", gettext_lazy("Chair of the steering group")),
    ("no_seat", gettext_lazy("Not on the steering group")),
]


def _steering_apply(qs, data, scope):
    seats = SteeringGroupSeat.objects.current().filter(member=OuterRef("pk"))
    if data["steering"] == "chair":
        return qs.filter(Exists(seats.filter(role=SteeringGroupSeat.Role.CHAIR)))
    if data["steering"] == "no_seat":
        return qs.filter(~Exists(seats))
    return qs.filter(Exists(seats))


recipient_filter(
    "steering",
    position=30,
    fields=lambda scope: {
        "steering": forms.ChoiceField(label=gettext_lazy("Steering group"), choices=STEERING_CHOICES, required=False)
    },
    to_data=lambda c, s: {"steering": c["steering"]} if c.get("steering") else {},
    apply=_steering_apply,
    describe=lambda data, s: [
        _("Steering group: %(which)s") % {"which": dict(STEERING_CHOICES).get(data["steering"], data["steering"])}
    ],
)


# --- Selectors ---------------------------------------------------------------------------------


def _filtered(queryset: QuerySet[Member], filters: dict, scope_obj: models.Model | None) -> QuerySet[Member]:
    if scope_obj is not None:
        queryset = queryset.filter(scope_of(scope_obj).members(scope_obj))
    for recipient_filter_ in filters_for(scope_obj):
        data = filters.get(recipient_filter_.name)
        if data:
            queryset = recipient_filter_.apply(queryset, data, scope_obj)
    return queryset


def message_recipients(*, filters: dict, scope: models.Model | None = None) -> QuerySet[Member]:
    """Who gets a message with these filters: active members only, with login and institution, by
    institution and name. One query however many they are (the filters are subqueries)."""
    return (
        _filtered(Member.objects.active(), filters, scope)
        .select_related("user", "institution")
        .order_by("institution__name", "user__last_name", "user__first_name", "pk")
    )


@dataclass
class Excluded:
    """Members the filters match who get nothing, and why (counts)."""

    unverified: int = 0
    applicant: int = 0
    rejected: int = 0
    left: int = 0
    login_closed: int = 0
    institution_left: int = 0

    @property
    def total(self) -> int:
        return sum(vars(self).values())

    def reasons(self) -> list[tuple[int, str]]:
        labels = {
            "unverified": _("email address not verified"),
            "applicant": _("waiting for approval"),
            "rejected": _("application rejected"),
            "left": _("left the network"),
            "login_closed": _("login deactivated"),
            "institution_left": _("institution no longer a member"),
        }
        return [(n, labels[name]) for name, n in vars(self).items() if n]


def message_excluded(*, filters: dict, scope: models.Model | None = None) -> Excluded:
    """Why people the filters match are not recipients (one aggregate query)."""
    today = timezone.localdate()
    institution_member = Q(institution__joined_on__lte=today) & (
        Q(institution__left_on__isnull=True) | Q(institution__left_on__gt=today)
    )
    approved = Q(status=Member.Status.APPROVED)
    counts = _filtered(Member.objects.all(), filters, scope).aggregate(
        unverified=Count("pk", filter=Q(status=Member.Status.UNVERIFIED)),
        applicant=Count("pk", filter=Q(status=Member.Status.APPLICANT)),
        rejected=Count("pk", filter=Q(status=Member.Status.REJECTED)),
        left=Count("pk", filter=Q(status=Member.Status.LEFT)),
        login_closed=Count("pk", filter=approved & Q(user__is_active=False)),
        institution_left=Count("pk", filter=approved & Q(user__is_active=True) & ~institution_member),
    )
    return Excluded(**counts)


def message_reach(*, filters: dict, scope: models.Model | None = None) -> tuple[int, Excluded]:
    """How many members a message with these filters goes to, and who they match but leave out."""
    return message_recipients(filters=filters, scope=scope).count(), message_excluded(filters=filters, scope=scope)


def message_describe_filters(*, filters: dict, scope: models.Model | None = None) -> list[str]:
    """The filters in words, in the current language (for the preview, the record and the admin)."""
    lines = []
    if scope is not None:
        lines.append(scope_of(scope).label(scope))
    for recipient_filter_ in filters_for(scope):
        data = filters.get(recipient_filter_.name)
        if data:
            lines.extend(recipient_filter_.describe(data, scope))
    return lines or [_("Every member")]


def message_list() -> QuerySet[Message]:
    """Every message, newest first, with its writer and how many it went to (one query a page)."""
    return (
        Message.objects.select_related("created_by")
        .annotate(recipient_count=Count("recipients"))
        .order_by("-created_at", "-pk")
    )


def message_bad_addresses(*, message: Message) -> list[Member]:
    """Recipients who get nothing because their address is not one (their delivery failed when it was
    queued, before any try: network/outbox/mail.py), by name; one query."""
    return [
        recipient.member
        for recipient in message.recipients.filter(
            delivery__status=Delivery.Status.FAILED, delivery__attempts=0
        ).select_related("member__user")
    ]


def message_scope_object(message: Message) -> models.Model | None:
    """The message's scope object, or None for the secretariat's own (or when the object is gone)."""
    return message.scope if message.scope_type_id else None


# --- The compose steps ---------------------------------------------------------------------------


class ComposeStep(StrEnum):
    FORM = "form"  # back to the form, with what was written
    PREVIEW = "preview"  # the email in each language and every recipient, nothing sent
    SEND = "send"


def message_compose_step(*, action: str, valid: bool, token: UUID | None) -> ComposeStep:
    """What a POST of the compose form does next. "edit" and "count" go back to the form, and so does
    a form that does not validate; "send" sends only with the token a preview made (nothing is ever
    sent unseen); anything else previews."""
    if action in ("edit", "count") or not valid:
        return ComposeStep.FORM
    if action == "send" and token:
        return ComposeStep.SEND
    return ComposeStep.PREVIEW


@dataclass(frozen=True)
class MessageDraft:
    """A message previewed and not sent: what the preview page shows and sends back with "Send"."""

    token: UUID  # kept on every preview of the same form: sent twice, it is still sent once
    recipients: list[Member]  # "Send" sends only to as many (`message_send(expected=...)`)
    excluded: Excluded
    filter_lines: list[str]
    previews: list[dict]


def message_draft(
    *, by, filters: dict, scope: models.Model | None = None, token: UUID | None = None, **text: str
) -> MessageDraft:
    """The preview of a message: its recipients, who the filters match but leave out, the filters in
    words and the email in each language (`text`: subject_sv, body_sv, subject_en, body_en). A new
    token unless the form has one from an earlier preview. Nothing is written."""
    return MessageDraft(
        token=token or uuid.uuid4(),
        recipients=list(message_recipients(filters=filters, scope=scope)),
        excluded=message_excluded(filters=filters, scope=scope),
        filter_lines=message_describe_filters(filters=filters, scope=scope),
        previews=message_preview(message=Message(**text, created_by=by)),
    )


# --- Services ----------------------------------------------------------------------------------


@transaction.atomic
def message_send(
    *,
    by,
    token: UUID,
    subject_sv: str,
    body_sv: str,
    subject_en: str = "",
    body_en: str = "",
    filters: dict,
    scope: models.Model | None = None,
    expected: int | None = None,
) -> tuple[Message, bool]:
    """Record the message and hand one delivery per recipient to the outbox; (message, created).

    Side effects: inserts a Message, its MessageRecipient rows and their Delivery rows (kind
    "member_message"); after commit, one send task per delivery. A token already used returns the
    first message, created=False, and sends nothing. Raises MessagingError (translated) when the
    writer may not write to these people, the text is incomplete, or nobody would get it, and
    RecipientsChanged when `expected` (the preview's count) is not the number the filters reach now.
    """
    existing = Message.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    if not may_write(by, scope):
        raise MessagingError(_("You may not write to these members."))
    subject_sv, body_sv, subject_en, body_en = (s.strip() for s in (subject_sv, body_sv, subject_en, body_en))
    if not (subject_sv and body_sv):
        raise MessagingError(_("Write the subject and the text in Swedish."))
    if bool(subject_en) != bool(body_en):
        raise MessagingError(_("Write both the English subject and text, or neither."))
    recipients = list(message_recipients(filters=filters, scope=scope))
    if expected is not None and len(recipients) != expected:  # not sent blindly to others than she saw
        raise RecipientsChanged(
            _(
                "The recipients changed since the preview (someone joined, left or answered). "
                "Check them again before you send."
            )
        )
    if not recipients:
        raise MessagingError(_("No member matches these filters: nobody would get the message."))
    now = timezone.now()
    try:
        with transaction.atomic():  # a concurrent second submission of the same form loses here
            message = Message.objects.create(
                subject_sv=subject_sv,
                body_sv=body_sv,
                subject_en=subject_en,
                body_en=body_en,
                created_by=by,
                created_at=now,
                sent_at=now,
                filters=filters,
                scope_type=ContentType.objects.get_for_model(scope) if scope is not None else None,
                scope_id=scope.pk if scope is not None else None,
                token=token,
            )
    except IntegrityError:
        return Message.objects.get(token=token), False
    content_type = ContentType.objects.get_for_model(Message)
    key = object_key_of(message)
    languages = [message.language_for(member.language) for member in recipients]
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                kind=KIND,
                object_key=key,
                content_type=content_type,
                object_id=message.pk,
                recipient=member,
                due_at=now,
                context={"language": language},
            )
            for member, language in zip(recipients, languages, strict=True)
        ],
        batch_size=500,
    )
    MessageRecipient.objects.bulk_create(
        [
            MessageRecipient(message=message, member=member, language=language, delivery=delivery)
            for member, language, delivery in zip(recipients, languages, deliveries, strict=True)
        ],
        batch_size=500,
    )
    delivery_requeue(deliveries=Delivery.objects.filter(kind=KIND, object_key=key))
    return message, True


# --- The outbox kind ------------------------------------------------------------------------


@reminder_kind(KIND, template=TEMPLATE, optional=False)
def member_message(now) -> Iterable:
    """Nothing falls due by itself: `message_send` writes the rows when a message is sent."""
    return ()


def _context(message: Message, language: str) -> dict:
    writer = message.created_by
    return {
        "message": message,
        "message_language": language,
        "message_subject": message.subject_in(language),
        "message_body": message.body_in(language),
        "message_writer": (writer.get_full_name() or writer.email) if writer is not None else "",
    }


@member_message.context
def _member_message_context(delivery: Delivery) -> dict:
    message = delivery.obj
    return _context(message, delivery.context.get("language") or "sv")


def message_preview(*, message: Message) -> list[dict]:
    """The email as its recipients get it, one dict per written language: language, label, subject,
    text, html (rendered by the one mail helper, as the worker renders it; nothing is sent)."""
    languages = ["sv", "en"] if message.has_english else ["sv"]
    labels = {"sv": _("In Swedish"), "en": _("In English")}
    previews = []
    for language in languages:
        email = render_mail(
            template=TEMPLATE,
            to=["preview@kloss-net.se"],
            language=language,
            context=_context(message, language),
        )
        html = next((content for content, mimetype in email.alternatives if mimetype == "text/html"), "")
        # Plain strings, not the templates' SafeStrings: a page showing them must escape them.
        subject, text, html = (str.__str__(part) for part in (email.subject, email.body, html))
        previews.append(
            {
                "language": language,
                "label": labels[language],
                "subject": subject,
                "text": text,
                "html": html,
            }
        )
    return previews
