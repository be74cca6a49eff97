"""Importing: duplicates refused (DOI, ISBN, normalised title, the same source record), authors
proposed (ORCID first, then name and institution) and linked only when confirmed, batches run."""

from pathlib import Path

import pytest

from network.tests.factories import InstitutionFactory, MemberFactory, UserFactory
from projects.importers import dedupe, matching, services, sources
from projects.importers.models import ImportJob, ImportJobItem, OutputAuthor, OutputSource
from projects.importers.records import Author, Record
from projects.models import Output
from projects.tests.factories import OutputFactory, ProjectFactory

SAMPLES = Path(sources.__file__).parent / "samples"
DOI = "10.5555/kloss.2023.0042"
pytestmark = pytest.mark.django_db


def _record(**changes) -> Record:
    values = {
        "source": "doi",
        "identifier": DOI,
        "type": Output.Type.ARTICLE,
        "title": "Industrial PhD students as boundary spanners",
        "year": 2023,
        "doi": DOI,
    }
    return Record(**{**values, **changes})


@pytest.mark.parametrize(
    ("stored", "probe", "reason"),
    [
        ({"doi": "https://doi.org/10.5555/KLOSS.2023.0042"}, {"doi": DOI}, "doi"),
        ({"isbn": "91-7063-001-1"}, {"isbn": "978-91-7063-001-9"}, "isbn"),
        ({"title": "Samverkan i kommunen – en antologi!"}, {"title": "samverkan i kommunen: En Antologi"}, "title"),
        ({"title": "Lärosätenas roll"}, {"title": "Larosatenas roll"}, "title"),
    ],
)
def test_duplicates_are_found_however_they_were_typed(stored, probe, reason):
    existing = OutputFactory(**stored)

    duplicate = dedupe.find_duplicate(**probe)

    assert duplicate is not None and duplicate.output == existing and duplicate.reason == reason


def test_a_different_output_is_no_duplicate():
    OutputFactory(title="Något helt annat", doi="10.5555/other")
    assert dedupe.find_duplicate(doi=DOI, title="Industrial PhD students") is None


def test_orcid_is_matched_before_the_name():
    project = ProjectFactory()
    by_orcid = MemberFactory(orcid="0000-0002-1825-0097", user=UserFactory(first_name="A", last_name="Other"))
    MemberFactory(user=UserFactory(first_name="Anna", last_name="Lind"), institution=project.lead_institution)
    record = _record(authors=(Author(name="Anna Lind", orcid="0000-0002-1825-0097"),))

    (proposal,) = matching.propose(record, project=project)

    assert proposal.member == by_orcid and proposal.reason == "orcid"


def test_a_name_is_matched_with_the_institution_in_the_affiliation():
    project = ProjectFactory()
    mau = InstitutionFactory(name="Malmö universitet", name_en="Malmö University", short_name="MAU")
    berg = MemberFactory(user=UserFactory(first_name="Maria", last_name="Berg"), institution=mau)
    MemberFactory(user=UserFactory(first_name="Maria", last_name="Berg"))  # the same name elsewhere
    record = _record(authors=(Author(name="Maria Berg", affiliations=("Malmo University, Malmö, Sweden",)),))

    (proposal,) = matching.propose(record, project=project)

    assert proposal.member == berg and proposal.reason == "name"


def test_a_name_alone_at_an_institution_not_named_is_not_proposed():
    project = ProjectFactory()
    MemberFactory(user=UserFactory(first_name="Maria", last_name="Berg"))
    record = _record(authors=(Author(name="Maria Berg", affiliations=("Lunds universitet",)),))

    assert matching.propose(record, project=project) == []


def test_without_affiliations_the_project_institutions_count():
    project = ProjectFactory()
    lind = MemberFactory(user=UserFactory(first_name="Anna", last_name="Lind"), institution=project.lead_institution)
    record = _record(source="libris", authors=(Author(name="Anna Lind"),))

    (proposal,) = matching.propose(record, project=project)

    assert proposal.member == lind


def test_import_creates_the_output_its_source_and_only_confirmed_authors():
    project = ProjectFactory()
    lind = MemberFactory()
    by = lind.user

    output = services.output_import(
        project=project,
        by=by,
        source="doi",
        identifier=DOI,
        fields=services.record_fields(_record(authors=(Author(name="Anna Lind"), Author(name="Erik Sund")))),
        authors=[
            services.AuthorChoice(name="Anna Lind", orcid="0000-0002-1825-0097", member=lind),
            services.AuthorChoice(name="Erik Sund"),
        ],
    )

    assert output.project == project and output.doi == DOI and output.authors == "Anna Lind; Erik Sund"
    assert output.source_record.source == "doi" and output.source_record.identifier == DOI
    links = list(output.author_links.order_by("position"))
    assert [(link.name, link.member, link.confirmed_by) for link in links] == [
        ("Anna Lind", lind, by),
        ("Erik Sund", None, None),
    ]


def test_import_of_a_duplicate_creates_nothing():
    existing = OutputFactory(doi=DOI)
    project = ProjectFactory()

    with pytest.raises(services.ImportRefused) as refused:
        services.output_import(
            project=project, by=None, source="doi", identifier=DOI, fields=services.record_fields(_record()), authors=[]
        )

    assert refused.value.duplicate.output == existing
    assert existing.title in str(refused.value)
    assert Output.objects.count() == 1 and OutputSource.objects.count() == 0


def test_the_same_source_record_twice_is_a_duplicate_even_retitled():
    project = ProjectFactory()
    services.output_import(
        project=project,
        by=None,
        source="swepub",
        identifier="oai:DiVA.org:mau-1",
        fields=services.record_fields(_record(source="swepub", identifier="oai:DiVA.org:mau-1", doi="")),
        authors=[],
    )
    retitled = _record(source="swepub", identifier="oai:DiVA.org:mau-1", doi="", title="Ett annat namn")

    assert services.find_duplicate(retitled).reason == "record"


def _serve_batch(stub):
    stub.add("GET", f"/doi/{DOI}", file=SAMPLES / "csl_crossref_article.json")
    stub.add("GET", "/doi/10.5072/kloss-2019-01", file=SAMPLES / "csl_datacite_report.json")
    stub.add("GET", "/doi/10.5555/broken", file=SAMPLES / "maintenance.html", content_type="text/html")


def test_batch_runs_every_item_and_keeps_each_result(source_stub, django_capture_on_commit_callbacks):
    _serve_batch(source_stub)
    project = ProjectFactory()
    OutputFactory(title="Strategisk samverkan i praktiken: erfarenheter från KLOSS-Net 2017–2019")  # a duplicate
    lind = MemberFactory(orcid="0000-0002-1825-0097")
    by = MemberFactory().user

    with django_capture_on_commit_callbacks(execute=True):  # the task runs eagerly, as CELERY_TASK_ALWAYS_EAGER
        job = services.import_job_create(
            project=project,
            by=by,
            source="doi",
            identifiers=[DOI, "10.5072/kloss-2019-01", "10.5555/broken", "10.5555/missing", DOI],
        )

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.finished_at is not None
    results = list(job.items.order_by("position").values_list("identifier", "result", "error_code"))
    assert results == [
        (DOI, "created", ""),
        ("10.5072/kloss-2019-01", "duplicate", ""),
        ("10.5555/broken", "failed", "malformed"),
        ("10.5555/missing", "failed", "not_found"),
    ]
    output = Output.objects.get(doi=DOI)
    assert output.project == project and output.source_record.job == job
    # The ORCID match is proposed, not linked, until a person confirms it.
    link = output.author_links.get(position=0)
    assert link.proposed == lind and link.member is None

    assert services.authors_confirm(job=job, by=by, author_ids=[link.pk]) == 1
    link.refresh_from_db()
    assert link.member == lind and link.confirmed_by == by


def test_a_rerun_goes_on_from_the_first_waiting_item(source_stub):
    _serve_batch(source_stub)
    project = ProjectFactory()
    job = ImportJob.objects.create(project=project, source="doi")
    ImportJobItem.objects.create(job=job, position=0, identifier=DOI, result="created")
    ImportJobItem.objects.create(job=job, position=1, identifier="10.5072/kloss-2019-01")

    services.import_job_run(job_id=job.pk)

    assert [seen.path for seen in source_stub.seen] == ["/doi/10.5072/kloss-2019-01"]
    assert job.items.get(position=1).result == "created"
    assert OutputAuthor.objects.filter(output__project=project).count() == 2


def test_a_job_that_is_gone_is_left_alone():
    assert services.import_job_run(job_id=987654) is None
