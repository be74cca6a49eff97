"""The error pages and a form's errors in the browser: axe finds nothing on any error page (400, 403,
404, 405, 500, a refused CSRF check) for a visitor and a member, in Swedish and English, at 360 and
1280 px; a failed log-in is announced (role=alert, visible), takes the focus to the error and says
"Fel:" in the title (issue #24)."""

import pytest
from django.conf import settings
from django.urls import reverse

from network.tests.factories import PASSWORD

from .conftest import focused, tab_to, viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ERROR_PATHS = {status: f"/test-errors/{status}/" for status in (400, 403, 404, 405, 500)}
HEADINGS = {
    "sv": {
        400: "Felaktig begäran",
        403: "Ingen behörighet",
        404: "Sidan hittades inte",
        405: "Det går inte att göra så här",
        500: "Något gick fel",
        "csrf": "Formuläret kunde inte skickas",
    },
    "en": {
        400: "Bad request",
        403: "Access denied",
        404: "Page not found",
        405: "This cannot be done this way",
        500: "Something went wrong",
        "csrf": "The form could not be sent",
    },
}


def in_language(site, code: str) -> None:
    site.page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": site.base_url}])


def send_login_form_with_a_stale_token(site) -> int:
    """The log-in form as a tab left open too long sends it: its CSRF token no longer matches."""
    site.page.goto(site.url(reverse("account_login")))
    site.page.eval_on_selector_all(
        "input[name=csrfmiddlewaretoken]", "(inputs) => inputs.forEach((el) => { el.value = 'x'.repeat(64); })"
    )
    site.page.locator("input[name=login]").fill("someone@example.se")
    site.page.locator("input[name=password]").fill("whatever")
    with site.page.expect_navigation() as navigation:
        site.page.locator("form button[type=submit]").last.click()
    return navigation.value.status


@viewports
@pytest.mark.urls("kloss_site.tests.error_urls")
@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_error_pages_accessible_in_both_languages(site, world, role):
    if role == "member":
        site.login(world.member.user)
    for code in ("sv", "en"):
        in_language(site, code)
        for status, path in ERROR_PATHS.items():
            response = site.page.goto(site.url(path))
            assert response.status == status, path
            assert site.language() == code
            assert site.page.get_by_role("heading", level=1).inner_text() == HEADINGS[code][status]
            for landmark in ("banner", "main", "contentinfo"):
                assert site.page.get_by_role(landmark).count() == 1, f"{path}: {landmark}"
            if role == "member":  # her navigation (the 500 page's plain one cannot know her)
                assert site.page.get_by_role("navigation").count() >= 1
            site.check(f"{status}-{role}-{code}")
        if role == "anonymous":  # a member's CSRF page is the same page with her navigation
            assert send_login_form_with_a_stale_token(site) == 403
            assert site.page.get_by_role("heading", level=1).inner_text() == HEADINGS[code]["csrf"]
            site.check(f"csrf-{role}-{code}", label=reverse("account_login") + " (CSRF refused)")


@viewports
def test_failed_login_is_announced_focused_and_titled(site, world):
    page = site.page
    site.goto(reverse("account_login"))
    assert not page.title().startswith("Fel")  # control: no error yet

    tab_to(page, "input[name=login]")
    page.keyboard.type(world.member.user.email)
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    alert = page.get_by_role("alert")
    assert alert.count() == 1 and alert.is_visible()
    assert "lösenord" in alert.inner_text().lower()
    assert page.evaluate("document.activeElement.id") == "form-errors", f"the focus is on {focused(page)}"
    assert page.title().startswith("Fel: ")
    assert page.locator("input[name=password]").get_attribute("aria-invalid") == "true"
    site.check("wrong-password")

    # From the error, the next Tab reaches the fields again, and the right password logs her in.
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site.url(reverse("home")))
