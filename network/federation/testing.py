"""A test identity federation, offline (the test suite's, and the development-only provider's in
devidp.py; nothing in production uses it): key pairs made at test time, a signed metadata file of fake
universities, and SAML responses built and signed with python3-saml's own utilities (xmlsec).

    federation = TestFederation.create([("Exempeluniversitetet", "exu.example.se"), ...])
    xml = federation.metadata()                 # signed by federation.signer
    response = federation.idps[0].response(request_id=..., acs_url=..., audience=..., mail=...)
"""

from __future__ import annotations

import base64
import datetime
import uuid
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from onelogin.saml2.utils import OneLogin_Saml2_Utils

MFA = "https://refeds.org/profile/mfa"
PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


@dataclass
class KeyPair:
    key_pem: str
    cert_pem: str

    @classmethod
    def create(cls, name: str, *, dns_names: tuple[str, ...] = ()) -> KeyPair:
        """A key and its self-signed certificate for `name`; with `dns_names`, a TLS server's (its
        subjectAltName), which a client that trusts the certificate itself accepts for those names."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.datetime.now(datetime.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
        )
        if dns_names:
            names = x509.SubjectAlternativeName([x509.DNSName(dns) for dns in dns_names])
            builder = builder.add_extension(names, critical=False)
        cert = builder.sign(key, hashes.SHA256())
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        return cls(key_pem=key_pem, cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode())

    @property
    def cert_body(self) -> str:
        return "".join(line for line in self.cert_pem.splitlines() if not line.startswith("-----"))


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class TestIdP:
    __test__ = False  # not a test class (pytest)
    name: str
    scope: str
    keys: KeyPair
    entity_id: str = ""
    sso_url: str = ""

    def __post_init__(self) -> None:
        self.entity_id = self.entity_id or f"https://idp.{self.scope}/idp/shibboleth"
        self.sso_url = self.sso_url or f"https://idp.{self.scope}/idp/profile/SAML2/Redirect/SSO"

    def entity_descriptor(self, scopes: list[str] | None = None, extra_certificates: list[KeyPair] = ()) -> str:
        scope_xml = "".join(f'<shibmd:Scope regexp="false">{s}</shibmd:Scope>' for s in (scopes or [self.scope]))
        return (
            f'<md:EntityDescriptor entityID="{self.entity_id}">'
            '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            f"<md:Extensions>{scope_xml}"
            f'<mdui:UIInfo><mdui:DisplayName xml:lang="sv">{self.name}</mdui:DisplayName></mdui:UIInfo>'
            "</md:Extensions>"
            + "".join(
                '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>'
                f"<ds:X509Certificate>{keys.cert_body}</ds:X509Certificate>"
                "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
                for keys in (self.keys, *extra_certificates)
            )
            + '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
            f'Location="{self.sso_url}"/>'
            "</md:IDPSSODescriptor></md:EntityDescriptor>"
        )

    def response(
        self,
        *,
        request_id: str,
        acs_url: str,
        audience: str,
        mail: str = "",
        uid: str = "",
        affiliations: tuple[str, ...] = ("staff", "member"),
        home: str | None = None,
        given_name: str = "Ada",
        sn: str = "Lovelace",
        authn_context: str = PASSWORD,
        issuer: str = "",
        signed_by: KeyPair | None = None,
        sign: bool = True,
        now: datetime.datetime | None = None,
        lifetime: datetime.timedelta = datetime.timedelta(minutes=5),
    ) -> str:
        """A base64 SAMLResponse whose assertion is signed (by this provider's key unless `signed_by`)."""
        now = now or datetime.datetime.now(datetime.UTC)
        issuer = issuer or self.entity_id
        uid = uid or f"ada.lovelace@{self.scope}"
        home = self.scope if home is None else home
        until = _iso(now + lifetime)
        attributes = {
            "urn:oasis:names:tc:SAML:attribute:subject-id": [uid],
            "urn:oid:0.9.2342.19200300.100.1.3": [mail] if mail else [],
            "urn:oid:2.5.4.42": [given_name],
            "urn:oid:2.5.4.4": [sn],
            "urn:oid:1.3.6.1.4.1.5923.1.1.1.9": [f"{a}@{self.scope}" if "@" not in a else a for a in affiliations],
            "urn:oid:1.3.6.1.4.1.25178.1.2.9": [home] if home else [],
        }
        attribute_xml = "".join(
            f'<saml:Attribute Name="{name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
            + "".join(f"<saml:AttributeValue>{v}</saml:AttributeValue>" for v in values)
            + "</saml:Attribute>"
            for name, values in attributes.items()
            if values
        )
        assertion_id = f"_a{uuid.uuid4().hex}"
        assertion = (
            '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="{assertion_id}" Version="2.0" IssueInstant="{_iso(now)}">'
            f"<saml:Issuer>{issuer}</saml:Issuer>"
            "<saml:Subject>"
            '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">_t'
            f"{uuid.uuid4().hex}</saml:NameID>"
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{until}" Recipient="{acs_url}" InResponseTo="{request_id}"/>'
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{_iso(now - datetime.timedelta(minutes=1))}" NotOnOrAfter="{until}">'
            f"<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>"
            "</saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_iso(now)}" SessionIndex="_s{uuid.uuid4().hex}">'
            f"<saml:AuthnContext><saml:AuthnContextClassRef>{authn_context}</saml:AuthnContextClassRef>"
            "</saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{attribute_xml}</saml:AttributeStatement>"
            "</saml:Assertion>"
        )
        if sign:
            keys = signed_by or self.keys
            assertion = OneLogin_Saml2_Utils.add_sign(assertion, keys.key_pem, keys.cert_pem).decode()
            assertion = assertion.split("?>", 1)[-1] if assertion.startswith("<?xml") else assertion
        response = (
            '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="_r{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_iso(now)}" '
            f'Destination="{acs_url}" InResponseTo="{request_id}">'
            f"<saml:Issuer>{issuer}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            f"{assertion}</samlp:Response>"
        )
        return base64.b64encode(response.encode()).decode()


@dataclass
class TestFederation:
    __test__ = False
    signer: KeyPair
    idps: list[TestIdP] = field(default_factory=list)

    @classmethod
    def create(cls, universities: list[tuple[str, str]]) -> TestFederation:
        return cls(
            signer=KeyPair.create("Test federation"),
            idps=[TestIdP(name=name, scope=scope, keys=KeyPair.create(name)) for name, scope in universities],
        )

    def metadata(
        self,
        *,
        valid_until: datetime.datetime | None = None,
        signed_by: KeyPair | None = None,
        sign: bool = True,
        extra_scopes: dict[str, list[str]] | None = None,
        extra_certificates: dict[str, list[KeyPair]] | None = None,
    ) -> bytes:
        until = valid_until or datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=14)
        body = "".join(
            idp.entity_descriptor(
                (extra_scopes or {}).get(idp.entity_id), (extra_certificates or {}).get(idp.entity_id, [])
            )
            for idp in self.idps
        )
        xml = (
            '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:shibmd="urn:mace:shibboleth:metadata:1.0" '
            'xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" '
            f'ID="_m{uuid.uuid4().hex}" Name="http://test-federation.example" validUntil="{_iso(until)}">'
            f"{body}</md:EntitiesDescriptor>"
        )
        if not sign:
            return xml.encode()
        keys = signed_by or self.signer
        return OneLogin_Saml2_Utils.add_sign(xml, keys.key_pem, keys.cert_pem)
