"""Journey 1: a newcomer signs up with the keyboard alone, opens the verification link from the email
(a real SMTP server receives it), confirms, logs in and is told her application waits for the
secretariat. The secretariat logs in through allauth's real form, including the TOTP step (the admin
requires a second factor), and approves her in the admin; she gets the approval email, logs in and
sees the member home page. Every page on the way passes axe, the admin's pages included."""

import re

import pytest
from django.urls import reverse

from network.models import Member
from network.tests.factories import PASSWORD
from tests.support.totp import fresh_totp_code

from .conftest import tab_to, viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # the root conftest's staff_user fixture activates this one

EMAIL = "karin.holm@mau.se"


def text_of(message) -> str:
    """The plain-text body of an email (the text/plain part of a multipart message)."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the email has no text/plain part")


@viewports
def test_newcomer_signs_up_is_approved_in_admin_and_sees_home(site, world, smtp_server, staff_user):
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

    # The secretariat: allauth's login form, then the authenticator code, then the admin.
    page.context.clear_cookies()
    site.login_with_form(staff_user.email, PASSWORD)
    assert site.path().startswith(reverse("mfa_authenticate")), site.path()
    site.check("staff-totp-step")
    page.locator("input[name=code]").fill(fresh_totp_code(STAFF_TOTP_SECRET))  # waits for a fresh period
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()  # the second one cancels
    assert not site.path().startswith(reverse("mfa_authenticate")), page.locator("main").inner_text()[:800]

    site.goto(reverse("admin:index"))
    assert site.path() == reverse("admin:index"), site.path()
    site.check("admin-index")
    site.goto(reverse("admin:network_member_changelist") + "?status__exact=applicant")
    site.check("admin-applications", languages=("sv", "en"))
    newcomer = Member.objects.get(user__email=EMAIL)
    page.locator(f"input[name=_selected_action][value='{newcomer.pk}']").check()
    page.locator("select[name=action]").select_option("approve")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    newcomer.refresh_from_db()
    assert newcomer.status == Member.Status.APPROVED
    assert page.locator(".messagelist .success").is_visible()
    site.check("admin-approved")

    # She is told by email, logs in and lands on her home page.
    smtp_server.wait_for(2)
    assert len(smtp_server.to(EMAIL)) == 2
    page.context.clear_cookies()
    site.login_with_form(EMAIL, PASSWORD)
    page.wait_for_url(site.url(reverse("home")))
    assert "Karin" in page.get_by_role("heading", level=1).inner_text()
    site.check("home-after-approval")
