"""The keyboard alone: the skip link, logging in through allauth's real form with Tab and Enter, and the
language switcher keeps the user on the page she was reading (issue 7, journey 4)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from network.tests.factories import PASSWORD

from .conftest import focused, tab_to, viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_skip_link_is_first_and_moves_focus_to_main(site):
    site.goto(reverse("account_login"))
    site.page.keyboard.press("Tab")
    assert focused(site.page) == "a.skip-link"
    assert site.page.locator("a.skip-link").is_visible(), "the skip link must show when focused"
    site.screenshot("skip-link-focused")
    site.page.keyboard.press("Enter")
    assert site.page.evaluate("document.activeElement.id") == "main"


@viewports
def test_login_with_keyboard_alone(site, world):
    page = site.page
    site.goto(reverse("account_login"))

    # A wrong password first: the error is announced on an accessible page, the fields keep working.
    tab_to(page, "input[name=login]")
    page.keyboard.type(world.member.user.email)
    page.keyboard.press("Tab")
    assert focused(page) == "input[name=password]"
    page.keyboard.type("not-the-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".errorlist").first.is_visible()
    site.check("wrong-password")

    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site.url(reverse("home")))
    assert "Anna" in page.get_by_role("heading", level=1).inner_text()
    site.check("logged-in-home")


@viewports
def test_language_switch_keeps_the_page(site, world):
    page = site.page
    site.login(world.member.user)
    path = reverse("network:member_list") + "?page=1"
    site.goto(path)
    assert site.language() == "sv"

    # With the keyboard: Tab to the switcher's button, Enter.
    tab_to(page, ".language-switcher button")
    assert page.evaluate("document.activeElement.value") == "en"
    page.keyboard.press("Enter")
    # Waited for through a locator, not wait_for_function: a string predicate still polling when the
    # next page has loaded is eval'd in it, which the site's CSP (script-src 'self') refuses (seen once).
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert site.path() == path
    site.check("english")

    page.locator(".language-switcher button[value=sv]").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert site.path() == path
    site.check("swedish-again")


def test_language_switch_keeps_a_public_page(site):
    path = reverse("account_signup")
    site.goto(path)
    site.page.locator(".language-switcher button[value=en]").click()
    expect(site.page.locator("html")).to_have_attribute("lang", "en")
    assert site.path() == path
