"""The service provider's own pages: its metadata, the choice of university, the finishing step's guard."""

from __future__ import annotations

import logging

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.utils import build_sp_config
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from .identity import Refused
from .models import IdentityProvider
from .saml import (
    ATTRIBUTES,
    REQUESTED,
    SESSION_KEY,
    SLUG,
    acs_saml_response,
    app_for,
    app_settings,
    provider_by_entity_id,
    response_issuer,
)

logger = logging.getLogger(__name__)
URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"


def refused(request: HttpRequest, code: str) -> HttpResponse:
    """The page that says, in her language, why her university login was not accepted (logged)."""
    logger.warning("federated login refused: %s", code)
    return render(request, "network/federation/refused.html", {"reason": Refused(code).message}, status=403)


@login_not_required
def sp_metadata(request: HttpRequest) -> HttpResponse:
    """The one service provider's metadata, to register with SWAMID: one entity ID, one ACS."""
    config = app_settings(None)
    sp = build_sp_config(request, config, SLUG)
    sp["attributeConsumingService"] = {
        "serviceName": "KLOSS-Net",
        "requestedAttributes": [
            {"name": ATTRIBUTES[key], "friendlyName": friendly, "isRequired": required, "nameFormat": URI}
            for key, friendly, required in REQUESTED
        ],
    }
    saml_settings = OneLogin_Saml2_Settings(
        settings={
            "strict": True,
            "sp": sp,
            "security": {"wantAssertionsSigned": True, "allowSingleLabelDomains": True},
        },
        sp_validation_only=True,
    )
    metadata = saml_settings.get_sp_metadata()
    errors = saml_settings.validate_metadata(metadata)
    if errors:
        logger.error("SP metadata invalid: %s", errors)
        return HttpResponse(status=500)
    return HttpResponse(metadata, content_type="application/samlmetadata+xml")


@login_not_required
@require_POST
def federation_login(request: HttpRequest) -> HttpResponse:
    """She chose her university: off to its identity provider (allauth's SAML redirect), the choice kept."""
    idp = (
        IdentityProvider.objects.select_related("institution")
        .filter(institution__slug=request.POST.get("institution", ""))
        .first()
    )
    if idp is None:
        return refused(request, "unknown_idp")
    request.session[SESSION_KEY] = idp.entity_id
    provider = app_for(idp).get_provider(request)
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    process = "connect" if request.POST.get("process") == "connect" and request.user.is_authenticated else "login"
    redirect = provider.redirect(request, process=process, next_url=next_url or None)
    # Not a redirect: the login page's CSP allows forms to post only to this site (form-action 'self'),
    # and browsers apply that to where a form's answer redirects too. A page that moves on by itself
    # (and a link, should it not) is a plain navigation, which that rule does not govern.
    return render(request, "network/federation/redirect.html", {"url": redirect["Location"]})


@login_not_required
def finish_acs(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """allauth's finishing step, guarded: a response from a provider we do not know, or whose login
    state is gone (replayed, or never asked for), is refused with our page instead of a bare error."""
    saml_response = acs_saml_response(request)
    if not saml_response:
        return refused(request, "invalid")
    if provider_by_entity_id(response_issuer(saml_response)) is None:
        return refused(request, "unknown_idp")
    request.federation_response = saml_response  # read by the adapter once allauth has verified it
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        return refused(request, "invalid")
