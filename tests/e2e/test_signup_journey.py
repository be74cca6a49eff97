"""Journey 1, the part that exists today: a newcomer signs up with the keyboard alone, opens the
verification link from the email (a real SMTP server receives it), confirms, logs in and is told her
application waits for the secretariat. Every page on the way passes axe.
(Phase 2 adds: the secretariat approves in the admin, and she then sees the home page.)"""

import re

import pytest
from django.urls import reverse

from network.tests.factories import PASSWORD

from .conftest import tab_to, viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "karin.holm@mau.se"


def text_of(message) -> str:
    """The plain-text body of an email (the text/plain part of a multipart message)."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the email has no text/plain part")


@viewports
def test_newcomer_signs_up_verifies_and_waits_for_approval_by_keyboard(site, world, smtp_server):
    page = site.page
    site.goto(reverse("account_signup"))

    fields = {
        "input[name=email]": EMAIL,
        "input[name=first_name]": "Karin",
        "input[name=last_name]": "Holm",
        "input[name=title]": "Prorektor",
    }
    for selector, value in fields.items():
        tab_to(page, selector)
        page.keyboard.type(value)
    tab_to(page, "select[name=institution]")
    select = page.locator("select[name=institution]")
    for _ in range(10):  # the arrow keys walk a closed select's options
        page.keyboard.press("ArrowDown")
        if select.evaluate("el => el.selectedOptions[0].text") == "Malmö universitet":
            break
    assert select.evaluate("el => el.selectedOptions[0].text") == "Malmö universitet"
    tab_to(page, "input[name=accept_privacy]")
    page.keyboard.press("Space")
    assert page.locator("input[name=accept_privacy]").is_checked()
    tab_to(page, "input[name=password1]")
    page.keyboard.type(PASSWORD)
    tab_to(page, "input[name=password2]")
    page.keyboard.type(PASSWORD)
    site.check("signup-filled")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert site.path() == reverse("account_email_verification_sent"), page.content()[:2000]
    site.check("verification-sent")

    smtp_server.wait_for(1)
    (message,) = smtp_server.to(EMAIL)
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[-:\w]+/)", text_of(message))
    assert match, text_of(message)
    site.goto(match.group(1))
    site.check("confirm-email")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    if site.path() != reverse("network:application_status"):  # confirming does not log in: log in
        site.goto(reverse("account_login"))
        tab_to(page, "input[name=login]")
        page.keyboard.type(EMAIL)
        tab_to(page, "input[name=password]")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    page.wait_for_url(site.url(reverse("network:application_status")))
    assert page.get_by_role("heading", level=1).is_visible()
    site.check("waiting-for-approval")
