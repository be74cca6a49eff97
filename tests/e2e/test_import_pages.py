"""The output import pages (projects/importers/) in Chromium: the page, a record to review with a
proposed author to confirm, a Swepub search's results and a batch's progress, each with zero axe
violations in Swedish and English at 360 px and 1280 px. The sources are a local HTTP server."""

from pathlib import Path

import pytest
from django.urls import reverse

from projects.importers import sources
from tests.support.http_stub import start_stub_server, stop_stub_server

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")
SAMPLES = Path(sources.__file__).parent / "samples"
DOI = "10.5555/kloss.2023.0042"


@pytest.fixture
def stub(settings):
    stub, server = start_stub_server()
    settings.IMPORT_DOI_URL = f"{stub.url}/doi"
    settings.IMPORT_SWEPUB_URL = f"{stub.url}/swepub"
    stub.add("GET", f"/doi/{DOI}", file=SAMPLES / "csl_crossref_article.json")
    stub.add("POST", "/swepub/", file=SAMPLES / "swepub_search.json")
    try:
        yield stub
    finally:
        stop_stub_server(stub, server)


@pytest.fixture
def project(world):
    from network.models import InstitutionDomain
    from projects.tests.factories import ParticipationFactory, ProjectFactory

    InstitutionDomain.objects.create(institution=world.institution, domain="mau.se")
    world.member.orcid = "0000-0002-1825-0097"
    world.member.save(update_fields=["orcid"])
    project = ProjectFactory(title="Industridoktorander som gränsgångare", lead_institution=world.institution)
    ParticipationFactory(project=project, member=world.member, is_coordinator=True)
    return project


@viewports
def test_import_page_review_and_search_accessible(site, world, project, stub):
    site.login(world.member.user)
    url = reverse("projects:output_import", kwargs={"pk": project.pk})
    site.goto(url)
    site.check("output_import", languages=BOTH)

    for code in BOTH:  # a page answering a POST: posted again in each language, not reloaded
        site.set_language(code)
        site.goto(url)
        site.page.locator("#id_lookup-identifier").fill(DOI)
        site.page.locator("button[value=lookup]").click()
        assert site.page.locator("#id_review-title").input_value().startswith("Industrial PhD students")
        assert site.page.get_by_label("Anna Lind", exact=False).first.is_visible()
        site.check(f"output_import_review-{code}")

        site.goto(url)
        site.page.locator("#id_search-institution").select_option(label="Malmö universitet")
        site.page.locator("#id_search-title").fill("samverkan strategi")
        site.page.locator("button[value=search]").click()
        assert site.page.locator("input[name=selected]").count() == 2
        site.check(f"output_import_search-{code}")


@viewports
def test_batch_job_page_accessible(site, world, project):
    from django.utils import timezone

    from projects.importers.models import ImportJob, ImportJobItem, OutputAuthor, OutputSource
    from projects.tests.factories import OutputFactory

    site.login(world.member.user)
    running = ImportJob.objects.create(project=project, source="doi", status=ImportJob.Status.RUNNING)
    ImportJobItem.objects.create(job=running, position=0, identifier=DOI, result="failed", error_code="timeout")
    ImportJobItem.objects.create(job=running, position=1, identifier="10.5555/next")
    site.goto(running.get_absolute_url())
    assert site.page.locator("progress").is_visible()
    site.check("import_job_running", languages=BOTH)

    done = ImportJob.objects.create(project=project, source="doi", status=ImportJob.Status.DONE)
    output = OutputFactory(project=project, title="Industrial PhD students as boundary spanners")
    ImportJobItem.objects.create(job=done, position=0, identifier=DOI, result="created", output=output)
    OutputSource.objects.create(output=output, source="doi", identifier=DOI, imported_at=timezone.now(), job=done)
    OutputAuthor.objects.create(
        output=output, position=0, name="Anna Lind", proposed=world.member, proposal_reason="orcid"
    )
    site.goto(done.get_absolute_url())
    assert site.page.locator("input[name=authors]").count() == 1
    site.check("import_job_done", languages=BOTH)
