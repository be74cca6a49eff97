"""A development-only identity provider, so that a newcomer can try "Log in with your university" with
`make run` (DEBUG on). Its URLs exist only when settings.FEDERATION_DEV_IDP is true, which is never
the case with DEBUG off (kloss_site/settings.py).

`manage.py federation_dev` makes (once, in var/dev-federation/) a signing key for a fake federation
and one per fake university, writes the federation's signed metadata and its certificate where
FEDERATION_METADATA_URL / FEDERATION_METADATA_CERT_FILE point in development, gives two demo
institutions their entity IDs and runs `federation_refresh()`: the real verification path.
The provider's sign-in page asks nothing but who to be, then posts a response signed with the
university's key to the site's ACS, as a real provider does.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from .saml import SLUG
from .testing import MFA, KeyPair, TestFederation, TestIdP


def dev_dir() -> Path:
    return Path(settings.VAR_DIR) / "dev-federation"


def dev_federation(base_url: str, universities: list[tuple[str, str]] | None = None) -> TestFederation:
    """The fake federation, its keys made once and kept in var/dev-federation/keys.json; its
    universities (name, scope = the institution's email domain) are given once, by federation_dev."""
    path = dev_dir() / "keys.json"
    stored = json.loads(path.read_text()) if path.exists() else {"signer": KeyPair.create("Dev federation").__dict__}
    if universities is not None:
        stored["universities"] = [list(u) for u in universities]
        for _name, scope in universities:
            stored.setdefault(scope, KeyPair.create(scope).__dict__)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored))
        path.chmod(0o600)
    return TestFederation(
        signer=KeyPair(**stored["signer"]),
        idps=[
            TestIdP(
                name=name,
                scope=scope,
                keys=KeyPair(**stored[scope]),
                entity_id=f"{base_url}/accounts/saml/dev-idp/{scope}/",
                sso_url=f"{base_url}/accounts/saml/dev-idp/{scope}/sso/",
            )
            for name, scope in stored.get("universities", [])
        ],
    )


def _idp(request: HttpRequest, scope: str) -> TestIdP:
    if not settings.FEDERATION_DEV_IDP:
        raise Http404
    for idp in dev_federation(settings.SITE_URL).idps:
        if idp.scope == scope:
            return idp
    raise Http404


@csrf_exempt  # a foreign site's form, as a real identity provider's would be
def sso(request: HttpRequest, scope: str) -> HttpResponse:
    """The provider's sign-in: choose who to be, then back to the site with a signed response."""
    idp = _idp(request, scope)
    saml_request = request.GET.get("SAMLRequest") or request.POST.get("SAMLRequest", "")
    try:
        authn = etree.fromstring(OneLogin_Saml2_Utils.decode_base64_and_inflate(saml_request))
    except Exception as error:  # noqa: BLE001 (a development page: say what was wrong)
        return HttpResponse(f"Not a SAML AuthnRequest: {error}", status=400, content_type="text/plain")
    acs = authn.get("AssertionConsumerServiceURL", "")
    if request.method == "POST" and "mail" in request.POST:
        response = idp.response(
            request_id=authn.get("ID", ""),
            acs_url=acs,
            audience=settings.SAML_SP_ENTITY_ID,
            mail=request.POST["mail"].strip(),
            uid=f"{request.POST['mail'].split('@')[0].strip() or 'dev'}@{idp.scope}",
            given_name=request.POST.get("given_name", "").strip() or "Ada",
            sn=request.POST.get("sn", "").strip() or "Lovelace",
            affiliations=(request.POST.get("affiliation", "staff"), "member")
            if request.POST.get("affiliation") != "student"
            else ("student",),
            authn_context=MFA
            if request.POST.get("mfa")
            else "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
        )
        return render(request, "network/federation/dev_idp_post.html", {"acs": acs, "saml_response": response})
    return render(
        request,
        "network/federation/dev_idp.html",
        {"idp": idp, "saml_request": saml_request, "mail": f"ada.lovelace@{idp.scope}", "slug": SLUG},
    )


def metadata(request: HttpRequest) -> HttpResponse:
    """The fake federation's signed metadata, fresh on every fetch (FEDERATION_METADATA_URL in development)."""
    if not settings.FEDERATION_DEV_IDP:
        raise Http404
    return HttpResponse(dev_federation(settings.SITE_URL).metadata(), content_type="application/samlmetadata+xml")


def signer_certificate_file() -> Path:
    return dev_dir() / "signer.crt"
