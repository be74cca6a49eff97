"""Date polls for tests: made through the service, as the site makes them."""

import datetime

from meetings.models import DatePoll, Meeting
from meetings.polls import services
from meetings.tests.factories import MeetingFactory, in_days


def confirmed_meeting(**kwargs) -> Meeting:
    """A meeting whose host has accepted and that has no date yet: dates may be proposed."""
    return MeetingFactory(status=Meeting.Status.CONFIRMED, venue="Aula Magna", **kwargs)


def steering_meeting_awaiting_date(**kwargs) -> Meeting:
    return MeetingFactory(
        status=Meeting.Status.CONFIRMED,
        kind=Meeting.Kind.STEERING,
        host=None,
        format=Meeting.Format.ONLINE,
        video_link="https://meet.example.org/styrgruppen",
        title="Styrgruppsmöte",
        **kwargs,
    )


def slot_times(count: int = 3, first_day: int = 30) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """`count` times a week apart, 10:00-12:00 Swedish time, from `first_day` days ahead."""
    return [(in_days(first_day + 7 * n, 10), in_days(first_day + 7 * n, 12)) for n in range(count)]


def open_poll(meeting: Meeting, *, by=None, count: int = 3, answers_until=None) -> DatePoll:
    return services.date_poll_open(
        meeting=meeting,
        by=by,
        slots=slot_times(count),
        answers_until=answers_until or in_days(10, 17),
        note="Välj de tider som passar.",
    )
