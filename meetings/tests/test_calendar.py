import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from meetings import selectors, services
from meetings.models import Meeting
from meetings.tests.factories import ScheduledMeetingFactory, in_days, winter_day_ahead
from meetings.views import _calendar_feed
from network.models import Member
from network.tests.factories import SteeringGroupSeatFactory

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def test_meeting_ics_round_trips_with_right_times(member_client, settings):
    settings.SITE_URL = "https://intranet.kloss-net.se"
    year = winter_day_ahead().year  # 10 and 11 March: CET, UTC+1
    meeting = ScheduledMeetingFactory(
        starts_at=datetime.datetime(year, 3, 10, 10, 0, tzinfo=STOCKHOLM),
        ends_at=datetime.datetime(year, 3, 11, 15, 0, tzinfo=STOCKHOLM),
        registration_deadline=None,
        venue="Aula Magna",
    )
    response = member_client.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = calendar.events[0]
    assert event.decoded("dtstart") == datetime.datetime(year, 3, 10, 9, 0, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(year, 3, 11, 14, 0, tzinfo=datetime.UTC)
    assert event["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert "Aula Magna" in str(event["location"])
    assert str(event["url"]) == f"https://intranet.kloss-net.se/meetings/{meeting.pk}/"
    assert str(event["uid"]) == f"meeting-{meeting.pk}@kloss-net.se"
    assert event["sequence"] == 0
    alarm = event.walk("VALARM")[0]
    assert alarm.decoded("trigger") == datetime.timedelta(days=-1)


def test_meeting_ics_sequence_increases_after_change(member_client):
    meeting = ScheduledMeetingFactory()
    services.meeting_schedule(
        meeting=meeting,
        by=None,
        starts_at=meeting.starts_at + datetime.timedelta(days=1),
        ends_at=meeting.ends_at + datetime.timedelta(days=1),
        venue="Ny lokal",
    )
    event = Calendar.from_ical(member_client.get(reverse("meetings:meeting_ics", args=[meeting.pk])).content).events[0]
    assert event["sequence"] == 1
    assert "Ny lokal" in str(event["location"])


def test_feed_with_token_lists_all_meetings_without_login(client, member):
    first, second = ScheduledMeetingFactory(), ScheduledMeetingFactory()
    response = client.get(reverse("meetings:calendar_feed", args=[member.calendar_token]))
    assert response.status_code == 200
    uids = {str(e["uid"]) for e in Calendar.from_ical(response.content).events}
    assert uids == {first.uid, second.uid}


def test_feed_with_wrong_or_revoked_token_404(client, member):
    ScheduledMeetingFactory()
    old = member.calendar_token
    assert client.get(reverse("meetings:calendar_feed", args=["forged" + old[6:]])).status_code == 404
    services.calendar_token_regenerate(member=member)
    assert client.get(reverse("meetings:calendar_feed", args=[old])).status_code == 404
    member.refresh_from_db()
    assert client.get(reverse("meetings:calendar_feed", args=[member.calendar_token])).status_code == 200


def test_feed_of_member_who_left_404(client, member):
    Member.objects.filter(pk=member.pk).update(status=Member.Status.LEFT)
    assert client.get(reverse("meetings:calendar_feed", args=[member.calendar_token])).status_code == 404


def held(days_ago: int, **kwargs) -> Meeting:
    return ScheduledMeetingFactory(
        status=Meeting.Status.MINUTES_PUBLISHED, starts_at=in_days(-days_ago), ends_at=in_days(-days_ago, 15), **kwargs
    )


def feed_uids(client, member) -> set[str]:
    response = client.get(reverse("meetings:calendar_feed", args=[member.calendar_token]))
    assert response.status_code == 200
    return {str(e["uid"]) for e in Calendar.from_ical(response.content).events}


def test_feed_holds_the_last_two_years_and_everything_to_come(client, member_client, member):
    """Its size does not grow with the network's history: three years ago is out, one year ago is
    in, and so is every coming meeting (however far off); the old meeting's own .ics still works."""
    old, last_year = held(3 * 365), held(365)
    edge_in, edge_out = held(2 * 365 - 2), held(2 * 365 + 2)
    coming = [ScheduledMeetingFactory(starts_at=in_days(days), ends_at=in_days(days, 15)) for days in (1, 200, 3000)]
    uids = feed_uids(client, member)
    assert uids == {last_year.uid, edge_in.uid, *(m.uid for m in coming)}
    assert old.uid not in uids and edge_out.uid not in uids
    ics = member_client.get(reverse("meetings:meeting_ics", args=[old.pk]))
    assert ics.status_code == 200
    assert [str(e["uid"]) for e in Calendar.from_ical(ics.content).events] == [old.uid]


def test_feed_window_starts_two_years_back_at_midnight_in_stockholm():
    now = datetime.datetime(2028, 2, 29, 12, 0, tzinfo=STOCKHOLM)
    assert selectors.calendar_window_start(now) == datetime.datetime(2026, 2, 28, 0, 0, tzinfo=STOCKHOLM)
    now = datetime.datetime(2026, 12, 3, 0, 30, tzinfo=STOCKHOLM)
    assert selectors.calendar_window_start(now) == datetime.datetime(2024, 12, 3, 0, 0, tzinfo=STOCKHOLM)


def test_steering_feed_keeps_its_visibility_within_the_window(client, member):
    seat = SteeringGroupSeatFactory(starts_on=datetime.date(2020, 1, 1)).member
    recent = held(100, kind=Meeting.Kind.STEERING, host=None)
    old = held(4 * 365, kind=Meeting.Kind.STEERING, host=None)
    network = held(100)
    assert feed_uids(client, member) == {network.uid}
    assert feed_uids(client, seat) == {network.uid, recent.uid}
    assert old.uid not in feed_uids(client, seat)


def test_feed_builder_costs_one_query_and_does_not_grow_with_history():
    """As the years go by (two meetings a year, back in time), the feed stays one query and the
    same body."""
    held(30)
    ScheduledMeetingFactory()

    def build():
        with CaptureQueriesContext(connection) as captured:
            etag, body = _calendar_feed(steering=True)
        return len(captured), body

    queries, body = build()
    for years in range(3, 23):
        held(years * 365)
        held(years * 365 + 180)
    assert build() == (1, body) and queries == 1


def test_calendar_page_says_what_the_feed_holds(member_client):
    page = member_client.get(reverse("meetings:calendar")).content.decode()
    # In Swedish (every test starts in it) once the catalogue has the sentence, in English until then.
    assert "senaste 2 åren och alla kommande möten" in page or "last 2 years and every meeting to come" in page
