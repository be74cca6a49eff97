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


# --- The completeness rule of a submission, stated once (report_missing) -------------------------


@pytest.mark.parametrize(
    "fields, missing",
    [
        ({"progress": "Klart.", "status": "on_track", "status_reason": ""}, []),
        ({"progress": "  ", "status": "on_track", "status_reason": ""}, ["progress"]),
        ({"progress": "Efter.", "status": "delayed", "status_reason": " "}, ["status_reason"]),
        ({"progress": "Efter.", "status": "at_risk", "status_reason": "Sjukdom."}, []),
        ({"progress": "", "status": "delayed", "status_reason": ""}, ["progress", "status_reason"]),
    ],
)
def test_report_missing_names_what_a_submission_still_needs(fields, missing):
    assert services.report_missing(**fields) == missing


def test_report_form_shows_the_services_rule_on_the_fields():
    from projects.forms import ReportForm

    form = ReportForm(data={"progress": "", "status": "delayed", "status_reason": ""}, submit=True)
    assert form.is_valid()  # a draft: what a submission needs is kept apart
    assert set(form.submission_errors) == {"progress", "status_reason"}
    draft = ReportForm(data={"progress": "", "status": "delayed", "status_reason": ""}, submit=False)
    assert draft.is_valid() and draft.submission_errors == {}


def test_report_save_refuses_an_incomplete_submission_naming_the_fields_and_keeps_the_draft():
    report = ReportFactory(progress="")
    coordinator = ParticipationFactory(project=report.project, is_coordinator=True).member
    saved = services.report_save(
        round=report.round, project=report.project, by=coordinator.user, submit=True,
        progress="", status="delayed", status_reason="",
    )  # fmt: skip
    assert (saved.submitted, saved.missing, saved.not_allowed) == (False, ("progress", "status_reason"), False)
    report.refresh_from_db()
    assert report.status == "delayed" and not report.is_submitted


def test_report_save_lets_only_a_coordinator_submit_and_keeps_a_participants_draft():
    report = ReportFactory(progress="")
    participant = ParticipationFactory(project=report.project).member
    coordinator = ParticipationFactory(project=report.project, is_coordinator=True).member
    fields = {"progress": "Utkast.", "status": "on_track", "status_reason": ""}
    with translation.override("en"):
        saved = services.report_save(
            round=report.round, project=report.project, by=participant.user, submit=True, **fields
        )
    assert (saved.submitted, saved.not_allowed) == (False, True) and "coordinator" in saved.refusal
    report.refresh_from_db()
    assert report.progress == "Utkast." and not report.is_submitted
    saved = services.report_save(round=report.round, project=report.project, by=coordinator.user, submit=True, **fields)
    assert saved.submitted and saved.report.is_submitted


def test_report_start_refusal_only_for_projects_that_are_not_active():
    from projects.models import Project

    assert services.report_start_refusal(project=ProjectFactory(status=Project.Status.ACTIVE)) == ""
    with translation.override("en"):
        assert "Only active projects" in services.report_start_refusal(
            project=ProjectFactory(status=Project.Status.PLANNED)
        )
