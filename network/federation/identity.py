"""Who she is, from a verified response: her institution, whether her address is hers, whether she may in.

Pure checks on the asserted attributes and the identity provider's stored scopes; the account adapter
(network/adapters.py) acts on the answer.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from lxml import etree
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from network.models import Institution

from .models import IdentityProvider
from .saml import ATTRIBUTES, MFA_PROFILE

# Why a login is refused: the code is logged, the text is shown in her language.
REFUSALS = {
    "unknown_idp": _("Your university's identity provider is not one this site trusts."),
    "scope": _("Your university's identity provider asserted something it may not assert for this site."),
    "no_identifier": _("Your university did not release a stable identifier for you, so you cannot be recognised."),
    "no_email": _("Your university did not release your email address, which the network needs to reach you."),
    "student": _("Only staff can sign in: your university account says you are a student."),
    "not_member": _("Your institution is not a member of the network."),
    "departed": _("Your membership has ended, so this account gives no access."),
    "address_taken": _(
        "An account with your address already exists. Sign in with your password and link your university "
        "login from your profile."
    ),
    "invalid": _("The answer from your university's identity provider could not be accepted."),
}


class Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self):
        return REFUSALS.get(self.code, REFUSALS["invalid"])


@dataclass(frozen=True)
class Identity:
    institution: Institution
    uid: str
    email: str
    email_verified: bool
    first_name: str
    last_name: str


def _values(attributes: dict, name: str) -> list[str]:
    return [str(v).strip() for v in attributes.get(ATTRIBUTES[name], []) if str(v).strip()]


def _scope(value: str) -> str:
    return value.rsplit("@", 1)[1].lower() if "@" in value else ""


def _belongs(domain: str, domains: set[str]) -> bool:
    """`domain` is one of `domains` or a subdomain of one."""
    return any(domain == d or domain.endswith("." + d) for d in domains)


def identity_check(*, idp: IdentityProvider, attributes: dict) -> Identity:
    """Her identity at `idp`'s institution, or Refused. Every scope asserted must be one the federation
    lets `idp` assert; her address counts as verified only when its domain and the asserted scope both
    belong to the institution (its email domains) and the scope is the provider's."""
    scopes = {s.lower() for s in idp.scopes}
    uid = next((v for name in ("subject_id", "pairwise_id", "eppn") for v in _values(attributes, name)), "")
    if not uid or not _scope(uid):
        raise Refused("no_identifier")
    affiliations = _values(attributes, "scoped_affiliation")
    homes = [h.lower() for h in _values(attributes, "home_organization")]
    asserted = {_scope(uid), *(_scope(a) for a in affiliations), *homes}
    if "" in asserted or not asserted <= scopes:
        raise Refused("scope")
    kinds = {a.rsplit("@", 1)[0].lower() for a in affiliations}
    if kinds and kinds <= {"student"}:
        raise Refused("student")
    institution = idp.institution
    if not institution.is_member:
        raise Refused("not_member")
    domains = set(institution.domains.values_list("domain", flat=True))
    email = (_values(attributes, "mail") or [""])[0].lower()
    if "@" not in email:
        raise Refused("no_email")
    email_domain = email.rsplit("@", 1)[1] if "@" in email else ""
    scope_ok = any(_belongs(scope, domains) for scope in (homes or [_scope(uid)]))
    verified = bool(email_domain) and _belongs(email_domain, domains) and scope_ok
    return Identity(
        institution=institution,
        uid=uid,
        email=email,
        email_verified=verified,
        first_name=(_values(attributes, "given_name") or [""])[0],
        last_name=(_values(attributes, "sn") or [""])[0],
    )


def asserts_mfa(saml_response: str) -> bool:
    """The response's one assertion says the REFEDS MFA profile was used (its AuthnContextClassRef).

    Read only after python3-saml verified the response (one signed assertion), from the same bytes."""
    try:
        root = OneLogin_Saml2_XML.to_etree(base64.b64decode(saml_response))
    except (ValueError, etree.XMLSyntaxError):  # not base64, not XML: nothing asserted
        return False
    ns = {"saml": "urn:oasis:names:tc:SAML:2.0:assertion"}
    refs = root.findall("saml:Assertion/saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef", ns)
    return any((ref.text or "").strip() == MFA_PROFILE for ref in refs)
