"""Coverage (issue 26): theme x institution, who takes part, who has taken up the results, who has
done neither; filtered by period and kind of institution; its page, CSV and Excel."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from network.tests.factories import InstitutionFactory
from projects.coverage import BOTH, NEITHER, PARTICIPATES, TAKEN_UP, coverage
from projects.models import Uptake
from projects.tests.factories import OutputFactory, ProjectFactory, ThemeFactory, UptakeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    """Two themes; A leads a project of the first, B takes part in it and took up its report, C took
    up the project of the second theme (run by A) without taking part, D did nothing (an art college).
    """
    first, second = ThemeFactory(name_sv="Alfa"), ThemeFactory(name_sv="Beta")
    a = InstitutionFactory(name="A-universitetet", short_name="A")
    b = InstitutionFactory(name="B-högskolan", short_name="B", kind="college")
    c = InstitutionFactory(name="C-universitetet", short_name="C")
    d = InstitutionFactory(name="D-konsthögskolan", short_name="D", kind="art_college")
    p1 = ProjectFactory(
        theme=first,
        lead_institution=a,
        institutions=[b],
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2021, 12, 31),
    )
    p2 = ProjectFactory(theme=second, lead_institution=a, starts_on=datetime.date(2023, 1, 1), ends_on=None)
    UptakeFactory(institution=b, output=OutputFactory(project=p1), level=Uptake.Level.TRIED,
                  starts_on=datetime.date(2021, 3, 1), ends_on=datetime.date(2021, 12, 31))  # fmt: skip
    UptakeFactory(institution=b, output=None, project=p1, level=Uptake.Level.ADOPTED,
                  starts_on=datetime.date(2022, 1, 1))  # fmt: skip
    UptakeFactory(institution=c, output=None, project=p2, level=Uptake.Level.INFORMED,
                  starts_on=datetime.date(2024, 2, 1))  # fmt: skip
    return {"first": first, "second": second, "a": a, "b": b, "c": c, "d": d}


def states(table, theme):
    return {i.short_name: table.cell(theme, i).state for i in table.institutions}


def test_coverage_shows_who_takes_part_who_took_up_and_the_gaps(network):
    table = coverage()
    first, second = network["first"], network["second"]
    assert [t.name_sv for t in table.themes] == ["Alfa", "Beta"]
    assert states(table, first) == {"A": PARTICIPATES, "B": BOTH, "C": NEITHER, "D": NEITHER}
    assert states(table, second) == {"A": PARTICIPATES, "B": NEITHER, "C": TAKEN_UP, "D": NEITHER}
    cell = table.cell(first, network["b"])
    assert (cell.level, cell.rank, cell.uptakes) == (Uptake.Level.ADOPTED, 3, 2)  # the highest of two
    assert table.gaps == 4 and [row.gaps for row in table.rows] == [2, 2]
    assert table.gaps_per_institution == [0, 1, 1, 2]
    plain = table.as_dict()
    assert plain["themes"][1]["cells"][str(network["c"].pk)] == {"participates": False, "level": "informed"}


def test_coverage_by_period(network):
    table = coverage(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 12, 31))
    first, second = network["first"], network["second"]
    assert states(table, first) == {"A": PARTICIPATES, "B": BOTH, "C": NEITHER, "D": NEITHER}
    assert table.cell(first, network["b"]).level == Uptake.Level.TRIED  # adopted only in 2022
    assert states(table, second) == {"A": NEITHER, "B": NEITHER, "C": NEITHER, "D": NEITHER}  # from 2023


def test_coverage_by_kind_of_institution(network):
    table = coverage(kind="art_college")
    assert [i.short_name for i in table.institutions] == ["D"]
    assert table.gaps == 2


def test_coverage_leaves_out_institutions_not_members_in_the_period(network):
    InstitutionFactory(short_name="Ny", joined_on=datetime.date(2025, 1, 1))
    InstitutionFactory(short_name="Gick", joined_on=datetime.date(2017, 3, 8), left_on=datetime.date(2019, 6, 30))
    names = [
        i.short_name
        for i in coverage(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1)).institutions
    ]
    assert "Ny" not in names and "Gick" not in names
    names = [i.short_name for i in coverage().institutions]  # today's members
    assert "Ny" in names and "Gick" not in names


def test_coverage_page_is_an_accessible_table_first(member_client, network):
    response = member_client.get(reverse("projects:coverage"))
    html = response.content.decode()
    assert response.status_code == 200
    table = html.index('class="coverage-table"')
    assert html.index("<caption>") > table and html.index("<svg") > table  # the chart comes after
    assert (
        '<th scope="row">Alfa</th>' in html and '<th scope="col"><abbr title="D-konsthögskolan">D</abbr></th>' in html
    )
    assert 'class="cov-neither"' in html
    # Every cell says in words what it shows (not only its colour or mark).
    assert html.count('class="visually-hidden">') >= 8


def test_coverage_page_filters_and_refuses_a_backwards_period(member_client, network):
    response = member_client.get(reverse("projects:coverage"), {"kind": "college"})
    assert [i.short_name for i in response.context["coverage"].institutions] == ["B"]
    response = member_client.get(reverse("projects:coverage"), {"starts_on": "2022-01-01", "ends_on": "2021-01-01"})
    assert response.status_code == 200 and response.context["coverage"] is None
    assert response.context["form"].errors["ends_on"]


def test_coverage_csv_has_a_row_per_theme_and_institution(member_client, network):
    response = member_client.get(reverse("projects:coverage_export"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="kloss-coverage.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 2 * 5  # A, B, C, D and the member's own institution
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    b_first = by_key[("Alfa", "B-högskolan")]
    assert b_first[3] in ("ja", "yes") and b_first[5] == "2"
    assert by_key[("Beta", "D-konsthögskolan")][3] in ("nej", "no") and by_key[("Beta", "D-konsthögskolan")][4] == ""


def test_coverage_excel_with_filters(member_client, member, network):
    response = member_client.get(reverse("projects:coverage_export"), {"format": "xlsx", "kind": "university"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 * 3  # two themes x A, C and the member's own university
    assert {row[1] for row in rows[1:]} == {"A-universitetet", "C-universitetet", member.institution.name}
    assert [row[5] for row in rows[1:] if row[1] == "C-universitetet"] == [0, 1]  # numbers stay numbers


def test_coverage_export_escapes_formulas(member_client):
    InstitutionFactory(name="=HYPERLINK(1)", short_name="X")
    ThemeFactory(name_sv="+Tema")
    response = member_client.get(reverse("projects:coverage_export"), {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body and "'+Tema" in body


def test_coverage_export_refuses_an_unknown_format(member_client):
    assert member_client.get(reverse("projects:coverage_export"), {"format": "pdf"}).status_code == 404
