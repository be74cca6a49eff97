"""The meetings list on a phone (issue 24): the coming meetings first, each a card that shows its host,
venue and status (no column scrolled out of sight), and the past paged, so the page stays short however
many meetings the network has held. Axe clean in both languages; screenshots in test-results/."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.tests.factories import ScheduledMeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

phone = pytest.mark.parametrize("width", [360], ids=["phone"], indirect=True)


@phone
def test_meeting_list_on_a_phone_shows_host_venue_and_status_and_stays_short(site, world):
    ScheduledMeetingFactory(title="Vårmöte i Malmö", host=world.institution, venue="Niagara, Malmö")
    for year in range(1990, 2020):  # thirty meetings held: three pages of the past
        ScheduledMeetingFactory(
            title=f"Möte {year}",
            year=year,
            host=world.institution,
            status=Meeting.Status.MINUTES_PUBLISHED,
            starts_at=datetime.datetime(year, 3, 8, 9, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(year, 3, 8, 16, tzinfo=datetime.UTC),
        )
    site.login(world.member.user)
    site.goto(reverse("meetings:meeting_list"))
    site.check("meeting-list-phone", languages=("sv", "en"))  # axe, no sideways scroll, screenshots
    page = site.page

    card = page.locator("tr", has=page.get_by_role("link", name="Vårmöte i Malmö"))
    expected = {"Host": "Malmö universitet", "Venue": "Niagara, Malmö", "Status": "Scheduled"}
    for label, text in expected.items():
        cell = card.locator(f'td[data-label="{label}"]')
        assert cell.is_visible(), label
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= site.width, (label, box)  # on screen, not scrolled away
        assert text in cell.inner_text(), (label, cell.inner_text())
        # The cell names its column on the card itself.
        before = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert label in before, (label, before)

    # Coming first: the coming meeting's card is above the past meetings.
    assert card.bounding_box()["y"] < page.locator("#past").bounding_box()["y"]
    # The past is paged: ten cards, and the page is a few screens, not every meeting since 1990.
    past_cards = page.locator("#past ~ .table-scroll tbody tr")
    assert past_cards.count() == 10
    assert page.get_by_role("navigation", name="Pages").is_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height
