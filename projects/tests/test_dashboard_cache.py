"""The dashboard's figures kept in the cache under the namespaces of what they count (projects/
fragments.py: DASHBOARD_FIGURES): read without a query while nothing they count has changed, counted
again on the next read after any write through a service or the admin, in each language. A write
past both (a bulk insert, the shell) is not seen by the namespaces: it shows after
`cache.changed(row)`, as every hand-written change must say, and at the latest when the figures
expire (DASHBOARD_SECONDS, a minute)."""

import datetime

import pytest
import time_machine
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import Theme
from network import cache
from network.models import Institution
from network.tests.factories import InstitutionFactory, MemberFactory, StaffUserFactory
from projects import selectors, services
from projects.fragments import DASHBOARD, DASHBOARD_FIGURES, DASHBOARD_SECONDS
from projects.models import Output, Report
from projects.tests.factories import OutputFactory, ProjectFactory, ReportFactory, RoundFactory, ThemeFactory
from projects.tests.test_dashboard_figures import known_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    known_network()
    project = ProjectFactory(lead_institution=InstitutionFactory(short_name="LU"))
    project.institutions.add(InstitutionFactory(short_name="GU"))
    round_ = RoundFactory(deadline=datetime.date.today() + datetime.timedelta(days=30))
    cache.clear_all()  # the rows above were written by factories, past the services
    return {
        "project": project,
        "output": OutputFactory(project=project, year=2020, type=Output.Type.BOOK),
        "round": round_,
        "draft": ReportFactory(round=round_, project=project),
        "staff": StaffUserFactory(),
    }


def queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def test_unchanged_data_is_read_without_a_query(world):
    cache.clear_all()
    first = selectors.dashboard_figures()
    assert queries(selectors.dashboard_figures) == 0
    assert selectors.dashboard_figures() == first == selectors.dashboard_figures_build()


def test_each_language_has_its_figures(world):
    swedish = selectors.dashboard_figures()
    with translation.override("en"):
        english = selectors.dashboard_figures()
        assert english == selectors.dashboard_figures_build()
    assert swedish != english  # the type labels are translated
    assert selectors.dashboard_figures() == swedish


def _admin_save(world, row, **fields):
    """As the secretariat edits a row in the admin (InvalidatingAdminMixin)."""
    request = RequestFactory().post("/")
    request.user = world["staff"]
    for name, value in fields.items():
        setattr(row, name, value)
    admin.site.get_model_admin(type(row)).save_model(request, row, None, True)


def _admin_delete(world, row):
    request = RequestFactory().post("/")
    request.user = world["staff"]
    admin.site.get_model_admin(type(row)).delete_model(request, row)


def _add_participant(world):
    services.participant_add(project=world["project"], by=None, member=MemberFactory(institution=InstitutionFactory()))


def _submitted_report():
    return Report.objects.filter(state=Report.State.SUBMITTED).first()


WRITES = {
    "output added": lambda w: services.output_create(
        project=w["project"], by=None, type=Output.Type.REPORT, title="Ny rapport", year=2021
    ),
    "output's year edited": lambda w: services.output_update(output=w["output"], by=None, year=2016),
    "output's type edited": lambda w: services.output_update(output=w["output"], by=None, type=Output.Type.EVENT),
    "output moved to another project (theme) in the admin": lambda w: _admin_save(
        w, w["output"], project=ProjectFactory()
    ),
    "output deleted in the admin": lambda w: _admin_delete(w, w["output"]),
    "report submitted": lambda w: services.report_submit(report=w["draft"], by=None),
    "report deleted in the admin": lambda w: _admin_delete(w, _submitted_report()),
    "participant from a new institution": _add_participant,
    "institution leaves a project": lambda w: services.project_update(project=w["project"], by=None, institutions=[]),
    "project's theme changed": lambda w: services.project_update(project=w["project"], by=None, theme=ThemeFactory()),
    "project deleted in the admin": lambda w: _admin_delete(w, w["project"]),
    "theme renamed in the admin": lambda w: _admin_save(w, w["project"].theme, name_sv="Omdöpt tema"),
    "institution renamed in the admin": lambda w: _admin_save(w, w["project"].lead_institution, short_name="Lunds U"),
    "round renamed in the admin": lambda w: _admin_save(w, _submitted_report().round, title="Omdöpt"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_that_changes_a_figure_shows_on_the_next_read(world, write):
    before = selectors.dashboard_figures()
    assert queries(selectors.dashboard_figures) == 0  # kept
    write(world)
    after = selectors.dashboard_figures()
    assert after != before
    assert after == selectors.dashboard_figures_build()
    assert queries(selectors.dashboard_figures) == 0  # kept again: the next read is fresh


# Writes past the services and the admin: the namespaces cannot see them.
BY_HAND = {
    "outputs inserted in bulk": lambda w: Output.objects.bulk_create(
        [Output(project=w["project"], type=Output.Type.POLICY, title=f"Remissvar {i}", year=2018) for i in range(3)]
    ),
    "output deleted in the shell": lambda w: Output.objects.filter(pk=w["output"].pk).delete(),
    "theme renamed in the shell": lambda w: Theme.objects.filter(pk=w["project"].theme_id).update(name_sv="Omdöpt"),
    "institution leaves a project in the shell": lambda w: w["project"].institutions.remove(
        Institution.objects.get(short_name="GU")
    ),
}
WRITTEN = {  # what `cache.changed` names for each
    "outputs inserted in bulk": lambda w: [w["project"]],
    "output deleted in the shell": lambda w: [w["output"]],
    "theme renamed in the shell": lambda w: [w["project"].theme],
    "institution leaves a project in the shell": lambda w: [w["project"]],
}


@pytest.mark.parametrize("name", BY_HAND)
def test_a_write_by_hand_shows_once_it_says_so(world, name):
    before = selectors.dashboard_figures()
    BY_HAND[name](world)
    cache.changed(*WRITTEN[name](world))
    after = selectors.dashboard_figures()
    assert after != before and after == selectors.dashboard_figures_build()


@pytest.mark.parametrize("name", BY_HAND)
def test_a_write_by_hand_shows_within_a_minute_at_the_latest(world, name, settings):
    # The cache in this process's memory: its entries expire on the clock time_machine moves (Redis
    # keeps its own clock, and honours the same lifetime).
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"dashboard-{name}"},
    }
    assert DASHBOARD_FIGURES.seconds == DASHBOARD.seconds == DASHBOARD_SECONDS <= 60
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        before = selectors.dashboard_figures()
        BY_HAND[name](world)
        assert selectors.dashboard_figures() == before  # not seen: the namespaces did not change
    with time_machine.travel(now + datetime.timedelta(seconds=DASHBOARD_SECONDS + 1), tick=False):
        after = selectors.dashboard_figures()
    assert after != before and after == selectors.dashboard_figures_build()


def test_the_dashboard_page_shows_a_renamed_theme_at_once(world, client):
    client.force_login(MemberFactory().user)
    url = reverse("projects:dashboard")
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Outputs per theme" in body and "Renamed theme" not in body
    _admin_save(world, world["project"].theme, name_sv="Omdöpt tema", name_en="Renamed theme")
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Outputs per theme" in body and "Renamed theme" in body
