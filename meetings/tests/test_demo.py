import datetime

import pytest
from django.utils import timezone

import meetings.demo
import network.demo
from meetings.models import Attendance, Meeting, MeetingDocument

pytestmark = pytest.mark.django_db


def test_demo_seed_history_plan_and_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    network.demo.seed()
    meetings.demo.seed()
    counts = (Meeting.objects.count(), MeetingDocument.objects.count(), Attendance.objects.count())
    meetings.demo.seed()
    assert (Meeting.objects.count(), MeetingDocument.objects.count(), Attendance.objects.count()) == counts

    first = Meeting.objects.filter(starts_at__isnull=False).order_by("starts_at").first()
    assert first.host.short_name == "KTH"
    assert first.starts_at.date() == datetime.date(2017, 3, 8)
    past = Meeting.objects.filter(status=Meeting.Status.MINUTES_PUBLISHED)
    assert past.count() >= 19
    assert all(m.documents.filter(kind="minutes").exists() for m in past)
    assert Attendance.objects.filter(meeting__in=past).exists()
    future = Meeting.objects.filter(status__in=["proposed", "confirmed", "scheduled"])
    assert future.count() >= 8
    assert future.filter(status="scheduled").count() == 1
    hosts = [m.host_id for m in Meeting.objects.order_by("year", "-season")]
    assert all(a != b for a, b in zip(hosts, hosts[1:], strict=False))


def test_demo_decisions_and_actions_on_past_meetings(settings, tmp_path):
    from meetings.models import Action, Decision

    settings.MEDIA_ROOT = tmp_path
    network.demo.seed()
    meetings.demo.seed()
    meetings.demo.seed_decisions()
    counts = (Decision.objects.count(), Action.objects.count())
    meetings.demo.seed_decisions()
    assert (Decision.objects.count(), Action.objects.count()) == counts
    assert counts[0] >= 6 and counts[1] >= 6
    # Only on meetings that have taken place.
    assert not Decision.objects.exclude(meeting__status__in=["held", "minutes_published"]).exists()
    open_actions = Action.objects.filter(status="open")
    assert open_actions.exists() and Action.objects.filter(status="done").exists()
    # The latest meeting's open actions are followed up at the next meeting, and one is Anna's.
    coming = Meeting.objects.filter(status="scheduled").order_by("starts_at").first()
    from meetings.selectors import actions_to_follow_up

    assert set(actions_to_follow_up(coming)) == set(open_actions)
    assert open_actions.filter(owner_member__user__email="anna.lind@kth.example.org").exists()
    # Who actually came is marked on those meetings: the dashboard's register has marks.
    from meetings.selectors import participation_register

    register = participation_register()
    assert all(register.marked) and any(any(row.present) for row in register.rows)


def test_demo_meetings_fall_on_weekdays_every_day_of_them(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    network.demo.seed()
    meetings.demo.seed()
    dated = list(Meeting.objects.exclude(starts_at=None).order_by("starts_at"))
    assert len(dated) >= 20 and {m.kind for m in dated} >= {Meeting.Kind.NETWORK}
    assert any(m.ends_at.date() > m.starts_at.date() for m in dated)  # the two-day autumn meetings are checked too
    for meeting in dated:
        first, last = timezone.localdate(meeting.starts_at), timezone.localdate(meeting.ends_at or meeting.starts_at)
        days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
        weekend = [day for day in days if day.weekday() >= 5]
        assert not weekend, f"{meeting} ({meeting.get_kind_display()}) falls on {weekend}"


def test_demo_next_steering_meeting_has_an_open_date_poll_answered_by_some_seats(settings, tmp_path):
    from meetings.models import DatePoll, DatePollAnswer
    from meetings.polls.selectors import poll_non_responders

    settings.MEDIA_ROOT = tmp_path
    network.demo.seed()
    meetings.demo.seed()
    meetings.demo.seed()  # idempotent
    (poll,) = DatePoll.objects.all()
    assert poll.is_open and poll.meeting.kind == Meeting.Kind.STEERING and poll.meeting.status == "confirmed"
    assert poll.created_by.email == "erik.johansson@liu.example.org"  # the chair proposed it
    assert poll.slots.count() == 3 and all(s.starts_at.weekday() < 5 for s in poll.slots.all())
    assert timezone.now() < poll.answers_until < poll.slots.first().starts_at
    assert DatePollAnswer.objects.filter(member__user__email="anna.lind@kth.example.org").count() == 3
    assert poll_non_responders(poll).exists()  # someone to remind
