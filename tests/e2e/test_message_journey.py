"""Journey: the secretariat writes to the members of one institution, watches the recipient count
follow the filters (the page's script, under the site's CSP), previews the email in both languages
and sends it once; the record shows the deliveries. Every page passes axe at phone and desktop width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from network.models import Delivery, Message

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@viewports
def test_secretariat_writes_previews_and_sends_once(site, world):
    page = site.page
    site.login(world.staff)
    site.set_language("en")
    site.goto(reverse("home"))
    page.locator(f"main a[href='{reverse('network:message_create')}']").first.click()
    page.wait_for_url(f"**{reverse('network:message_create')}")
    count = page.locator("#recipient-count")
    assert "6 members will get this message." in count.inner_text()  # everyone active in the world
    site.check("compose")

    # Tick one institution: the count follows without a reload (4 members of MAU; the applicant left out).
    page.get_by_label("Malmö universitet").check()
    expect(count).to_contain_text("4 members will get this message.")
    assert "waiting for approval: 1" in count.inner_text()

    page.locator("input[name=subject_sv]").fill("Höstmötet")
    page.locator("textarea[name=body_sv]").fill("Hej!\nVälkomna till höstmötet.")
    page.locator("input[name=subject_en]").fill("The autumn meeting")
    page.locator("textarea[name=body_en]").fill("Hello!\nWelcome to the autumn meeting.")
    with page.expect_navigation():
        page.locator("button[name=action][value=preview]").click()
    assert "4 recipients" in page.locator("main h2").first.inner_text()
    assert page.locator("iframe.email-preview").count() == 2
    expect(page.frame_locator("iframe.email-preview").nth(1).locator("body")).to_contain_text("Welcome to the autumn")
    site.check("preview")

    send = page.locator("button[name=action][value=send]")
    # The preview's form as it is now, to send it a second time below.
    preview_form = page.locator("form:has(button[name=action][value=send])").evaluate("form => form.outerHTML")
    send.scroll_into_view_if_needed()  # headless Chromium misplaces the click below the framed previews otherwise
    with page.expect_navigation():
        send.click()
    message = Message.objects.get()
    assert site.path() == message.get_absolute_url()
    assert "The message is on its way to 4 members." in page.locator(".messages").inner_text()
    assert Delivery.objects.filter(kind="member_message").count() == 4
    site.check("sent")

    # The same submission sent again (a second click, a resent form) mails nobody twice. The browser
    # keeps no copy of the preview to go back to (private pages are sent no-store), so the form it
    # showed is put back into the page and sent again, token and all.
    page.evaluate(
        """([html, action]) => {
            const holder = document.createElement("div");
            holder.id = "resent";
            holder.innerHTML = html;
            holder.querySelector("form").action = action;
            document.querySelector("main").append(holder);
        }""",
        [preview_form, reverse("network:message_create")],
    )
    again = page.locator("#resent button[name=action][value=send]")
    again.scroll_into_view_if_needed()
    with page.expect_navigation():
        again.click()
    assert "already been sent" in page.locator(".messages").inner_text()
    assert Message.objects.count() == 1 and Delivery.objects.filter(kind="member_message").count() == 4


@viewports
def test_host_writes_to_those_attending_her_meeting(site, world):
    from meetings.models import Attendance
    from meetings.tests.factories import AttendanceFactory, ScheduledMeetingFactory

    page = site.page
    meeting = ScheduledMeetingFactory(host=world.institution, title="Vårmöte i Malmö")
    host = world.member  # a member of the host institution
    AttendanceFactory(meeting=meeting, status=Attendance.Status.ATTENDING)
    AttendanceFactory(meeting=meeting, status=Attendance.Status.ATTENDING)
    AttendanceFactory(meeting=meeting, status=Attendance.Status.NOT_ATTENDING)
    site.login(host.user)
    site.set_language("en")
    site.goto(meeting.get_absolute_url())
    page.locator(f"a[href='{reverse('meetings:meeting_message', args=[meeting.pk])}']").click()
    page.wait_for_url(f"**{reverse('meetings:meeting_message', args=[meeting.pk])}")
    assert "3 members will get this message." in page.locator("#recipient-count").inner_text()
    site.check("host-compose")
    page.get_by_label("Answer to the invitation").select_option("attending")
    expect(page.locator("#recipient-count")).to_contain_text("2 members will get this message.")
    page.locator("input[name=subject_sv]").fill("Parkering")
    page.locator("textarea[name=body_sv]").fill("Parkera vid huvudentrén.")
    with page.expect_navigation():
        page.locator("button[name=action][value=preview]").click()
    assert "Written in Swedish only" in page.locator("main").inner_text()
    site.check("host-preview")
    send = page.locator("button[name=action][value=send]")
    send.scroll_into_view_if_needed()
    with page.expect_navigation():
        send.click()
    message = Message.objects.get()
    assert (message.scope, message.recipients.count()) == (meeting, 2)
    site.check("host-sent")
