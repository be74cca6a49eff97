"""Every page a visitor, an applicant and a member reach today (landing, login, signup, password reset,
application status, home, member directory and profile, institution list and page): zero axe
violations (WCAG 2.0/2.1 A and AA) in Swedish and English, at 360 px and 1280 px, no sideways scroll."""

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")

PUBLIC_PAGES = {
    "landing": "landing",
    "login": "account_login",
    "signup": "account_signup",
    "password_reset": "account_reset_password",
}


@viewports
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_page_accessible_in_both_languages(site, name):
    site.goto(reverse(PUBLIC_PAGES[name]))
    site.check(name, languages=BOTH)


@viewports
def test_applicant_status_page_accessible(site, world):
    site.login(world.applicant.user)
    site.goto(reverse("network:application_status"))
    assert site.page.get_by_role("heading", level=1).is_visible()
    site.check("application_status", languages=BOTH)


@viewports
def test_member_pages_accessible(site, world):
    site.login(world.member.user)
    site.goto(reverse("home"))
    assert "Anna" in site.page.get_by_role("heading", level=1).inner_text()
    site.check("home", languages=BOTH)

    site.goto(reverse("network:member_list"))
    assert site.page.get_by_role("link", name="Anna Lind").is_visible()
    site.check("member_directory", languages=BOTH)

    site.page.get_by_role("link", name="Anna Lind").click()
    assert site.path() == world.member.get_absolute_url()
    site.check("member_profile", languages=BOTH)

    site.goto(reverse("network:institution_list"))
    site.check("institution_list", languages=BOTH)

    site.page.get_by_role("link", name="Malmö universitet").click()
    assert site.path() == world.institution.get_absolute_url()
    assert site.page.get_by_role("heading", level=1, name="Malmö universitet").is_visible()
    site.check("institution", languages=BOTH)


@viewports
def test_staff_home_and_round_overview_accessible(site, world, staff_user):
    """The secretariat's home page (counts with links) and a reporting round's overview."""
    import datetime

    from projects.tests.factories import ParticipationFactory, RoundFactory

    ParticipationFactory(member=world.member, is_coordinator=True, project__title="Öppen kunskap")
    round_ = RoundFactory(title="Höstrapportering", deadline=timezone.localdate() - datetime.timedelta(days=2))
    site.login(staff_user)
    site.goto(reverse("home"))
    assert site.page.locator(f"main a[href='{reverse('network:approval_list')}']").is_visible()
    site.check("staff_home", languages=BOTH)
    site.page.locator(f"main a[href='{reverse('projects:round_list')}']").click()
    site.check("round_list")
    site.page.get_by_role("link", name="Höstrapportering").first.click()
    assert site.path() == round_.get_absolute_url()
    assert site.page.get_by_text("Öppen kunskap").first.is_visible()
    site.check("round_overview", languages=BOTH)
