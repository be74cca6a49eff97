"""The import page as a project participant uses it: look up, review, confirm authors, save; search
Swepub; start a batch and watch it. Sources served over real HTTP on loopback."""

from pathlib import Path

import pytest
from django.urls import reverse

from network.tests.factories import InstitutionFactory, MemberFactory, UserFactory
from projects.importers import sources
from projects.importers.models import ImportJob, OutputAuthor
from projects.models import Output
from projects.tests.factories import OutputFactory, ParticipationFactory, ProjectFactory

SAMPLES = Path(sources.__file__).parent / "samples"
DOI = "10.5555/kloss.2023.0042"
pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(title="Industridoktorander")


@pytest.fixture
def participant_client(client, project):
    member = MemberFactory(institution=project.lead_institution)
    ParticipationFactory(project=project, member=member, is_coordinator=True)
    client.force_login(member.user)
    return client


def _url(project):
    return reverse("projects:output_import", kwargs={"pk": project.pk})


def test_the_page_offers_every_way_to_import(participant_client, project):
    page = participant_client.get(_url(project)).content.decode()

    for action in ("lookup", "search", "batch"):
        assert f'name="action" value="{action}"' in page
    assert "Importera resultat" in page


def test_lookup_review_confirm_and_save(participant_client, project, source_stub):
    source_stub.add("GET", f"/doi/{DOI}", file=SAMPLES / "csl_crossref_article.json")
    lind = MemberFactory(orcid="0000-0002-1825-0097", user=UserFactory(first_name="Anna", last_name="Lind"))

    review = participant_client.post(
        _url(project), {"action": "lookup", "lookup-source": "doi", "lookup-identifier": f"https://doi.org/{DOI}"}
    )

    page = review.content.decode()
    assert 'value="Industrial PhD students as boundary spanners between university and industry"' in page
    assert f"Anna Lind är {lind.full_name}" in page  # the proposal, to confirm
    assert Output.objects.count() == 0  # nothing saved before she says so

    data = _posted(review)
    data.update({"action": "save", "review-author_confirm_0": "on"})
    saved = participant_client.post(_url(project), data)

    output = Output.objects.get()
    assert saved.status_code == 302 and saved["Location"] == output.get_absolute_url()
    assert (output.project, output.type, output.year, output.doi) == (project, Output.Type.ARTICLE, 2023, DOI)
    assert output.source_record.source == "doi"
    links = list(OutputAuthor.objects.filter(output=output).order_by("position").values_list("name", "member"))
    assert links == [("Anna Lind", lind.pk), ("Maria Berg", None), ("Erik Sund", None)]
    detail = participant_client.get(output.get_absolute_url()).content.decode()
    assert "Importerad från DOI (doi.org)" in detail and lind.get_absolute_url() in detail


def _posted(review_page) -> dict:
    """What the review step's <form> posts back untouched: both forms' fields, boxes left unticked."""
    values = {}
    for form in (review_page.context["review_form"], review_page.context["authors_form"]):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is not None and not name.startswith("author_confirm_"):
                values[f"review-{name}"] = value
    return values


def test_an_unticked_proposal_links_nobody(participant_client, project, source_stub):
    source_stub.add("GET", f"/doi/{DOI}", file=SAMPLES / "csl_crossref_article.json")
    MemberFactory(orcid="0000-0002-1825-0097")
    review = participant_client.post(
        _url(project), {"action": "lookup", "lookup-source": "doi", "lookup-identifier": DOI}
    )
    data = _posted(review)

    participant_client.post(_url(project), {**data, "action": "save"})

    assert not OutputAuthor.objects.filter(member__isnull=False).exists()


def test_a_source_that_is_down_creates_nothing_and_says_so(participant_client, project):
    response = participant_client.post(
        _url(project), {"action": "lookup", "lookup-source": "swepub", "lookup-identifier": "oai:DiVA.org:mau-41234"}
    )

    assert "Swepub kan inte nås just nu" in response.content.decode()
    assert Output.objects.count() == 0


def test_a_duplicate_is_pointed_out_not_imported(participant_client, project, source_stub):
    source_stub.add("GET", "/libris/xsearch", file=SAMPLES / "libris_xsearch_isbn.json")
    existing = OutputFactory(title="Samverkan i kommunen: en antologi", isbn="978-91-7063-001-9")

    response = participant_client.post(
        _url(project), {"action": "lookup", "lookup-source": "libris", "lookup-identifier": "9170630011"}
    )

    page = response.content.decode()
    assert "Redan registrerat" in page and existing.get_absolute_url() in page
    assert "review_form" not in response.context or response.context["review_form"] is None
    assert Output.objects.count() == 1


def test_an_identifier_that_is_not_one_is_a_field_error(participant_client, project):
    response = participant_client.post(
        _url(project), {"action": "lookup", "lookup-source": "libris", "lookup-identifier": "978-91-0000-000-1"}
    )

    assert response.status_code == 200
    assert "inte ett giltigt ISBN" in response.content.decode()
    assert "978-91-0000-000-1" in response.content.decode()  # what she wrote is kept


def test_swepub_search_lists_hits_and_marks_what_is_registered(participant_client, project, source_stub):
    source_stub.add("POST", "/swepub/api/v1/bibliometrics/", file=SAMPLES / "swepub_search.json")
    mau = InstitutionFactory(name="Malmö universitet", domain="mau.se")
    OutputFactory(doi="10.5555/kloss.2022.0007")

    response = participant_client.post(
        _url(project), {"action": "search", "search-institution": mau.pk, "search-title": "samverkan strategi"}
    )

    page = response.content.decode()
    assert 'name="selected" value="oai:DiVA.org:mau-41234"' in page
    assert 'value="oai:DiVA.org:mau-39876"' not in page  # registered already: no box to tick
    assert "Redan registrerat" in page


def test_a_batch_runs_and_its_page_shows_each_result(
    participant_client, project, source_stub, django_capture_on_commit_callbacks
):
    source_stub.add("GET", f"/doi/{DOI}", file=SAMPLES / "csl_crossref_article.json")
    lind = MemberFactory(orcid="0000-0002-1825-0097")

    with django_capture_on_commit_callbacks(execute=True):
        started = participant_client.post(
            _url(project), {"action": "batch", "batch-source": "doi", "batch-identifiers": f"{DOI}\n10.5555/missing"}
        )

    job = ImportJob.objects.get()
    assert started.status_code == 302 and started["Location"] == job.get_absolute_url()
    page = participant_client.get(job.get_absolute_url()).content.decode()
    assert "2 av 2 klara" in page and "hx-get" not in page  # finished: no more polling
    assert "Importerat" in page and "doi.org har ingen post om" in page
    link = OutputAuthor.objects.get(proposed=lind)

    participant_client.post(job.get_absolute_url(), {"authors": [str(link.pk)]})

    link.refresh_from_db()
    assert link.member == lind


def test_a_running_job_is_polled_and_htmx_gets_the_fragment(participant_client, project):
    job = ImportJob.objects.create(project=project, source="doi")
    job.items.create(position=0, identifier=DOI)

    page = participant_client.get(job.get_absolute_url()).content.decode()
    fragment = participant_client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 2s"' in page and "htmx" in page
    assert fragment.lstrip().startswith('<div id="job-progress"') and "<html" not in fragment
    assert "0 av 1 klara" in fragment


def test_a_batch_of_too_many_is_refused(participant_client, project, settings):
    settings.IMPORT_BATCH_MAX = 2
    response = participant_client.post(
        _url(project), {"action": "batch", "batch-source": "doi", "batch-identifiers": "10.5555/a 10.5555/b 10.5555/c"}
    )

    assert "Högst 2 identifierare" in response.content.decode()
    assert ImportJob.objects.count() == 0


def _finished_job(project, size: int) -> ImportJob:
    """A finished batch of `size` items, each an output with a proposed member author."""
    from django.utils import timezone

    from projects.importers.models import OutputSource

    job = ImportJob.objects.create(project=project, source="doi", status=ImportJob.Status.DONE)
    member = MemberFactory()
    for i in range(size):
        output = OutputFactory(project=project, title=f"Importerat {i}")
        OutputSource.objects.create(
            output=output, source="doi", identifier=f"10.5555/{i}", imported_at=timezone.now(), job=job
        )
        OutputAuthor.objects.create(output=output, position=0, name="Anna Lind", proposed=member)
        job.items.create(position=i, identifier=f"10.5555/{i}", result="created", output=output)
    return job


def test_the_job_page_costs_the_same_queries_for_3_and_30_items(participant_client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (3, 30):
        job = _finished_job(project, size)
        with CaptureQueriesContext(connection) as queries:
            response = participant_client.get(job.get_absolute_url())
        assert response.status_code == 200 and response.content.decode().count('name="authors"') == size
        counts.append(len(queries))

    assert counts[0] == counts[1], counts


def test_review_from_a_search_hit_looks_the_record_up(participant_client, project, source_stub):
    source_stub.add(
        "GET", "/swepub/api/v1/bibliometrics/publications/oai:DiVA.org:mau-41234", file=SAMPLES / "swepub_record.json"
    )

    response = participant_client.post(_url(project), {"action": "batch", "review": "oai:DiVA.org:mau-41234"})

    form = response.context["review_form"]
    assert form.initial["title"] == "Samverkan som strategi: lärosätenas arbete med kunskapsutbyte"
    assert form.initial["source"] == "swepub" and ImportJob.objects.count() == 0


def test_confirming_before_the_batch_is_done_waits(participant_client, project):
    job = ImportJob.objects.create(project=project, source="doi", status=ImportJob.Status.RUNNING)

    response = participant_client.post(job.get_absolute_url(), {"authors": ["1"]}, follow=True)

    assert "Importen pågår fortfarande" in response.content.decode()


def test_the_page_is_english_throughout_in_english(participant_client, project, settings):
    participant_client.get(_url(project))  # Swedish first: nothing of it may stick to the form's class
    participant_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = participant_client.get(_url(project)).content.decode()

    assert "per line, at most 50" in page and "per rad" not in page
