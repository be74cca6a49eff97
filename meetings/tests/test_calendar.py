import datetime
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.tests.factories import ScheduledMeetingFactory
from network.models import Member

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def test_meeting_ics_round_trips_with_right_times(member_client, settings):
    settings.SITE_URL = "https://intranet.kloss-net.se"
    meeting = ScheduledMeetingFactory(
        starts_at=datetime.datetime(2031, 3, 10, 10, 0, tzinfo=STOCKHOLM),
        ends_at=datetime.datetime(2031, 3, 11, 15, 0, tzinfo=STOCKHOLM),
        registration_deadline=None,
        venue="Aula Magna",
    )
    response = member_client.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = calendar.events[0]
    assert event.decoded("dtstart") == datetime.datetime(2031, 3, 10, 9, 0, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(2031, 3, 11, 14, 0, tzinfo=datetime.UTC)
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
