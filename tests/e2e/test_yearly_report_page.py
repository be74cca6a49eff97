"""The network's yearly report page (issue 26.4) in the browser: a steering-group member finds it from
the reporting rounds, asks for the last full year's report, sees it being generated and then ready to
download. Zero axe violations (WCAG 2.0/2.1 A and AA) in Swedish and English, at 360 px and 1280 px,
no sideways scroll."""

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")


@viewports
def test_steering_group_member_generates_the_yearly_report_accessible(site, world, settings, tmp_path):
    from network.tests.factories import SteeringGroupSeatFactory
    from projects.models import YearlyReport
    from projects.tests.factories import ProjectFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    year = timezone.localdate().year - 1
    ProjectFactory(title="Öppen kunskap", lead_institution=world.institution)
    SteeringGroupSeatFactory(member=world.member)
    site.login(world.member.user)

    site.goto(reverse("projects:round_list"))
    site.page.locator(f"main a[href='{reverse('projects:yearly_report')}']").click()
    assert site.path() == reverse("projects:yearly_report")
    site.check("yearly_report", languages=BOTH)

    # A report waiting for the worker: the page says so in its status line.
    YearlyReport.objects.create(year=year - 1, language="en")
    site.page.reload()
    assert site.page.locator("#yearly-reports[data-pending]").count() == 1
    assert site.page.get_by_role("status").inner_text().strip()
    site.check("yearly_report_pending", languages=BOTH)
    YearlyReport.objects.all().delete()

    site.set_language("sv")
    site.page.reload()
    site.page.locator("select[name=year]").select_option(str(year))
    site.page.get_by_label("svenska").check()
    with site.page.expect_navigation():
        site.page.locator("main form[method=post] button[type=submit]").click()
    report = YearlyReport.objects.get()
    assert report.state == YearlyReport.State.DONE  # eager in tests: built when the request committed
    pdf_link = site.page.get_by_role("link", name=f"PDF, {year}, svenska")
    assert pdf_link.is_visible()
    site.check("yearly_report_ready", languages=BOTH)
