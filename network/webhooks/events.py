"""The registry of webhook events: typed names (`meeting.scheduled`, `decision.recorded`, …), what each
carries, and who may receive it.

Each app registers its events in its `webhooks` module (meetings/webhooks.py, projects/webhooks.py), as
the outbox's kinds are registered in `reminders` and `notices`; network knows none of them by name:

    @webhook_event("decision.recorded", label=_("A decision is recorded"), visible=may_see_decision)
    def _(decision, reader) -> dict:
        return {"id": decision.pk, ...}        # JSON-able: the payload's "data"

`visible(obj, reader)` and the payload builder get a *reader*: who the subscription reads as
(`subscription_reader`), an active member of the subscription's institution, or of no institution for
the network's own, never staff and never a steering-group seat. So the visibility is the site's: the
apps pass the reader to the same rules predicates their views use (`rules.has_perm(...)`), and a
subscription never receives what a member of its institution could not see.

May import: Django, django-rules, `network.models`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from network.models import Institution, Member, User, WebhookSubscription

Payload = Callable[..., dict]
Visible = Callable[..., bool]


@dataclass(frozen=True)
class EventType:
    name: str
    label: str | Promise
    build: Payload
    visible: Visible


_registry: dict[str, EventType] = {}
_discovered = False


def webhook_event(name: str, *, label: str | Promise, visible: Visible) -> Callable[[Payload], EventType]:
    """Register the payload builder `fn(obj, reader) -> dict` of the event `name` (idempotent per name)."""

    def register(fn: Payload) -> EventType:
        event = EventType(name=name, label=label, build=fn, visible=visible)
        _registry[name] = event
        return event

    return register


def event_types() -> dict[str, EventType]:
    """Every registered event, by name (sorted); imports the apps' `webhooks` modules once."""
    global _discovered
    if not _discovered:
        autodiscover_modules("webhooks")
        _discovered = True
    return dict(sorted(_registry.items()))


def event_choices() -> list[tuple[str, str]]:
    return [(name, f"{name}: {event.label}") for name, event in event_types().items()]


def subscription_reader(institution: Institution | None) -> User:
    """Who a subscription of `institution` (None: the network's) reads as: an unsaved, active, approved
    member of it, with no staff rights and no seat. Passed as the user to the rules predicates."""
    user = User(email="webhook@invalid", is_active=True, is_staff=False, is_superuser=False)
    if institution is None:
        # The network's own: a member of a member institution that hosts nothing and owns nothing.
        institution = Institution(name="", joined_on=datetime.date.min)
    Member(user=user, institution=institution, status=Member.Status.APPROVED)  # sets user.member
    return user


def reader_of(subscription: WebhookSubscription) -> User:
    return subscription_reader(subscription.institution)


def absolute(path: str) -> str:
    """An address on this site, for a payload's links (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def moment(value: datetime.datetime | None) -> str | None:
    """A moment in ISO 8601 with its UTC offset, as every payload writes times."""
    return value.isoformat() if value is not None else None
