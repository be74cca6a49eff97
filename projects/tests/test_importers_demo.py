"""The demo's imported outputs: one from each source, true to the network's history, idempotent."""

import pytest
from django.utils import timezone

import meetings.demo
from network import demo as network_demo
from projects import demo
from projects.importers.models import ImportJob, OutputAuthor, OutputSource

pytestmark = pytest.mark.django_db


def test_demo_has_imported_outputs_from_each_source(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    network_demo.seed()
    meetings.demo.seed()
    demo.seed()
    demo.seed()  # idempotent

    sources = OutputSource.objects.select_related("output__project")
    assert sorted(sources.values_list("source", flat=True)) == ["doi", "libris", "swepub"]
    today = timezone.localdate()
    for source in sources:
        output = source.output
        assert output.project.starts_on <= timezone.localtime(source.imported_at).date() <= today, source
        assert source.imported_by is not None
    swepub = sources.get(source="swepub")
    assert swepub.identifier.startswith("oai:DiVA.org:")
    authors = OutputAuthor.objects.filter(output=swepub.output).select_related("member")
    project_members = set(swepub.output.project.participations.values_list("member", flat=True))
    assert authors.count() == len(project_members) and {a.member_id for a in authors} == project_members
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert sorted(job.items.values_list("result", flat=True)) == ["created", "duplicate"]
