"""The importers against sample answers of each source, served over real HTTP on loopback."""

import json
from pathlib import Path

import pytest

from network.reference import MEMBER_INSTITUTIONS
from projects.importers import sources
from projects.importers.client import SourceError
from projects.models import Output
from tests.support.http_stub import Route

SAMPLES = Path(sources.__file__).parent / "samples"
DOI = "10.5555/kloss.2023.0042"


def test_doi_crossref_csl_json_is_mapped(source_stub):
    source_stub.add("GET", f"/doi/{DOI}", file=SAMPLES / "csl_crossref_article.json")

    record = sources.doi_fetch(f"https://doi.org/{DOI}")

    assert record.type == Output.Type.ARTICLE
    assert record.title == "Industrial PhD students as boundary spanners between university and industry"
    assert record.year == 2023
    assert record.doi == DOI
    assert record.url == f"http://dx.doi.org/{DOI}"
    assert [a.name for a in record.authors] == ["Anna Lind", "Maria Berg", "Erik Sund"]
    assert record.authors[0].orcid == "0000-0002-1825-0097"
    assert record.authors[1].affiliations == ("Malmö University, Malmö, Sweden",)
    assert record.authors_text == "Anna Lind; Maria Berg; Erik Sund"
    (request,) = source_stub.seen
    assert request.headers["Accept"] == "application/vnd.citationstyles.csl+json"


def test_doi_org_redirect_to_the_registration_agency_is_followed(source_stub):
    source_stub.add("GET", f"/doi/{DOI}", status=302, location=f"{source_stub.url}/agency/{DOI}")
    source_stub.add("GET", f"/agency/{DOI}", file=SAMPLES / "csl_crossref_article.json")

    assert sources.doi_fetch(DOI).year == 2023
    assert [seen.path for seen in source_stub.seen] == [f"/doi/{DOI}", f"/agency/{DOI}"]


def test_doi_datacite_report_is_mapped(source_stub):
    source_stub.add("GET", "/doi/10.5072/kloss-2019-01", file=SAMPLES / "csl_datacite_report.json")

    record = sources.doi_fetch("10.5072/kloss-2019-01")

    assert record.type == Output.Type.REPORT
    assert record.year == 2019
    assert record.doi == "10.5072/KLOSS-2019-01"
    assert record.title.startswith("Strategisk samverkan i praktiken")
    assert [a.name for a in record.authors] == ["Karin Holm", "Per Nyström"]


def test_swepub_record_is_mapped(source_stub):
    source_stub.add(
        "GET", "/swepub/api/v1/bibliometrics/publications/oai:DiVA.org:mau-41234", file=SAMPLES / "swepub_record.json"
    )

    record = sources.swepub_fetch("oai:DiVA.org:mau-41234")

    assert record.type == Output.Type.REPORT
    assert record.title == "Samverkan som strategi: lärosätenas arbete med kunskapsutbyte"
    assert record.year == 2021
    assert record.isbn == "9789178730018"
    assert record.url == "http://urn.kb.se/resolve?urn=urn:nbn:se:mau:diva-41234"
    # People only: the organisation credited as an author is not a person to match.
    assert [a.name for a in record.authors] == ["Maria Berg", "Karin Holm"]
    assert record.authors[0].orcid == "0000-0003-1234-5674"
    assert "Malmö universitet" in record.authors[0].affiliations


def test_swepub_search_posts_the_documented_query_and_maps_hits(source_stub):
    source_stub.add("POST", "/swepub/api/v1/bibliometrics/", file=SAMPLES / "swepub_search.json")

    records, total = sources.swepub_search(org="mau", title="samverkan strategi")

    assert total == 2
    assert [r.identifier for r in records] == ["oai:DiVA.org:mau-41234", "oai:DiVA.org:mau-39876"]
    assert records[1].doi == "10.5555/kloss.2022.0007" and records[1].type == Output.Type.ARTICLE
    assert records[0].authors[0].orcid == "0000-0003-1234-5674"
    (request,) = source_stub.seen
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == {"org": ["mau"], "title": "samverkan strategi", "limit": 20}


def test_isbn_from_libris_is_mapped(source_stub):
    source_stub.add("GET", "/libris/xsearch", file=SAMPLES / "libris_xsearch_isbn.json")

    record = sources.isbn_fetch("91-7063-001-1")

    assert record.type == Output.Type.BOOK
    assert record.title == "Samverkan i kommunen : en antologi"
    assert record.year == 2020
    assert record.isbn == "9170630011"
    assert [a.name for a in record.authors] == ["Maria Berg", "Anna Lind"]
    (request,) = source_stub.seen
    assert "query=isbn%3A9170630011" in request.path and "format=json" in request.path


def test_isbn_libris_does_not_have_is_not_found(source_stub):
    source_stub.add("GET", "/libris/xsearch", file=SAMPLES / "libris_xsearch_none.json")

    with pytest.raises(SourceError) as caught:
        sources.isbn_fetch("9789170630019")

    assert caught.value.code == SourceError.NOT_FOUND
    assert "LIBRIS" in str(caught.value) and "9789170630019" in str(caught.value)


def test_a_source_that_is_down_is_said_so(source_stub, settings):
    from tests.support.ports import free_port

    settings.IMPORT_DOI_URL = f"http://127.0.0.1:{free_port()}"  # nobody listens

    with pytest.raises(SourceError) as caught:
        sources.doi_fetch(DOI)

    assert caught.value.code == SourceError.DOWN
    assert str(caught.value).startswith("doi.org kan inte nås just nu")


def test_a_server_error_is_down(source_stub):
    source_stub.add("GET", "/swepub/api/v1/bibliometrics/publications/oai:DiVA.org:mau-1", status=503, body=b"")

    with pytest.raises(SourceError) as caught:
        sources.swepub_fetch("oai:DiVA.org:mau-1")

    assert caught.value.code == SourceError.DOWN


def test_a_source_that_does_not_answer_times_out(source_stub, settings):
    settings.IMPORT_READ_TIMEOUT = 0.3
    source_stub.add("GET", f"/doi/{DOI}", Route(hang=True))

    with pytest.raises(SourceError) as caught:
        sources.doi_fetch(DOI)

    assert caught.value.code == SourceError.TIMEOUT


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ((SAMPLES / "maintenance.html").read_bytes(), "text/html"),
        (b'{"title": "no year, no authors"}', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'{"xsearch": "broken"}', "application/json"),
    ],
)
def test_a_malformed_answer_is_refused(source_stub, body, content_type):
    source_stub.add("GET", f"/doi/{DOI}", body=body, content_type=content_type)

    with pytest.raises(SourceError) as caught:
        sources.doi_fetch(DOI)

    assert caught.value.code == SourceError.MALFORMED


def test_a_malformed_swepub_search_is_refused(source_stub):
    source_stub.add("POST", "/swepub/api/v1/bibliometrics/", body=b'{"total": 3}')

    with pytest.raises(SourceError) as caught:
        sources.swepub_search(org="mau", title="samverkan")

    assert caught.value.code == SourceError.MALFORMED


def test_an_answer_too_large_is_refused(source_stub, settings):
    settings.IMPORT_MAX_ANSWER_BYTES = 1000
    source_stub.add("GET", f"/doi/{DOI}", body=b'{"title": "' + b"x" * 5000 + b'"}')

    with pytest.raises(SourceError) as caught:
        sources.doi_fetch(DOI)

    assert caught.value.code == SourceError.MALFORMED


def test_every_member_institution_has_a_swepub_code():
    domains = {domains[0] for *_, domains in MEMBER_INSTITUTIONS}
    assert domains - set(sources.SWEPUB_ORG_BY_DOMAIN) == set()


def test_fold_ignores_case_accents_and_punctuation():
    assert sources.fold("Samverkan – en ÖVERSIKT!") == sources.fold("samverkan en oversikt")
