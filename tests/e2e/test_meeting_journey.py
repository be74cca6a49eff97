"""Journey 2: a host contact accepts hosting, schedules the meeting, adds an agenda item and uploads a
document; a member answers the invitation with the keyboard alone and downloads the .ics.
Every page on the way passes axe; the meeting page in both languages."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting
from meetings.tests.factories import in_days
from network.tests.factories import MemberFactory

from .conftest import tab_to, viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")


def local(value: datetime.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


@viewports
def test_host_schedules_and_member_answers_with_keyboard(site, world, tmp_path):
    page = site.page
    meeting = Meeting.objects.create(
        year=timezone.localdate().year + 1, season=Meeting.Season.SPRING, host=world.institution
    )
    host = MemberFactory(institution=world.institution, user__first_name="Erik", user__last_name="Sand")

    # The host contact: from her home page to the hosting request.
    site.login(host.user)
    site.goto(reverse("home"))
    site.check("host-home")
    page.locator(f"a[href='{reverse('meetings:meeting_hosting', args=[meeting.pk])}']").first.click()
    site.check("hosting-form")
    page.locator("input[name=decision][value=accept]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED
    site.check("hosting-accepted")

    # Schedule: date, place, registration deadline.
    page.locator(f"a[href='{reverse('meetings:meeting_schedule', args=[meeting.pk])}']").first.click()
    page.locator("input[name=title]").fill("Vårmöte i Malmö")
    page.locator("input[name=starts_at]").fill(local(in_days(40, 10)))
    page.locator("input[name=ends_at]").fill(local(in_days(41, 15)))
    page.locator("input[name=venue]").fill("Niagara")
    page.locator("textarea[name=address]").fill("Nordenskiöldsgatan 1\nMalmö")
    page.locator("input[name=registration_deadline]").fill(local(in_days(30, 12)))
    site.check("schedule-form")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED, page.locator("main").inner_text()[:1500]

    # An agenda item.
    page.locator(f"a[href='{reverse('meetings:agenda_item_add', args=[meeting.pk])}']").click()
    page.locator("input[name=title]").fill("Samverkan med civilsamhället")
    page.locator("input[name=presenter]").fill("Erik Sand")
    site.check("agenda-form")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("ol.agenda strong", has_text="Samverkan med civilsamhället").is_visible()

    # A document.
    document = tmp_path / "dagordning.txt"
    document.write_text("Dagordning för vårmötet\n", encoding="utf-8")
    page.locator(f"a[href='{reverse('meetings:document_upload', args=[meeting.pk])}']").click()
    page.locator("select[name=kind]").select_option(index=0)
    page.locator("input[name=title]").fill("Dagordning")
    page.locator("input[name=file]").set_input_files(str(document))
    site.check("document-form")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.get_by_role("link", name="Dagordning", exact=True).is_visible()
    site.check("meeting-for-host")

    # The member: home page -> the invitation, answered with the keyboard alone.
    page.context.clear_cookies()
    site.login(world.member.user)
    site.goto(reverse("home"))
    assert page.get_by_role("link", name="Vårmöte i Malmö").first.is_visible()
    site.check("member-home")
    site.goto(meeting.get_absolute_url())
    site.check("meeting", languages=BOTH)
    site.set_language("sv")
    site.goto(reverse("meetings:attendance", args=[meeting.pk]))
    tab_to(page, "input[name=attending]")
    # Radio buttons: the arrow keys move between "yes" and "no" and select as they go.
    if not page.locator("input[name=attending][value=yes]").is_checked():
        page.keyboard.press("ArrowDown")
        if not page.locator("input[name=attending][value=yes]").is_checked():
            page.keyboard.press("ArrowUp")
    assert page.locator("input[name=attending][value=yes]").is_checked()
    tab_to(page, "input[name=dietary_needs]")
    page.keyboard.type("Vegetariskt")
    site.check("rsvp-filled")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    attendance = Attendance.objects.get(meeting=meeting, member=world.member)
    assert attendance.status == Attendance.Status.ATTENDING
    assert attendance.dietary_needs == "Vegetariskt"
    assert page.get_by_role("alert").or_(page.locator(".message-success")).first.is_visible()
    site.check("rsvp-done")

    # The .ics: a real download through the link on the meeting page.
    with page.expect_download() as info:
        page.locator(f"a[href='{reverse('meetings:meeting_ics', args=[meeting.pk])}']").click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    content = Path(download.path()).read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in content and "BEGIN:VEVENT" in content
    assert "Vårmöte i Malmö" in content.replace("\r\n ", "")
    assert "Niagara" in content
    assert in_days(40, 10).strftime("%Y%m%d") in content

    # Her home page now shows her answer.
    site.goto(reverse("home"))
    assert page.get_by_text("Du har svarat").or_(page.get_by_text("You answered")).first.is_visible()
    site.check("member-home-answered")
