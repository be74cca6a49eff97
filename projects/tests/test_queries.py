"""The catalogue and the dashboard cost the same number of queries for 10 and 1,000 outputs."""

import datetime

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


def make_uptake(n: int) -> None:
    """n institutions, each leading a project of one of 3 themes and taking up another's output
    (bulk: the coverage at n = 40 is 3 themes x 40 institutions, with 40 records)."""
    from projects.models import Uptake

    themes = [ThemeFactory() for _ in range(3)]
    institutions = InstitutionFactory.create_batch(n)
    projects = [
        ProjectFactory(theme=themes[i % 3], lead_institution=institution, institutions=[institutions[i - 1]])
        for i, institution in enumerate(institutions)
    ]
    outputs = Output.objects.bulk_create(
        Output(project=project, type=Output.Type.REPORT, title=f"Rapport {i}", year=2024)
        for i, project in enumerate(projects)
    )
    Uptake.objects.bulk_create(
        Uptake(
            institution=institutions[i],
            project=outputs[(i + 2) % n].project,
            output=outputs[(i + 2) % n],
            level=list(Uptake.Level.values)[i % 4],
            description="Infört lokalt.",
            starts_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(n)
    )


@pytest.mark.parametrize(
    "name,params",
    [
        ("projects:coverage", {}),
        ("projects:coverage", {"starts_on": "2020-01-01", "ends_on": "2030-12-31", "kind": "university"}),
        ("projects:coverage_export", {"format": "csv"}),
        ("projects:uptake_list", {}),
        ("projects:uptake_list", {"level": "adopted", "year": "2024"}),
    ],
)
def test_uptake_pages_query_count_constant_at_two_sizes(member_client, name, params):
    make_uptake(4)
    small = count_queries(member_client, reverse(name), params)
    make_uptake(40)
    cache.clear_all()
    large = count_queries(member_client, reverse(name), params)
    print(f"{name} {params}: {small} queries at 4 institutions, {large} at 44")
    assert small == large


def test_a_results_uptake_costs_the_same_queries_on_its_pages(member_client):
    """The project, output and institution pages list where a result was taken up in one query."""
    from projects.models import Uptake

    make_uptake(4)
    output = Output.objects.first()
    institution = Uptake.objects.filter(output=output).first().institution
    urls = [output.get_absolute_url(), output.project.get_absolute_url(), institution.get_absolute_url()]
    small = [count_queries(member_client, url) for url in urls]
    for other in InstitutionFactory.create_batch(20):
        Uptake.objects.create(institution=other, project=output.project, output=output, level="tried",
                              description="Prövat.", starts_on=datetime.date(2025, 1, 1))  # fmt: skip
    cache.clear_all()
    assert [count_queries(member_client, url) for url in urls] == small
