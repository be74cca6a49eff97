"""The yearly report generated in the background by a real Celery worker (a separate process on the
configured broker, reading the test database), as the page asks for it."""

from django.test import Client
from django.urls import reverse

from network.tests.factories import login
from projects.models import YearlyReport
from tests.support.waiting import wait_until

from .yearly_support import make_year, pdf_text


def test_a_real_worker_generates_the_report_the_page_asked_for(celery_worker_process, staff_user, settings, tmp_path):
    # The worker keeps files under its KLOSS_VAR_DIR (this test's tmp_path): read them from there too.
    settings.MEDIA_ROOT = tmp_path / "media"
    year = make_year()
    client = Client()
    login(client, staff_user)
    response = client.post(reverse("projects:yearly_report"), {"year": year.year, "language": "sv"})
    assert response.status_code == 302
    report = YearlyReport.objects.get()

    def finished() -> bool:
        report.refresh_from_db()
        return not report.is_pending

    assert wait_until(finished, timeout=120), celery_worker_process.output()
    assert report.state == YearlyReport.State.DONE, report.error
    page = client.get(reverse("projects:yearly_report")).content.decode()
    assert "data-pending" not in page and report.pdf_url in page
    download = client.get(report.pdf_url)
    assert download.status_code == 200
    text = pdf_text(b"".join(download.streaming_content))
    assert f"Årsrapport {year.year}" in text and "Malmö universitet" in text
