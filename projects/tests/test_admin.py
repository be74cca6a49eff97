import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Report
from projects.tests.factories import OutputFactory, ParticipationFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["meetings_theme", "projects_project", "projects_reportinground", "projects_report", "projects_output"]
)
def test_admin_changelist_lists_rows(staff_client, model):
    report = ReportFactory(state=Report.State.SUBMITTED, submitted_at=timezone.now())
    ParticipationFactory(project=report.project)
    OutputFactory(project=report.project, title="Adminrapport")
    response = staff_client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_admin_project_change_page_has_participants_inline(staff_client):
    participation = ParticipationFactory()
    page = staff_client.get(reverse("admin:projects_project_change", args=[participation.project.pk])).content.decode()
    assert "participations-TOTAL_FORMS" in page


def test_admin_reopen_action_reopens_submitted_report(staff_client):
    report = ReportFactory(state=Report.State.SUBMITTED, submitted_at=timezone.now())
    staff_client.post(
        reverse("admin:projects_report_changelist"), {"action": "reopen", "_selected_action": [report.pk]}
    )
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert report.history.count() == 2


def test_admin_output_export_csv(staff_client):
    OutputFactory(title="Exporterad")
    response = staff_client.post(
        reverse("admin:projects_output_export"), {"format": "0", "resource": "0", "outputresource_title": "on"}
    )
    assert response.status_code == 200
    assert response.get("Content-Disposition", "").startswith("attachment"), response.content[:300]
    assert b"Exporterad" in response.content
