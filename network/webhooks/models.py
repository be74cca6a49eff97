"""A webhook subscription: an address of a member institution's own system (or the network's) that is
told, signed, when something it chose happens (network/webhooks/__init__.py says how)."""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .signing import SECRET_PREFIX

SECRET_BYTES = 32


def secret_generate() -> str:
    """A new signing secret as Standard Webhooks writes it: "whsec_" + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


class WebhookSubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=WebhookSubscription.Status.ACTIVE)


class WebhookSubscription(models.Model):
    """Where to send which events, for whom (an institution's view, or the network's), signed with what."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")

    name = models.CharField(
        _("name"), max_length=200, help_text=_("What the receiving system is, e.g. “KTH web page”.")
    )
    # Whose view the payloads follow: a member of this institution's (blank: the network's, an ordinary
    # member's without an institution). Never a steering-group seat's nor the secretariat's.
    institution = models.ForeignKey(
        "network.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
        verbose_name=_("institution"),
        help_text=_("The events are those a member of this institution may see. Blank: the network's own."),
    )
    url = models.URLField(_("address"), max_length=500, help_text=_("https:// address of the receiving system."))
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, default=secret_generate, editable=False)
    # After a rotation the old secret signs too, beside the new one, until `previous_secret_until`
    # (settings.WEBHOOK_SECRET_OVERLAP): the receiving system can switch without losing a call.
    previous_secret = models.CharField(_("previous signing secret"), max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(_("previous secret valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paused_reason = models.TextField(_("why paused"), blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    # The start of its current run of failed deliveries (none since succeeded); cleared by a success
    # and on resuming. After settings.WEBHOOK_PAUSE_AFTER of failures the subscription is paused.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    contact_email = models.EmailField(
        _("contact email"), help_text=_("Who is told when deliveries keep failing and the subscription is paused.")
    )
    language = models.CharField(
        _("language of notices"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active") | ~Q(paused_at=None),
                name="webhook_paused_has_a_moment",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def wants(self, event: str) -> bool:
        return event in self.events

    def signing_secrets(self, now) -> list[str]:
        """The secrets a call made at `now` is signed with: the current one, and the previous one
        while its overlap after a rotation lasts."""
        if self.previous_secret and self.previous_secret_until is not None and now < self.previous_secret_until:
            return [self.secret, self.previous_secret]
        return [self.secret]
