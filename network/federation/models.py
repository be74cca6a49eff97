"""What the federation's verified metadata says about the member institutions' identity providers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import Institution


class IdentityProvider(models.Model):
    """A member institution's identity provider, as last read from the federation's signed metadata.

    Written only by `federation_refresh()` (network/federation/metadata.py); which institution it
    belongs to is `Institution.idp_entity_id`, the one field the secretariat edits.
    """

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="identity_provider", verbose_name=_("institution")
    )
    entity_id = models.CharField(_("entity ID"), max_length=500, unique=True)
    sso_url = models.URLField(_("single sign-on endpoint"), max_length=500)
    # PEM bodies (base64, no header) of every signing certificate: two during a rollover.
    certificates = models.JSONField(_("signing certificates"), default=list)
    # shibmd:Scope values the provider may assert (e.g. "kth.se"); literal scopes only.
    scopes = models.JSONField(_("scopes"), default=list)
    refreshed_at = models.DateTimeField(_("refreshed"))

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["entity_id"]

    def __str__(self) -> str:
        return self.entity_id


class FederationState(models.Model):
    """One row: the last good refresh of the federation's metadata and the problem, if any, since when.

    A problem is told to the secretariat once (`told` marks it); a good refresh clears it.
    """

    last_success_at = models.DateTimeField(_("last good refresh"), null=True, blank=True)
    valid_until = models.DateTimeField(_("metadata valid until"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=40, blank=True)
    problem_detail = models.TextField(_("problem detail"), blank=True)
    problem_since = models.DateTimeField(_("problem since"), null=True, blank=True)

    class Meta:
        verbose_name = _("federation state")
        verbose_name_plural = _("federation state")

    def __str__(self) -> str:
        return self.problem or "ok"
