"""Calendar subscription link and where the rotation planner starts."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from meetings import selectors
from meetings.models import Meeting
from meetings.tests.factories import MeetingFactory
from network.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def test_open_in_calendar_app_offers_a_webcal_subscription(member_client, member):
    page = member_client.get(reverse("meetings:calendar"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    token = member.calendar_token
    # The test client speaks http://: the subscription link is webcal:// all the same.
    assert re.search(rf'<a href="webcal://testserver/[^"]*{token}\.ics">Open in your calendar app</a>', page)


def _held(year: int, season: str, day: datetime.date, host) -> Meeting:
    start = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=STOCKHOLM)
    return MeetingFactory(
        year=year,
        season=season,
        host=host,
        status=Meeting.Status.MINUTES_PUBLISHED,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )


def test_planner_starts_after_this_half_years_meeting_once_it_is_held():
    today = datetime.date(2030, 12, 3)
    host = InstitutionFactory(joined_on=datetime.date(2017, 3, 8))
    InstitutionFactory(joined_on=datetime.date(2017, 3, 8))
    _held(2030, "autumn", datetime.date(2030, 10, 8), host)
    assert selectors.first_unplanned_slot(today) == (2031, 0)
    preview = selectors.rotation_preview(count=3, today=today)
    assert [row.slot for row in preview] == [(2031, 0), (2031, 1), (2032, 0)]
    assert preview[0].host.pk != host.pk  # the held meeting counts as the previous host
    assert [m.slot for m in selectors.rotation_plan_page(today)] == []


def test_planner_starts_at_this_half_year_while_its_meeting_is_ahead():
    today = datetime.date(2030, 9, 1)
    host = InstitutionFactory(joined_on=datetime.date(2017, 3, 8))
    _held(2030, "spring", datetime.date(2030, 3, 8), host)
    assert selectors.first_unplanned_slot(today) == (2030, 1)
