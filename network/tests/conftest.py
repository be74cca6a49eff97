"""Fixtures of the network app's tests: the test federation (network/federation/testing.py)."""

import pytest

from network.federation.testing import TestFederation
from network.tests.federation_support import AUDIENCE, install_federation


@pytest.fixture(scope="session")
def test_federation() -> TestFederation:
    return TestFederation.create([("Exempeluniversitetet", "exu.example.se"), ("Provhögskolan", "prov.example.se")])


@pytest.fixture
def federation(test_federation, settings, tmp_path, db):
    """Two member universities with identity providers, read from the test federation's signed metadata."""
    return test_federation, install_federation(test_federation, settings=settings, tmp_path=tmp_path, audience=AUDIENCE)
