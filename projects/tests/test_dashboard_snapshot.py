"""The dashboard's figures kept in a snapshot (issue 15): read while the counted data is unchanged
(two queries), counted again after any write that changes a figure, whatever its path: services,
edits in place, deletes, bulk inserts, renamed labels."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from network.tests.factories import InstitutionFactory, MemberFactory
from projects import selectors, services
from projects.models import DashboardSnapshot, Output, Report
from projects.tests.factories import OutputFactory, ProjectFactory, ReportFactory, RoundFactory, ThemeFactory
from projects.tests.test_dashboard_figures import known_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    known_network()
    project = ProjectFactory(lead_institution=InstitutionFactory(short_name="LU"))
    round_ = RoundFactory(deadline=datetime.date.today() + datetime.timedelta(days=30))
    return {
        "project": project,
        "output": OutputFactory(project=project, year=2020, type=Output.Type.BOOK),
        "round": round_,
        "draft": ReportFactory(round=round_, project=project),
    }


def queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def test_unchanged_data_is_read_from_the_snapshot_in_two_queries(world):
    first = selectors.dashboard_figures()
    built_at = DashboardSnapshot.objects.get(language="sv").built_at
    assert queries(selectors.dashboard_figures) == 2
    assert selectors.dashboard_figures() == first == selectors.dashboard_figures_build()
    assert DashboardSnapshot.objects.get().built_at == built_at  # not rebuilt


def test_each_language_has_its_snapshot(world):
    swedish = selectors.dashboard_figures()
    with translation.override("en"):
        english = selectors.dashboard_figures()
        assert english == selectors.dashboard_figures_build()
    assert swedish != english  # the type labels are translated
    assert set(DashboardSnapshot.objects.values_list("language", flat=True)) == {"sv", "en"}


def test_a_rebuild_at_the_same_time_as_another_is_harmless(world):
    figures = selectors.dashboard_figures()
    DashboardSnapshot.objects.update(fingerprint="old")
    # Two requests both found the snapshot old and both store: one row, the right figures.
    assert selectors.dashboard_figures() == figures
    DashboardSnapshot.objects.update(fingerprint="old")
    assert selectors.dashboard_figures() == figures
    assert DashboardSnapshot.objects.count() == 1 and queries(selectors.dashboard_figures) == 2


def _rename(instance, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()


def _submit(world):
    services.report_submit(report=world["draft"], by=None)


def _add_participant(world):
    services.participant_add(project=world["project"], by=None, member=MemberFactory(institution=InstitutionFactory()))


WRITES = {
    "output added": lambda w: services.output_create(
        project=w["project"], by=None, type=Output.Type.REPORT, title="Ny rapport", year=2021
    ),
    "output's year edited": lambda w: services.output_update(output=w["output"], by=None, year=2016),
    "output's type edited": lambda w: services.output_update(output=w["output"], by=None, type=Output.Type.EVENT),
    "output moved to another project (theme)": lambda w: _rename(w["output"], project=ProjectFactory()),
    "output deleted": lambda w: w["output"].delete(),
    "outputs inserted in bulk": lambda w: Output.objects.bulk_create(
        [Output(project=w["project"], type=Output.Type.POLICY, title=f"Remissvar {i}", year=2018) for i in range(3)]
    ),
    "report submitted": _submit,
    "report deleted": lambda w: Report.objects.filter(state=Report.State.SUBMITTED).first().delete(),
    "participant from a new institution": _add_participant,
    "institution leaves a project": lambda w: w["project"].institutions.remove(w["project"].lead_institution),
    "project's theme changed": lambda w: services.project_update(project=w["project"], by=None, theme=ThemeFactory()),
    "project deleted": lambda w: w["project"].delete(),
    "theme renamed": lambda w: _rename(w["project"].theme, name_sv="Omdöpt tema"),
    "institution renamed": lambda w: _rename(w["project"].lead_institution, short_name="Lunds U"),
    "round renamed": lambda w: _rename(Report.objects.filter(state="submitted").first().round, title="Omdöpt"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_that_changes_a_figure_shows_on_the_next_read(world, write):
    if write is WRITES["institution leaves a project"]:
        world["project"].institutions.add(world["project"].lead_institution)
    before = selectors.dashboard_figures()
    fingerprint = selectors.dashboard_fingerprint()
    write(world)
    assert selectors.dashboard_fingerprint() != fingerprint
    after = selectors.dashboard_figures()
    assert after != before
    assert after == selectors.dashboard_figures_build()
    assert queries(selectors.dashboard_figures) == 2  # stored again: the next read is fresh
