"""Fixtures of the network app's tests: the test federation (tests/support/saml_idp.py)."""

import pytest

from network.federation.metadata import federation_refresh
from network.tests.factories import InstitutionFactory
from network.tests.federation_support import AUDIENCE
from tests.support.saml_idp import TestFederation


@pytest.fixture(scope="session")
def test_federation() -> TestFederation:
    return TestFederation.create([("Exempeluniversitetet", "exu.example.se"), ("Provhögskolan", "prov.example.se")])


@pytest.fixture
def federation(test_federation, settings, tmp_path, db):
    """Two member universities with identity providers, read from the test federation's signed metadata."""
    cert = tmp_path / "federation.crt"
    cert.write_text(test_federation.signer.cert_pem)
    settings.FEDERATION_METADATA_CERT_FILE = str(cert)
    settings.SAML_SP_ENTITY_ID = AUDIENCE
    settings.SAML_SP_CERT_FILE = settings.SAML_SP_KEY_FILE = ""
    institutions = [
        InstitutionFactory(name=idp.name, slug=idp.scope.split(".")[0], domain=idp.scope, idp_entity_id=idp.entity_id)
        for idp in test_federation.idps
    ]
    assert federation_refresh(xml=test_federation.metadata()).ok
    return test_federation, institutions
