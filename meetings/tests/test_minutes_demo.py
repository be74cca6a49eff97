"""The demo's minutes (meetings/minutes/demo.py): published ones approved at the meeting after
them, the latest meeting's circulated with comments, nothing mailed, and a second run changes nothing."""

import pytest

import meetings.demo
import network.demo
from meetings.models import AgendaItem, Meeting, MeetingDocument, Minutes, MinutesComment, MinutesVersion
from network.models import Delivery

pytestmark = pytest.mark.django_db


def test_demo_minutes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    network.demo.seed()
    meetings.demo.seed()
    meetings.demo.seed_decisions()
    published = Minutes.objects.filter(status=Minutes.Status.PUBLISHED).select_related("meeting", "approved_at_meeting")
    assert published.count() >= 4
    for minutes in published:
        assert minutes.approved_at_meeting.starts_at > minutes.meeting.starts_at
        assert AgendaItem.objects.filter(meeting=minutes.approved_at_meeting, approves_minutes=minutes).exists()
        assert minutes.meeting.decisions.filter(agenda_item__isnull=False).exists()
    circulated = Minutes.objects.select_related("meeting").get(status=Minutes.Status.CIRCULATED)
    assert circulated.meeting.status == Meeting.Status.HELD
    assert not circulated.meeting.documents.filter(kind=MeetingDocument.Kind.MINUTES).exists()
    assert MinutesComment.objects.filter(minutes=circulated).count() == 2
    coming = Meeting.objects.filter(status="scheduled").order_by("starts_at").first()
    assert coming.agenda_items.filter(approves_minutes=circulated).exists()
    assert not Delivery.objects.filter(kind__startswith="meeting_minutes").exists()  # the demo mails nobody
    counts = (Minutes.objects.count(), MinutesVersion.objects.count(), MeetingDocument.objects.count())
    meetings.demo.seed()
    meetings.demo.seed_decisions()
    assert (Minutes.objects.count(), MinutesVersion.objects.count(), MeetingDocument.objects.count()) == counts
