"""The federation's metadata (network/federation/metadata.py): only a signed, current file changes the
identity providers; a bad one changes nothing, shows in /healthz and is told to the secretariat once."""

import datetime
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from network.federation.metadata import federation_refresh
from network.federation.models import IdentityProvider
from network.federation.testing import KeyPair
from network.models import Delivery
from network.tests.factories import InstitutionFactory
from network.tests.federation_support import AUDIENCE

pytestmark = pytest.mark.django_db


def test_signed_metadata_updates_each_member_institutions_provider(federation):
    fed, institutions = federation
    for idp, institution in zip(fed.idps, institutions, strict=True):
        row = IdentityProvider.objects.get(institution=institution)
        assert row.entity_id == idp.entity_id
        assert row.sso_url == idp.sso_url
        assert row.certificates == [idp.keys.cert_body]
        assert row.scopes == [idp.scope]


def test_institution_without_entity_id_gets_no_provider(federation):
    other = InstitutionFactory()
    assert federation_refresh(xml=federation[0].metadata()).ok
    assert not IdentityProvider.objects.filter(institution=other).exists()
    assert IdentityProvider.objects.count() == 2  # positive control


def test_new_scopes_and_certificate_rollover_are_taken_from_the_next_good_file(federation):
    fed, institutions = federation
    fed.idps[0].keys = KeyPair.create("Rolled over")
    assert federation_refresh(
        xml=fed.metadata(extra_scopes={fed.idps[0].entity_id: ["exu.example.se", "lab.exu.example.se"]})
    ).ok
    row = IdentityProvider.objects.get(institution=institutions[0])
    assert row.certificates == [fed.idps[0].keys.cert_body]
    assert row.scopes == ["exu.example.se", "lab.exu.example.se"]


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda fed: fed.metadata(sign=False), "unsigned"),
        (lambda fed: fed.metadata(signed_by=KeyPair.create("Mallory")), "bad_signature"),
        (lambda fed: fed.metadata(valid_until=timezone.now() - datetime.timedelta(hours=1)), "expired"),
        (lambda fed: fed.metadata().replace(b"prov.example.se</shibmd", b"evil.example.se</shibmd"), "bad_signature"),
        (lambda fed: b"<not xml", "malformed"),
    ],
    ids=["unsigned", "wrongly-signed", "expired", "edited-after-signing", "malformed"],
)
def test_bad_metadata_changes_nothing_and_is_reported_once(client, federation, settings, make, problem):
    fed, institutions = federation
    before = list(IdentityProvider.objects.order_by("pk").values())
    settings.SECRETARIAT_EMAILS = ["sekretariat@example.se"]

    result = federation_refresh(xml=make(fed))
    federation_refresh(xml=make(fed))  # the next hourly run: the same problem

    assert not result.ok and result.problem == problem
    assert list(IdentityProvider.objects.order_by("pk").values()) == before
    notices = Delivery.objects.filter(kind="federation_problem")
    assert notices.count() == 1  # once per problem, not per run
    health = client.get("/healthz").json()
    assert health["federation"] == "failing" and health["federation_problem"] == problem
    assert federation_refresh(xml=fed.metadata()).ok  # a good file clears it
    assert client.get("/healthz").json()["federation"] == "ok"


def test_a_new_problem_is_told_again(federation):
    fed, _ = federation
    federation_refresh(xml=fed.metadata(sign=False))
    federation_refresh(xml=fed.metadata(signed_by=KeyPair.create("Mallory")))
    assert Delivery.objects.filter(kind="federation_problem").count() == 2


def test_signature_over_part_of_the_file_only_is_refused(federation):
    fed, _ = federation
    signed = etree.fromstring(fed.metadata())
    # Wrap: the signed root becomes a child of a new, unsigned root with an extra provider.
    wrapper = etree.Element(
        "{urn:oasis:names:tc:SAML:2.0:metadata}EntitiesDescriptor", validUntil=signed.get("validUntil")
    )
    signature = signed.find("{http://www.w3.org/2000/09/xmldsig#}Signature")
    wrapper.append(signature)
    wrapper.append(signed)
    assert federation_refresh(xml=etree.tostring(wrapper)).problem == "bad_signature"


def test_refresh_without_a_configured_certificate_changes_nothing(federation, settings):
    settings.FEDERATION_METADATA_CERT_FILE = ""
    settings.FEDERATION_METADATA_CERT_URL = ""
    assert federation_refresh(xml=federation[0].metadata()).problem == "no_certificate"
    assert IdentityProvider.objects.count() == 2


def test_management_command_refreshes_from_a_file(federation, tmp_path):
    fed, _ = federation
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(fed.metadata())
    bad.write_bytes(fed.metadata(sign=False))
    call_command("federation_refresh", file=str(good))
    with pytest.raises(CommandError, match="unsigned"):
        call_command("federation_refresh", file=str(bad))


def test_sp_metadata_names_one_entity_and_one_acs_with_the_attributes(client, federation):
    response = client.get(reverse("saml_sp_metadata"), HTTP_HOST="testserver")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    ns = {"md": "urn:oasis:names:tc:SAML:2.0:metadata"}
    assert root.get("entityID") == AUDIENCE
    acs = root.findall(".//md:AssertionConsumerService", ns)
    assert [a.get("Location") for a in acs] == ["http://testserver/accounts/saml/swamid/acs/"]
    requested = {a.get("FriendlyName") for a in root.findall(".//md:RequestedAttribute", ns)}
    assert {"subject-id", "mail", "eduPersonScopedAffiliation", "schacHomeOrganization"} <= requested


def test_login_and_signup_list_the_universities_only_when_one_has_a_provider(client, db):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign In" in page or "Sign in" in page  # the page answered
    assert "Log in with your university" not in page


def test_login_and_signup_list_the_universities_with_a_provider(client, federation):
    other = InstitutionFactory(name="Utan IdP")
    for name in ("account_login", "account_signup"):
        page = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Log in with your university" in page
        choice = page.split('id="federation-heading"', 1)[1].split("</section>", 1)[0]
        assert "Exempeluniversitetet" in choice and "Provhögskolan" in choice
        assert other.name not in choice


def test_development_identity_provider_does_not_exist_with_debug_off(client, settings, db):
    from django.urls import NoReverseMatch
    from django.urls import reverse as url_for

    assert settings.FEDERATION_DEV_IDP is False
    with pytest.raises(NoReverseMatch):
        url_for("federation_dev_sso", args=["exu.example.se"])
    assert client.get("/accounts/saml/dev-idp/metadata.xml").status_code == 404
    assert client.get(reverse("saml_sp_metadata"), HTTP_HOST="testserver").status_code == 200  # positive control
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("federation_dev")


def test_the_secretariat_sets_an_institutions_identity_provider_in_the_admin(staff_client, federation):
    from network.tests.factories import post_institution_change

    institution = InstitutionFactory()
    page = staff_client.get(reverse("admin:network_institution_change", args=[institution.pk])).content.decode()
    assert 'name="idp_entity_id"' in page
    taken = post_institution_change(staff_client, institution, idp_entity_id=federation[0].idps[0].entity_id)
    assert taken.status_code == 200  # one provider, one institution
    said = (
        "Another institution already has this identity provider.",
        "Ett annat lärosäte har redan den här identitetsutgivaren.",
    )
    assert any(text in taken.content.decode() for text in said)  # in the admin's language
    response = post_institution_change(staff_client, institution, idp_entity_id="https://login.example.se/idp")
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.idp_entity_id == "https://login.example.se/idp"


def _fingerprint(cert_pem: str) -> str:
    digest = x509.load_pem_x509_certificate(cert_pem.encode()).fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def test_production_defaults_pin_swamids_published_signing_certificate(settings):
    """Without a file, SWAMID's md-signer2.crt is fetched and trusted only with SWAMID's fingerprint."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.FEDERATION_METADATA_URL, s.FEDERATION_METADATA_CERT_URL, s.FEDERATION_METADATA_CERT_SHA256)"
    )
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "SITE_URL": "https://intranet.kloss-net.se", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "kloss_site.settings"},
        cwd=str(settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [
        "https://mds.swamid.se/md/swamid-idp-transitive.xml",
        "https://mds.swamid.se/md/md-signer2.crt",
        "A6:78:5A:37:C9:C9:0C:25:AD:5F:1F:69:22:EF:76:7B:C9:78:67:67:3A:AF:4F:8B:EA:A1:A7:6D:A3:A8:E5:85",
    ]


def test_certificate_fetched_from_its_url_is_trusted_only_with_the_pinned_fingerprint(federation, settings, tmp_path):
    fed, _ = federation
    cert = tmp_path / "md-signer.crt"
    cert.write_text(fed.signer.cert_pem)
    settings.FEDERATION_METADATA_CERT_FILE = ""
    settings.FEDERATION_METADATA_CERT_URL = cert.as_uri()  # served as SWAMID serves it, offline
    settings.FEDERATION_METADATA_CERT_SHA256 = _fingerprint(fed.signer.cert_pem)
    assert federation_refresh(xml=fed.metadata()).ok  # the published fingerprint: trusted
    impostor = KeyPair.create("Not the federation")
    cert.write_text(impostor.cert_pem)  # someone swaps the certificate (and signs with its key)
    result = federation_refresh(xml=fed.metadata(signed_by=impostor))
    assert not result.ok and result.problem == "no_certificate"
    assert IdentityProvider.objects.count() == 2  # nothing changed


def test_the_secretariats_notice_names_the_problem_in_words_in_her_language(federation, settings):
    settings.SECRETARIAT_EMAILS = ["sekretariat@example.se"]
    assert federation_refresh(xml=federation[0].metadata(sign=False)).problem == "unsigned"
    context = Delivery.objects.get(kind="federation_problem").context  # the template's context, as stored
    with translation.override("sv"):
        swedish = render_to_string("email/network/federation_problem.txt", context)
    with translation.override("en"):
        english = render_to_string("email/network/federation_problem.txt", context)
    assert "filen är inte signerad" in swedish and "the file is not signed" in english
    assert "unsigned" not in swedish.splitlines()[0]  # the code is for /healthz, not for her
