import datetime

import pytest
from django.utils import timezone

from projects import selectors
from projects.models import Project, Report
from projects.tests.factories import ParticipationFactory, ProjectFactory, ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_reports_owed_lists_active_projects_without_submitted_report():
    round_ = RoundFactory()
    owing = ProjectFactory(title="Skyldig")
    coordinator = ParticipationFactory(project=owing, is_coordinator=True).member
    done = ProjectFactory(title="Klar")
    ReportFactory(round=round_, project=done, state=Report.State.SUBMITTED, submitted_at=timezone.now())
    ProjectFactory(title="Planerad", status=Project.Status.PLANNED)
    owed = selectors.reports_owed()
    assert [(o.round, o.project.title) for o in owed] == [(round_, "Skyldig")]
    assert owed[0].coordinators == [coordinator]
    assert not owed[0].is_overdue
    assert selectors.reports_due() == owed and selectors.reports_overdue() == []


def test_reports_overdue_after_deadline():
    round_ = RoundFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    project = ProjectFactory()
    ReportFactory(round=round_, project=project)  # a draft is still owed
    overdue = selectors.reports_overdue()
    assert [(o.project, o.report.state) for o in overdue] == [(project, Report.State.DRAFT)]


def test_reports_owed_constant_queries(django_assert_max_num_queries):
    RoundFactory()
    for _ in range(20):
        ParticipationFactory(is_coordinator=True)
    with django_assert_max_num_queries(4):
        assert len(selectors.reports_owed()) == 20


def test_round_overview_counts_reported_late_missing_per_institution_and_theme():
    round_ = RoundFactory(deadline=timezone.localdate() - datetime.timedelta(days=2))
    on_time, late, missing = ProjectFactory(), ProjectFactory(), ProjectFactory()
    ReportFactory(
        round=round_, project=on_time, state=Report.State.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(days=5),
    )  # fmt: skip
    ReportFactory(round=round_, project=late, state=Report.State.SUBMITTED, submitted_at=timezone.now())
    overview = selectors.round_overview(round_)
    states = {row.project: row.state for row in overview.rows}
    assert states == {on_time: "reported", late: "late", missing: "missing"}
    by_institution = dict(overview.by_institution)
    assert by_institution[late.lead_institution]["late"] == 1
    assert dict(overview.by_theme)[missing.theme]["missing"] == 1
