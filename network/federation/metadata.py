"""The federation's metadata: fetched, verified (signature and validity), and read into IdentityProvider.

`federation_refresh()` is the one way in (the beat task `network.federation_refresh` and the command
`manage.py federation_refresh` call it). A file that cannot be fetched, is not signed by the
configured certificate, or whose validUntil has passed changes nothing: the problem is stored on
`FederationState`, shown by /healthz, and told to the secretariat once per problem (a new kind of
problem is told again; a good refresh clears it).
"""

from __future__ import annotations

import logging
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from network.models import Institution
from network.outbox.mail import mail_enqueue

from .models import FederationState, IdentityProvider

logger = logging.getLogger(__name__)

NS = {
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "shibmd": "urn:mace:shibboleth:metadata:1.0",
    "mdui": "urn:oasis:names:tc:SAML:metadata:ui",
}
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
NOTICE_KIND = "federation_problem"
NOTICE_TEMPLATE = "network/federation_problem"
# What the secretariat reads for each problem's code (the notice and /healthz keep the code itself).
PROBLEMS = {
    "malformed": _("the file is not XML"),
    "unsigned": _("the file is not signed"),
    "bad_signature": _("its signature does not verify with the federation's certificate"),
    "no_valid_until": _("it does not say until when it is valid"),
    "expired": _("it has expired"),
    "fetch_failed": _("it could not be fetched"),
    "no_certificate": _("the federation's signing certificate is missing, or not the one the federation publishes"),
}


class MetadataError(Exception):
    """The metadata cannot be used; `code` names the problem (told once per code)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail or code


@dataclass
class IdPData:
    entity_id: str
    sso_url: str
    certificates: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)


@dataclass
class Metadata:
    valid_until: datetime
    idps: dict[str, IdPData]


def _certificate_body(pem: str) -> str:
    lines = [line.strip() for line in pem.strip().splitlines()]
    return "".join(line for line in lines if line and not line.startswith("-----"))


def metadata_verify(xml: bytes, *, certificate: str, now: datetime | None = None) -> Metadata:
    """The identity providers of a signed metadata aggregate; MetadataError when it may not be trusted.

    Trusted means: the root element carries an enveloped signature over the whole document (its
    Reference points at the root) that verifies with `certificate` (PEM), and its validUntil is
    present and still ahead.
    """
    now = now or timezone.now()
    if not certificate.strip():
        raise MetadataError(
            "no_certificate", "neither FEDERATION_METADATA_CERT_FILE nor FEDERATION_METADATA_CERT_URL/_SHA256 is set"
        )
    try:
        root = OneLogin_Saml2_XML.to_etree(xml)  # python3-saml's parser: no entities, no network
    except Exception as error:
        raise MetadataError("malformed", f"not XML: {error}") from error
    signatures = root.findall("ds:Signature", NS)
    if len(signatures) != 1:
        raise MetadataError("unsigned", "the metadata carries no signature of its own")
    references = signatures[0].findall("ds:SignedInfo/ds:Reference", NS)
    root_id = root.get("ID")
    if len(references) != 1 or references[0].get("URI") not in ({f"#{root_id}"} if root_id else {""}):
        raise MetadataError("bad_signature", "the signature does not cover the whole document")
    try:
        valid = OneLogin_Saml2_Utils.validate_metadata_sign(xml, cert=certificate, validatecert=False)
    except Exception as error:
        raise MetadataError("bad_signature", str(error)) from error
    if not valid:
        raise MetadataError("bad_signature", "the signature does not verify with the federation's certificate")
    valid_until = parse_datetime(root.get("validUntil") or "")
    if valid_until is None:
        raise MetadataError("no_valid_until", "the metadata has no validUntil")
    if valid_until <= now:
        raise MetadataError("expired", f"the metadata expired at {valid_until.isoformat()}")
    return Metadata(valid_until=valid_until, idps=_read_idps(root))


def _read_idps(root) -> dict[str, IdPData]:
    idps = {}
    entities = root.iter(f"{{{NS['md']}}}EntityDescriptor")
    for entity in entities:
        descriptor = entity.find("md:IDPSSODescriptor", NS)
        if descriptor is None:
            continue
        sso = [
            s.get("Location") for s in descriptor.findall("md:SingleSignOnService", NS) if s.get("Binding") == REDIRECT
        ]
        if not sso or not sso[0]:
            continue
        certificates = [
            "".join(cert.text.split())
            for key in descriptor.findall("md:KeyDescriptor", NS)
            if key.get("use") in (None, "signing")
            for cert in key.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS)
            if cert.text
        ]
        scopes = [
            scope.text.strip().lower()
            for scope in descriptor.findall("md:Extensions/shibmd:Scope", NS)
            if scope.text and scope.get("regexp", "false") == "false"
        ]
        entity_id = entity.get("entityID", "")
        if entity_id and certificates:
            idps[entity_id] = IdPData(entity_id=entity_id, sso_url=sso[0], certificates=certificates, scopes=scopes)
    return idps


def metadata_fetch(url: str, *, timeout: int) -> bytes:
    if not url.startswith(("https://", "http://", "file://")):
        raise MetadataError("fetch_failed", f"unsupported URL {url!r}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read()
    except Exception as error:
        raise MetadataError("fetch_failed", f"{url}: {error}") from error


def _configured_certificate() -> str:
    """The certificate that must have signed the metadata: the configured file, or else the one at
    FEDERATION_METADATA_CERT_URL when its SHA-256 fingerprint is the pinned one (SWAMID publishes it);
    "" when neither is configured."""
    path = settings.FEDERATION_METADATA_CERT_FILE
    if path:
        try:
            with open(path, encoding="ascii") as handle:
                return handle.read()
        except OSError as error:
            raise MetadataError("no_certificate", f"{path}: {error}") from error
    url, pinned = settings.FEDERATION_METADATA_CERT_URL, settings.FEDERATION_METADATA_CERT_SHA256
    if not (url and pinned):
        return ""
    pem = metadata_fetch(url, timeout=settings.FEDERATION_METADATA_TIMEOUT)
    try:
        fingerprint = x509.load_pem_x509_certificate(pem).fingerprint(hashes.SHA256()).hex()
    except ValueError as error:
        raise MetadataError("no_certificate", f"{url}: not a PEM certificate ({error})") from error
    if fingerprint != pinned.replace(":", "").lower():
        raise MetadataError("no_certificate", f"{url}: its SHA-256 fingerprint is not the pinned {pinned}")
    return pem.decode("ascii")


@dataclass(frozen=True)
class RefreshResult:
    ok: bool
    problem: str = ""
    updated: int = 0
    removed: int = 0


def federation_refresh(*, xml: bytes | None = None, now: datetime | None = None) -> RefreshResult:
    """Fetch (unless `xml` is given) and verify the federation's metadata, then update the providers.

    Side effects: on a trusted file, every institution with `idp_entity_id` gets its IdentityProvider
    row written from it (a provider no longer in the file is removed, so nobody signs in through it),
    and FederationState records the success. On an untrusted one, no provider changes; the problem is
    recorded and, when it is a new problem, one notice per address in settings.SECRETARIAT_EMAILS.
    """
    now = now or timezone.now()
    try:
        if xml is None:
            xml = metadata_fetch(settings.FEDERATION_METADATA_URL, timeout=settings.FEDERATION_METADATA_TIMEOUT)
        metadata = metadata_verify(xml, certificate=_configured_certificate(), now=now)
    except MetadataError as error:
        logger.error("federation metadata refused (%s): %s", error.code, error.detail)
        _record_problem(code=error.code, detail=error.detail, now=now)
        return RefreshResult(ok=False, problem=error.code)
    return _apply(metadata, now=now)


@transaction.atomic
def _apply(metadata: Metadata, *, now: datetime) -> RefreshResult:
    updated = 0
    keep = []
    for institution in Institution.objects.exclude(idp_entity_id="").select_for_update():
        data = metadata.idps.get(institution.idp_entity_id)
        if data is None:
            continue
        IdentityProvider.objects.update_or_create(
            institution=institution,
            defaults={
                "entity_id": data.entity_id,
                "sso_url": data.sso_url,
                "certificates": data.certificates,
                "scopes": data.scopes,
                "refreshed_at": now,
            },
        )
        keep.append(institution.pk)
        updated += 1
    removed, _ = IdentityProvider.objects.exclude(institution__in=keep).delete()
    state = _state()
    state.last_success_at, state.valid_until = now, metadata.valid_until
    state.problem, state.problem_detail, state.problem_since = "", "", None
    state.save(update_fields=["last_success_at", "valid_until", "problem", "problem_detail", "problem_since"])
    return RefreshResult(ok=True, updated=updated, removed=removed)


def _state() -> FederationState:
    state, _ = FederationState.objects.select_for_update().get_or_create(pk=1)
    return state


@transaction.atomic
def _record_problem(*, code: str, detail: str, now: datetime) -> None:
    state = _state()
    if state.problem == code:
        state.problem_detail = detail[:2000]
        state.save(update_fields=["problem_detail"])
        return  # told already
    state.problem, state.problem_detail, state.problem_since = code, detail[:2000], now
    state.save(update_fields=["problem", "problem_detail", "problem_since"])
    mail_enqueue(
        kind=NOTICE_KIND,
        template=NOTICE_TEMPLATE,
        to=settings.SECRETARIAT_EMAILS,
        object_key=f"federation:{code}:{now.isoformat()}",
        context={
            "problem": code,
            "detail": detail[:500],
            "since": now.isoformat(),
            "last_success": state.last_success_at.isoformat() if state.last_success_at else "",
            "url": settings.FEDERATION_METADATA_URL,
        },
        due_at=now,
    )


def federation_health() -> dict:
    """What /healthz says of the federation: "ok", "failing" (with the problem and since when), or
    "unknown" before the first refresh. Never counted against the site's status."""
    state = FederationState.objects.filter(pk=1).first()
    if state is None or (state.last_success_at is None and not state.problem):
        return {"federation": "unknown"}
    if state.problem:
        return {
            "federation": "failing",
            "federation_problem": state.problem,
            "federation_failing_since": state.problem_since.isoformat() if state.problem_since else None,
        }
    if state.valid_until and state.valid_until <= timezone.now():
        return {"federation": "failing", "federation_problem": "expired"}
    return {"federation": "ok"}
