"""API tokens: what a member institution's own system (or the network's) presents to read /api/v1/.

A token is shown once, when it is issued (network/api/services.py); only its SHA-256 is kept. The
secret is 256 random bits, so a plain hash is enough (no password stretching: nobody can guess
such a secret, and a fast hash lets every request find its token by an indexed lookup).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What every token starts with: a secret pasted into a chat or a repository is recognisable
# (secret scanners look for such prefixes), and tells a reader it is ours.
TOKEN_PREFIX = "kloss_"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        """Not revoked and not expired: the tokens that open the API now."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A token for an institution's system (sees what a member of that institution sees) or for the
    network as a whole (an ordinary member's view, no institution of its own); never staff's view,
    never the steering group's."""

    class Scope(models.TextChoices):
        READ_PUBLIC = "read_public", _("Read public information")
        READ_MEMBERS = "read_members", _("Read what members see")

    institution = models.ForeignKey(
        "network.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("institution"),
        help_text=_("Leave empty for a token of the network as a whole."),
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.READ_PUBLIC)
    note = models.CharField(_("note"), max_length=200, help_text=_("What it is for, and who asked for it."))
    # The first characters of the secret after the prefix: how staff and the owner tell tokens apart.
    key_start = models.CharField(_("starts with"), max_length=20, editable=False)
    key_hash = models.CharField(_("hash of the token"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
        editable=False,
    )
    # Updated at most once a minute (services.api_token_touch), not a write per request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        app_label = "network"
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="apitoken_expires_after_issue",
                violation_error_message=_("A token must expire after it is issued."),
            )
        ]

    def __str__(self) -> str:
        return f"{TOKEN_PREFIX}{self.key_start}… ({self.note})"

    @property
    def is_network_token(self) -> bool:
        return self.institution_id is None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_usable(self, now=None) -> bool:
        return not self.is_revoked and self.expires_at > (now or timezone.now())

    @property
    def sees_members_only(self) -> bool:
        return self.scope == self.Scope.READ_MEMBERS
