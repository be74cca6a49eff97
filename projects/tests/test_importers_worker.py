"""A batch import through a real Celery worker on Redis, the sources served over real HTTP on loopback."""

from pathlib import Path

import pytest

from network.tests.factories import MemberFactory
from projects.importers import services, sources
from projects.importers.models import ImportJob
from projects.models import Output
from projects.tests.factories import ProjectFactory
from tests.support.waiting import wait_until

SAMPLES = Path(sources.__file__).parent / "samples"
DOI = "10.5555/kloss.2023.0042"


@pytest.fixture
def worker_reads_the_stub(source_stub, celery_worker_env, settings):
    """The worker process reads the sources' addresses from its environment (kloss_site/settings.py)."""
    celery_worker_env.update(
        {
            "IMPORT_DOI_URL": settings.IMPORT_DOI_URL,
            "IMPORT_SWEPUB_URL": settings.IMPORT_SWEPUB_URL,
            "IMPORT_LIBRIS_URL": settings.IMPORT_LIBRIS_URL,
        }
    )
    return source_stub


def test_batch_import_runs_in_a_real_worker(redis_url, worker_reads_the_stub, celery_worker_process):
    stub = worker_reads_the_stub
    stub.add("GET", f"/doi/{DOI}", file=SAMPLES / "csl_crossref_article.json")
    project = ProjectFactory()
    by = MemberFactory().user

    job = services.import_job_create(project=project, by=by, source="doi", identifiers=[DOI, "10.5555/missing"])

    finished = wait_until(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=60)
    assert finished, celery_worker_process.output()
    results = dict(job.items.values_list("identifier", "result"))
    assert results == {DOI: "created", "10.5555/missing": "failed"}
    assert Output.objects.get(project=project).source_record.job_id == job.pk
