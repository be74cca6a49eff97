"""Journey 3: a coordinator creates a project, registers an output, writes and submits the round's
report; the output appears in the results catalogue and in its CSV export. Every page passes axe;
the catalogue in both languages."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Output, Project, Report
from projects.tests.factories import RoundFactory, ThemeFactory

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")
TITLE = "Forskning möter kommunen"
OUTPUT = "Handbok för samverkan med kommuner"


@viewports
def test_coordinator_creates_project_reports_and_output_is_catalogued(site, world):
    page = site.page
    theme = ThemeFactory(name_sv="Hållbar samhällsutveckling", name_en="Sustainable development")
    round_ = RoundFactory(title="Vårrapportering", deadline=timezone.localdate() + datetime.timedelta(days=14))
    today = timezone.localdate()

    site.login(world.member.user)
    site.goto(reverse("projects:project_list"))
    site.check("project-list")
    page.locator(f"a[href='{reverse('projects:project_create')}']").first.click()
    page.locator("select[name=theme]").select_option(str(theme.pk))
    page.locator("input[name=title]").fill(TITLE)
    page.locator("textarea[name=summary]").fill("Forskare och kommuner tar fram metoder tillsammans.")
    page.locator("input[name=starts_on]").fill(today.replace(day=1).isoformat())
    page.locator("input[name=ends_on]").fill(today.replace(year=today.year + 2).isoformat())
    page.locator("select[name=status]").select_option("active")
    site.check("project-form")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    project = Project.objects.get(title=TITLE)
    assert site.path() == project.get_absolute_url(), page.locator("main").inner_text()[:1500]
    assert project.participations.get(member=world.member).is_coordinator
    site.check("project-created")

    # An output.
    page.locator(f"a[href='{reverse('projects:output_create', args=[project.pk])}']").click()
    page.locator("select[name=type]").select_option(index=1)
    page.locator("input[name=title]").fill(OUTPUT)
    page.locator("input[name=authors]").fill("Anna Lind")
    page.locator("input[name=year]").fill(str(today.year))
    site.check("output-form")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    output = Output.objects.get(title=OUTPUT)
    assert output.project == project
    site.check("output-created")

    # The report, reached from her home page's "reports owed".
    site.goto(reverse("home"))
    report_url = reverse("projects:report_edit", args=[round_.pk, project.pk])
    page.locator(f"main a[href='{report_url}']").first.click()
    assert site.path() == report_url
    page.locator("textarea[name=progress]").fill("Två workshoppar med tre kommuner.")
    page.locator("input[name=status][value=on_track]").check()
    page.locator("textarea[name=outputs_since_last]").fill(OUTPUT)
    site.check("report-form")
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    report = Report.objects.get(round=round_, project=project)
    assert report.is_submitted, page.locator("main").inner_text()[:1500]
    assert site.path() == report.get_absolute_url()
    site.check("report-submitted")

    # The results catalogue and its CSV export.
    site.goto(reverse("projects:output_list"))
    assert page.get_by_role("link", name=OUTPUT).is_visible()
    site.check("results", languages=BOTH)
    page.get_by_role("link", name=OUTPUT).click()
    site.check("output-detail")
    site.goto(reverse("projects:output_list"))
    with page.expect_download() as info:
        page.locator("a[href*='format=csv']").click()
    content = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert any(OUTPUT in row for row in rows[1:]), rows[:3]
    assert any(TITLE in " ".join(row) for row in rows[1:])
