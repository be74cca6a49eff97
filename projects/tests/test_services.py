import datetime

import pytest
from django.utils import timezone, translation

from network.tests.factories import MemberFactory
from projects import services
from projects.models import Output, Report
from projects.tests.factories import ParticipationFactory, ProjectFactory, ReportFactory, RoundFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_project_create_end_before_start_raises():
    member = MemberFactory()
    with translation.override("en"), pytest.raises(services.ProjectsError, match="end"):
        services.project_create(
            by=member.user, theme=ThemeFactory(), title="X", summary="Y", lead_institution=member.institution,
            starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 4, 1),
        )  # fmt: skip


def test_participant_add_twice_raises_translated_error():
    participation = ParticipationFactory()
    with pytest.raises(services.ProjectsError, match="deltar redan i detta projekt"):  # Swedish, the default
        services.participant_add(project=participation.project, by=None, member=participation.member)


def test_round_open_past_deadline_raises():
    with pytest.raises(services.ProjectsError):
        services.round_open(by=None, title="R", deadline=timezone.localdate() - datetime.timedelta(days=1))


def test_report_save_after_submit_raises_and_keeps_text():
    report = ReportFactory(state=Report.State.SUBMITTED, submitted_at=timezone.now(), progress="Original")
    with pytest.raises(services.ProjectsError):
        services.report_save_draft(report=report, by=None, progress="Changed")
    report.refresh_from_db()
    assert report.progress == "Original"


def test_report_submit_at_risk_needs_reason():
    report = ReportFactory(status=Report.Progress.AT_RISK, status_reason="")
    with translation.override("en"), pytest.raises(services.ProjectsError, match="reason"):
        services.report_submit(report=report, by=None)
    report.status_reason = "Budget"
    report.save()
    assert services.report_submit(report=report, by=None).is_submitted


def test_output_spin_out_only_for_spin_out_type():
    project, other = ProjectFactory(), ProjectFactory()
    with pytest.raises(services.ProjectsError):
        services.output_create(project=project, by=None, type=Output.Type.REPORT, title="T", year=2025, spin_out=other)


def test_output_history_recorded():
    output = services.output_create(project=ProjectFactory(), by=None, type=Output.Type.EVENT, title="T", year=2025)
    services.output_update(output=output, by=None, title="T2")
    assert output.history.count() == 2


def test_report_save_starts_saves_and_submits():
    round_, project = RoundFactory(), ProjectFactory()
    saved = services.report_save(round=round_, project=project, by=None, submit=False, progress="Utkast")
    assert (saved.submitted, saved.report.progress, saved.report.is_submitted) == (False, "Utkast", False)
    saved = services.report_save(
        round=round_, project=project, by=None, submit=True, progress="Klart", status="on_track"
    )
    assert saved.submitted and saved.report.is_submitted and saved.report.progress == "Klart"
    assert Report.objects.filter(round=round_, project=project).count() == 1


def test_report_save_keeps_the_draft_when_the_submission_is_refused():
    round_, project = RoundFactory(), ProjectFactory()
    with translation.override("en"):
        saved = services.report_save(
            round=round_, project=project, by=None, submit=True, progress="Sent", status="delayed", status_reason=""
        )
    assert not saved.submitted and "reason" in saved.refusal
    report = Report.objects.get(round=round_, project=project)
    assert report.progress == "Sent" and not report.is_submitted
