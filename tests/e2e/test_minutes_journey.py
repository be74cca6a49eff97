"""Minutes as a document of the site (issue 27) in the browser: the host drafts the minutes of a held
meeting item by item and records a decision in place, circulates them; a participant comments;
once the deadline has passed the host approves and publishes them; the versions, a version's
changes and a year's series. Zero axe violations (WCAG 2.0/2.1 A and AA) in Swedish and English at
360 px and 1280 px, no sideways scroll."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")


def _held_meeting(host, participant):
    from meetings.models import Attendance, Meeting
    from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, ScheduledMeetingFactory

    start = timezone.now() - datetime.timedelta(days=3)
    meeting = ScheduledMeetingFactory(
        host=host,
        title="Höstmöte i Malmö",
        status=Meeting.Status.HELD,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        registration_deadline=None,
    )
    for position, title in enumerate(["Välkommen", "Verksamhetsplan 2027", "Nästa möte"], start=1):
        AgendaItemFactory(meeting=meeting, title=title, position=position)
    AttendanceFactory(meeting=meeting, member=participant, status=Attendance.Status.ATTENDING)
    ScheduledMeetingFactory(year=meeting.year + 1, title="Vårmöte i Umeå")  # where they are approved
    return meeting


def submit(site, selector: str = "main form[method=post] button[type=submit]") -> None:
    with site.page.expect_navigation():
        site.page.locator(selector).first.click()


def follow(site, selector: str) -> None:
    """Click a link and wait for the page it leads to (a check right after the click could otherwise
    still see the page it was on: the series' text was once not found)."""
    with site.page.expect_navigation():
        site.page.locator(selector).click()


@viewports
def test_minutes_from_draft_to_publication_accessible(site, world):
    from meetings.models import Decision, Minutes, MinutesComment
    from network.tests.factories import MemberFactory

    participant = MemberFactory(user__first_name="Erik", user__last_name="Johansson")
    meeting = _held_meeting(world.institution, participant)
    site.login(world.member.user)  # a member of the host institution: a host contact

    # Draft: started from the meeting's page.
    site.goto(meeting.get_absolute_url())
    site.check("meeting_minutes_panel", languages=BOTH)
    submit(site, "form[action$='/minutes/start/'] button[type=submit]")
    assert site.path() == reverse("meetings:minutes_edit", args=[meeting.pk])
    minutes = Minutes.objects.get(meeting=meeting)
    items = list(minutes.items.order_by("position"))
    site.check("minutes_edit", languages=BOTH)
    site.page.locator("textarea[name=introduction]").fill("Närvarande: se deltagarlistan.")
    site.page.locator(f"textarea[name=item_{items[1].pk}]").fill("Planen för 2027 presenterades och diskuterades.")
    submit(site)
    assert site.path() == minutes.get_absolute_url()
    site.check("minutes_draft", languages=BOTH)

    # A decision recorded in place, under its item.
    follow(site, f"a[href='{reverse('meetings:minutes_decision_add', args=[meeting.pk, items[1].pk])}']")
    site.check("minutes_decision_in_place", languages=BOTH)
    site.page.locator("textarea[name=text_sv]").fill("Nätverket antar verksamhetsplanen för 2027.")
    submit(site)
    assert Decision.objects.get(meeting=meeting).agenda_item == items[1].agenda_item
    assert site.page.locator(f"#minutes-item-{items[1].pk}").get_by_text("antar verksamhetsplanen").is_visible()

    # Circulated for comments, with a deadline.
    site.goto(reverse("meetings:minutes_circulate", args=[meeting.pk]))
    site.check("minutes_circulate", languages=BOTH)
    deadline = timezone.localtime() + datetime.timedelta(days=7)
    site.page.locator("input[name=comment_deadline]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    submit(site)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CIRCULATED

    # A participant comments on an item.
    site.page.context.clear_cookies()
    site.login(participant.user)
    site.goto(minutes.get_absolute_url())
    site.check("minutes_circulated_participant", languages=BOTH)
    follow(site, f"a[href$='?item={items[1].pk}']")
    site.check("minutes_comment", languages=BOTH)
    site.page.locator("textarea[name=text]").fill("Budgeten bör nämnas under § 2.")
    submit(site)
    assert MinutesComment.objects.get().item == items[1]

    # The deadline passes; the host approves, then publishes.
    Minutes.objects.filter(pk=minutes.pk).update(comment_deadline=timezone.now() - datetime.timedelta(minutes=1))
    site.page.context.clear_cookies()
    site.login(world.member.user)
    site.goto(minutes.get_absolute_url())
    assert site.page.get_by_text("Budgeten bör nämnas under § 2.").is_visible()
    submit(site, "button[name=action][value=approve]")
    site.check("minutes_approved", languages=BOTH)
    submit(site, "button[name=action][value=publish]")
    minutes.refresh_from_db()
    meeting.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED and meeting.status == "minutes_published"
    site.check("minutes_published", languages=BOTH)

    # Every version is kept; a version shows what changed.
    site.goto(reverse("meetings:minutes_versions", args=[meeting.pk]))
    site.check("minutes_versions", languages=BOTH)
    site.goto(reverse("meetings:minutes_version", args=[meeting.pk, 3]))
    assert site.page.locator(".minutes-diff ins").count() >= 1
    site.check("minutes_version_diff", languages=BOTH)

    # The year's series, for every member.
    site.goto(reverse("meetings:minutes_index"))
    site.check("minutes_index", languages=BOTH)
    follow(site, f"a[href='{reverse('meetings:minutes_series', args=[meeting.year])}']")
    assert site.page.get_by_text("Nätverket antar verksamhetsplanen för 2027.").first.is_visible()
    site.check("minutes_series", languages=BOTH)
