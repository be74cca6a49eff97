"""Errors are announced and tied to their fields on every form (WCAG 2.4.2, 3.3.1, 4.1.3): the error
summary (`role="alert"`, focused on load) holds the form-wide errors and links to each field with an
error; each invalid field is `aria-invalid` and described by its error (a radio group: its fieldset);
the title says "Error:" (network/language/forms_renderer.py, network/templatetags/form_errors.py). The four
forms a keyboard-only run found wanting: the log-in, its TOTP step, the answer to an invitation, an
agenda item."""

import datetime
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Attendance
from meetings.tests.factories import ScheduledMeetingFactory, host_contact_of
from network.tests.factories import PASSWORD, TOTP_SECRET, MemberFactory, StaffUserFactory, activate_totp, login
from tests.support.html import Page

pytestmark = pytest.mark.django_db

SITE = {"en": "KLOSS-Net intranet", "sv": "KLOSS-Nets intranät"}


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def described_by(element) -> list[str]:
    return (element.get("aria-describedby") or "").split()


def summary_of(page: Page):
    """The form's error summary: announced (role=alert) and taking the focus when the page opens."""
    summary = page.by_id("form-errors")
    assert summary is not None, "no error summary"
    assert summary.get("role") == "alert"
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None
    assert len(page.find_all(autofocus=True)) == 1, "a field's autofocus would take the focus from the summary"
    return summary


def test_login_with_a_wrong_password_is_announced_and_tied_to_the_fields(client):
    member = MemberFactory()
    english(client)
    form_page = Page(client.get(reverse("account_login")).content)
    assert form_page.title.startswith("Sign In")  # control: no error yet, nothing marked
    assert form_page.by_id("form-errors") is None and form_page.find(aria_invalid="true") is None

    response = client.post(reverse("account_login"), {"login": member.user.email, "password": "not-" + PASSWORD})

    assert response.status_code == 200
    page = Page(response.content)
    assert page.title == f"Error: Sign In · {SITE['en']}"
    summary = summary_of(page)
    assert "password you specified are not correct" in summary.text
    for name in ("login", "password"):
        field = page.find("input", name=name)
        assert field.get("aria-invalid") == "true", name
        assert "form-errors" in described_by(field), name
    assert "id_password_helptext" in described_by(page.find("input", name="password"))  # its help stays
    assert page.find("input", name="remember").get("aria-invalid") is None  # not what was wrong


def test_login_error_title_in_swedish(client):
    member = MemberFactory()

    response = client.post(reverse("account_login"), {"login": member.user.email, "password": "not-" + PASSWORD})

    page = Page(response.content)
    assert page.title.startswith("Fel: ") and page.title.endswith(SITE["sv"])
    assert summary_of(page).text


def wrong_code() -> str:
    """A code allauth refuses: not the current period's (it accepts no other)."""
    current = int(format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30)))
    return f"{(current + 500_000) % 1_000_000:06d}"


def test_totp_step_has_its_own_title_and_a_wrong_code_is_announced(client):
    staff = StaffUserFactory()
    activate_totp(staff)
    english(client)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    step = Page(client.get(reverse("mfa_authenticate")).content)
    assert step.title == f"Two-factor authentication · {SITE['en']}"
    assert step.by_id("form-errors") is None  # control

    response = client.post(reverse("mfa_authenticate"), {"code": wrong_code()})

    assert response.status_code == 200
    page = Page(response.content)
    assert page.title == f"Error: Two-factor authentication · {SITE['en']}"
    code = page.find("input", name="code")
    assert code.get("aria-invalid") == "true"
    error_id = f"{code.get('id')}_error"
    assert error_id in described_by(code)
    assert page.by_id(error_id) is not None and "Incorrect code" in page.by_id(error_id).text
    summary = summary_of(page)
    assert "Incorrect code" in summary.text
    assert page.find("a", href=f"#{code.get('id')}") in [a for a in page.find_all("a") if summary in a.ancestors()]


def test_totp_step_title_in_swedish(client):
    staff = StaffUserFactory()
    activate_totp(staff)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})

    page = Page(client.get(reverse("mfa_authenticate")).content)

    assert page.title == f"Tvåfaktorsautentisering · {SITE['sv']}"
    assert page.find("h1") is not None


def test_answer_saved_empty_ties_the_error_to_the_radio_group(client):
    meeting = ScheduledMeetingFactory()
    login(client, MemberFactory().user)
    english(client)
    url = reverse("meetings:attendance", args=[meeting.pk])
    assert Page(client.get(url).content).find("input", type="radio", aria_invalid="true") is None  # control

    response = client.post(url, {"dietary_needs": "", "remarks": ""})

    assert response.status_code == 200 and not Attendance.objects.exists()
    page = Page(response.content)
    assert page.title.startswith("Error: Your answer")
    radios = page.find_all("input", type="radio", name="attending")
    assert len(radios) == 2
    assert all(radio.get("aria-invalid") == "true" for radio in radios)
    fieldset = next(element for element in radios[0].ancestors() if element.tag == "fieldset")
    assert "id_attending_error" in described_by(fieldset)
    assert "This field is required" in page.by_id("id_attending_error").text
    summary = summary_of(page)
    assert "Will you attend?" in summary.text
    link = next(a for a in page.find_all("a") if summary in a.ancestors())
    assert link.get("href") == f"#{radios[0].get('id')}"
    assert page.find("input", name="dietary_needs").get("aria-invalid") is None  # only what is wrong


def test_agenda_item_error_is_announced_and_tied_to_its_field(client):
    meeting = ScheduledMeetingFactory()
    login(client, host_contact_of(meeting).user)
    english(client)

    response = client.post(reverse("meetings:agenda_item_add", args=[meeting.pk]), {"title": "", "presenter": "Anna"})

    assert response.status_code == 200 and not AgendaItem.objects.exists()
    page = Page(response.content)
    assert page.title.startswith("Error: Add an agenda item")
    title = page.find("input", name="title")
    assert title.get("aria-invalid") == "true" and "id_title_error" in described_by(title)
    summary = summary_of(page)
    assert "Title" in summary.text and "This field is required" in summary.text
    assert page.find("input", name="presenter").get("aria-invalid") is None


def test_agenda_item_refused_by_the_meeting_is_a_form_wide_error_tied_to_the_fields(client):
    """A refusal that belongs to no field (the service's) is in the summary, and every field points at it."""
    meeting = ScheduledMeetingFactory()
    login(client, host_contact_of(meeting).user)
    english(client)
    late = timezone.localtime(meeting.ends_at + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        reverse("meetings:agenda_item_add", args=[meeting.pk]), {"title": "Middag", "starts_at": late}
    )

    page = Page(response.content)
    summary = summary_of(page)
    assert summary.text
    field = page.find("input", name="title")
    assert field.get("aria-invalid") == "true" and "form-errors" in described_by(field)
