"""One date format per language, in pages and emails (network/language/dates.py, kloss_site/formats)."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from network.language import dates

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
START = datetime.datetime(2027, 3, 12, 9, 30, tzinfo=STOCKHOLM)
ONE_DAY = START.replace(hour=16, minute=0)
TWO_DAYS = START + datetime.timedelta(days=1, hours=5, minutes=30)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["12 March 2027", "Friday 12 March 2027, 09:30–16:00", "12 March 2027, 09:30"]),
        ("sv", ["12 mars 2027", "fredag 12 mars 2027, 09.30–16.00", "12 mars 2027, 09.30"]),
    ],
)
def test_one_format_per_language(language, expected):
    with translation.override(language):
        assert [dates.day(START.date()), dates.span(START, ONE_DAY), dates.moment(START)] == expected
        # a bare date in a template agrees with the helper (the formats module of the language)
        assert Template("{{ d }}|{{ d|date }}|{{ d|day }}").render(Context({"d": START.date()})) == "|".join(
            [expected[0]] * 3
        )


def test_a_two_day_meeting_shows_both_days():
    with translation.override("en"):
        assert dates.span(START, TWO_DAYS) == "Friday 12 March 2027, 09:30 – Saturday 13 March 2027, 15:00"
    with translation.override("sv"):
        assert dates.span(START, TWO_DAYS) == "fredag 12 mars 2027, 09.30 – lördag 13 mars 2027, 15.00"


def test_utc_datetimes_are_shown_in_stockholm_time():
    utc = datetime.datetime(2027, 3, 12, 8, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert dates.clock(utc) == "09:30"


@pytest.mark.django_db
def test_meeting_page_shows_a_one_day_meeting_date_once(member_client):
    from meetings.tests.factories import ScheduledMeetingFactory

    meeting = ScheduledMeetingFactory(starts_at=START, ends_at=ONE_DAY, year=2027)
    page = member_client.get(
        reverse("meetings:meeting_detail", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Friday 12 March 2027, 09:30–16:00" in page
    assert page.count("12 March 2027") == 1 + page.count("Registration deadline</dt><dd>12 March 2027")


@pytest.mark.django_db
def test_reporting_round_deadline_has_the_same_format_as_meetings(staff_client):
    from projects.models import ReportingRound

    round_ = ReportingRound.objects.create(title="Vårrundan", deadline=datetime.date(2026, 4, 24))
    page = staff_client.get(round_.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "24 April 2026" in page
    assert "April 24, 2026" not in page
