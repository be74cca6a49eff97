import datetime

import pytest

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
