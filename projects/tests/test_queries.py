"""The catalogue and the dashboard cost the same number of queries for 10 and 1,000 outputs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network import cache
from network.tests.factories import InstitutionFactory
from projects.models import Output, Report
from projects.tests.factories import ProjectFactory, ReportFactory, RoundFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def make_outputs(n: int) -> None:
    """n outputs over a few themes, institutions and projects (bulk: fast at 1,000)."""
    themes = [ThemeFactory() for _ in range(3)]
    institutions = [InstitutionFactory() for _ in range(3)]
    projects = [
        ProjectFactory(
            theme=themes[i % 3], lead_institution=institutions[i % 3], institutions=[institutions[(i + 1) % 3]]
        )
        for i in range(6)
    ]
    spin_target = projects[-1]
    types = list(Output.Type.values)
    Output.objects.bulk_create(
        Output(
            project=projects[i % len(projects)],
            type=types[i % len(types)],
            title=f"Resultat {i}",
            authors="Anna Lind",
            year=2018 + i % 8,
            spin_out=spin_target if types[i % len(types)] == Output.Type.SPIN_OUT else None,
        )
        for i in range(n)
    )
    round_ = RoundFactory()
    for project in projects[:3]:
        ReportFactory(round=round_, project=project, state=Report.State.SUBMITTED, submitted_at=timezone.now())


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name,params",
    [
        ("projects:output_list", {}),
        ("projects:output_list", {"type": "report", "q": "Resultat"}),
        ("projects:dashboard", {}),
        ("projects:project_list", {}),
        ("projects:output_export", {"format": "csv"}),
    ],
)
def test_query_count_constant_from_10_to_1000_outputs(member_client, name, params):
    make_outputs(10)
    small = count_queries(member_client, reverse(name), params)
    Output.objects.all().delete()
    make_outputs(1000)
    cache.clear_all()  # rows written by factories, not by a service: the page is built again from them
    large = count_queries(member_client, reverse(name), params)
    print(f"{name} {params}: {small} queries at 10 outputs, {large} at 1,000")
    assert small == large


def test_catalogue_queries_at_most_a_dozen(member_client):
    make_outputs(50)
    assert count_queries(member_client, reverse("projects:output_list")) <= 12


def make_round(n_projects: int):
    round_ = RoundFactory()
    for i in range(n_projects):
        project = ProjectFactory(institutions=[InstitutionFactory()])
        if i % 3:
            ReportFactory(round=round_, project=project, state=Report.State.SUBMITTED, submitted_at=timezone.now())
    return round_


@pytest.mark.parametrize("name", ["projects:round_detail", "projects:round_pack", "projects:round_pack_download"])
def test_round_pages_query_count_constant(member_client, name):
    small = count_queries(member_client, reverse(name, kwargs={"pk": make_round(3).pk}))
    large = count_queries(member_client, reverse(name, kwargs={"pk": make_round(30).pk}))
    assert small == large
