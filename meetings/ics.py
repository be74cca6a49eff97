"""iCalendar output: one meeting's .ics and a member's feed of the recent and coming meetings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from .models import Meeting

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//KLOSS-Net//Meetings//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    return calendar


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", meeting.ends_at.astimezone(STOCKHOLM))
    host = meeting.host.name if meeting.host else ""
    event.add("summary", f"KLOSS-Net: {meeting.display_title}" + (f" ({host})" if host else ""))
    location = ", ".join(part for part in [meeting.venue, meeting.address.replace("\n", ", ")] if part)
    if meeting.format == Meeting.Format.ONLINE:
        location = meeting.video_link or _("Online")
    if location:
        event.add("location", location)
    url = settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
    event.add("url", url)
    description = [_("Hosted by %(host)s.") % {"host": host}] if host else []
    if meeting.is_online and meeting.video_link:
        # RFC 7986: calendar apps show a "join" button; the description says it for the others.
        event.add("conference", meeting.video_link, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
        description.append(_("Join online: %(link)s") % {"link": meeting.video_link})
    if meeting.practical_information:
        description.append(meeting.practical_information)
    description.append(url)
    event.add("description", "\n\n".join(description))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if not meeting.is_cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("KLOSS-Net meeting tomorrow"))
        alarm.add("trigger", datetime.timedelta(days=-1))
        event.add_component(alarm)
    return event


def meetings_calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    calendar = _calendar(name)
    for meeting in meetings:
        if meeting.starts_at and meeting.ends_at:
            calendar.add_component(_event(meeting))
    calendar.add_missing_timezones()  # the VTIMEZONE of Europe/Stockholm
    return calendar.to_ical()
