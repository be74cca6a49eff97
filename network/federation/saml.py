"""The one service provider, and allauth's SAML app for each member institution's identity provider.

allauth gives every identity provider its own app and its own endpoints (`/accounts/saml/<slug>/acs/`).
SWAMID registers a service provider by one entity ID and one metadata file naming its endpoints, and
a new member institution must not mean registering again. So every app generated here shares one
organisation slug (`SLUG`), hence one set of endpoints, and one entity ID (settings.SAML_SP_ENTITY_ID):
which identity provider an app stands for is decided per request, from the university she chose (the
session, before she leaves) or from the Issuer of the response she brings back. The Issuer is only
used to pick the provider whose certificate must verify the response: python3-saml then checks the
signature with that provider's certificates and that the Issuer matches it.

The apps are never database rows: they are built from `IdentityProvider`, which only the verified
federation metadata writes (allauth's settings-based apps work the same way).
"""

from __future__ import annotations

import base64
import binascii
import logging

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from .models import IdentityProvider

logger = logging.getLogger(__name__)

SLUG = "swamid"
PROVIDER = "saml"
SESSION_KEY = "federation_idp"  # the entity ID of the university she chose
MFA_PROFILE = "https://refeds.org/profile/mfa"

# What the service provider asks for (REFEDS Personalized Access) and how allauth maps it.
ATTRIBUTES = {
    "subject_id": "urn:oasis:names:tc:SAML:attribute:subject-id",
    "pairwise_id": "urn:oasis:names:tc:SAML:attribute:pairwise-id",
    "eppn": "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
    "mail": "urn:oid:0.9.2342.19200300.100.1.3",
    "given_name": "urn:oid:2.5.4.42",
    "sn": "urn:oid:2.5.4.4",
    "display_name": "urn:oid:2.16.840.1.113730.3.1.241",
    "scoped_affiliation": "urn:oid:1.3.6.1.4.1.5923.1.1.1.9",
    "home_organization": "urn:oid:1.3.6.1.4.1.25178.1.2.9",
    "assurance": "urn:oid:1.3.6.1.4.1.5923.1.1.1.11",
}
ATTRIBUTE_MAPPING = {
    # A stable identifier, scoped by the provider's own domain (so unique across providers).
    "uid": [ATTRIBUTES["subject_id"], ATTRIBUTES["pairwise_id"], ATTRIBUTES["eppn"]],
    "email": [ATTRIBUTES["mail"]],
    "first_name": [ATTRIBUTES["given_name"]],
    "last_name": [ATTRIBUTES["sn"]],
}
REQUESTED = [
    ("subject_id", "subject-id", True),
    ("pairwise_id", "pairwise-id", False),
    ("eppn", "eduPersonPrincipalName", False),
    ("mail", "mail", True),
    ("given_name", "givenName", True),
    ("sn", "sn", True),
    ("display_name", "displayName", False),
    ("scoped_affiliation", "eduPersonScopedAffiliation", True),
    ("home_organization", "schacHomeOrganization", True),
    ("assurance", "eduPersonAssurance", False),
]


def _read(path: str) -> str:
    if not path:
        return ""
    with open(path, encoding="ascii") as handle:
        return handle.read()


def sp_advanced() -> dict:
    """python3-saml's security settings for every provider: strict, signed assertions, no IdP-initiated login."""
    advanced = {
        "strict": True,
        "want_assertion_signed": True,
        "want_attribute_statement": True,
        "reject_idp_initiated_sso": True,
        "reject_deprecated_algorithm": True,
        # Our own endpoints' URLs are built from the request's host, which ALLOWED_HOSTS has vetted;
        # python3-saml would otherwise refuse "localhost" (make run) as a host name.
        "allow_single_label_domains": True,
    }
    cert, key = _read(settings.SAML_SP_CERT_FILE), _read(settings.SAML_SP_KEY_FILE)
    if cert and key:
        advanced.update(x509cert=cert, private_key=key)
    return advanced


def _certificate_for(idp: IdentityProvider, saml_response: str) -> str:
    """Which of the provider's signing certificates to give allauth (it takes one): during a rollover
    the metadata lists two, and the one that verifies this response's signature is the one to check it
    with (python3-saml then verifies everything again with it). Any other answer: the first."""
    if len(idp.certificates) > 1 and saml_response:
        try:
            xml = base64.b64decode(saml_response)
            for certificate in idp.certificates:
                if OneLogin_Saml2_Utils.validate_sign(xml, cert=OneLogin_Saml2_Utils.format_cert(certificate)):
                    return certificate
        except (binascii.Error, ValueError, etree.XMLSyntaxError):
            pass
    return idp.certificates[0] if idp.certificates else ""


def app_settings(idp: IdentityProvider | None, saml_response: str = "") -> dict:
    """allauth's SAML provider settings for one identity provider (or none known: a provider that
    trusts no certificate, so every response is refused)."""
    return {
        "sp": {"entity_id": settings.SAML_SP_ENTITY_ID},
        "idp": {
            "entity_id": idp.entity_id if idp else "urn:kloss:no-identity-provider",
            "sso_url": idp.sso_url if idp else settings.SITE_URL or "https://invalid.example/",
            "x509cert": _certificate_for(idp, saml_response) if idp else "",
        },
        "attribute_mapping": ATTRIBUTE_MAPPING,
        "advanced": sp_advanced(),
    }


def app_for(idp: IdentityProvider | None, saml_response: str = "") -> SocialApp:
    name = idp.institution.name if idp else "SWAMID"
    return SocialApp(provider=PROVIDER, name=name, client_id=SLUG, settings=app_settings(idp, saml_response))


def response_issuer(saml_response: str) -> str:
    """The Issuer named in a (base64) SAML response, unverified: only to pick whose certificate must verify it."""
    try:
        xml = base64.b64decode(saml_response, validate=False)
        root = OneLogin_Saml2_XML.to_etree(xml)
    except (binascii.Error, ValueError, etree.XMLSyntaxError):
        return ""
    ns = {"samlp": "urn:oasis:names:tc:SAML:2.0:protocol", "saml": "urn:oasis:names:tc:SAML:2.0:assertion"}
    issuer = root.find("saml:Issuer", ns)
    if issuer is None:
        issuer = root.find("saml:Assertion/saml:Issuer", ns)
    return (issuer.text or "").strip() if issuer is not None else ""


def provider_by_entity_id(entity_id: str) -> IdentityProvider | None:
    if not entity_id:
        return None
    return IdentityProvider.objects.select_related("institution").filter(entity_id=entity_id).first()


def acs_saml_response(request) -> str:
    """The SAMLResponse allauth's ACS view kept for the finishing step (its own session), or ""."""
    from allauth.core.internal import httpkit  # allauth's (de)serialisation of the ACS request
    from allauth.socialaccount.sessions import LoginSession
    from django.http import HttpRequest

    data = LoginSession(request, "saml_acs_session", "saml-acs-session").store.get("request")
    if not data:
        return ""
    return httpkit.deserialize_request(data, HttpRequest()).POST.get("SAMLResponse", "")


def app_for_request(request) -> SocialApp | None:
    """allauth's app for this request: the provider's, with the certificate that fits its response."""
    idp = provider_for_request(request)
    if idp is None:
        return None
    return app_for(idp, getattr(request, "federation_response", ""))


def provider_for_request(request) -> IdentityProvider | None:
    """The identity provider this request is about: the response's Issuer at the finishing step, else
    the university she chose."""
    if request is None:
        return None
    saml_response = (
        acs_saml_response(request)
        if request.resolver_match
        and request.resolver_match.url_name
        in (
            "saml_finish_acs",
            "federation_finish_acs",
        )
        else ""
    )
    if saml_response:
        return provider_by_entity_id(response_issuer(saml_response))
    session = getattr(request, "session", None)
    return provider_by_entity_id(session.get(SESSION_KEY, "")) if session is not None else None
