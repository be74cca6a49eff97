import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def source_stub(settings):
    """The importers' sources served by a real HTTP server on loopback (tests/support/http_stub.py):
    doi.org under /doi, Swepub under /swepub, LIBRIS under /libris. Routes are added by each test,
    usually from projects/importers/samples/ (SAMPLES)."""
    from tests.support.http_stub import start_stub_server, stop_stub_server

    stub, server = start_stub_server()
    settings.IMPORT_DOI_URL = f"{stub.url}/doi"
    settings.IMPORT_SWEPUB_URL = f"{stub.url}/swepub/api/v1/bibliometrics"
    settings.IMPORT_LIBRIS_URL = f"{stub.url}/libris/xsearch"
    try:
        yield stub
    finally:
        stop_stub_server(stub, server)
