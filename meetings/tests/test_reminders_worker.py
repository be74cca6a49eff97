"""A meeting reminder through the real thing: the sweep in this process, a real Celery worker on the
configured broker, and a real SMTP server."""

import datetime
import time

from meetings import services
from meetings.models import Meeting
from meetings.tests.factories import MeetingFactory, in_days
from network.models import Delivery
from network.reminders import DELIVERY_HEADER, reminders_sweep
from network.tests.factories import MemberFactory


def test_invitation_reaches_the_smtp_server_through_a_real_worker_with_its_ics(smtp_server, celery_worker_process):
    meeting = MeetingFactory(year=2030, status=Meeting.Status.CONFIRMED)
    member = MemberFactory(language="en", optional_reminders=False)
    services.meeting_schedule(
        meeting=meeting,
        by=None,
        starts_at=in_days(40),
        ends_at=in_days(40) + datetime.timedelta(hours=6),
        venue="Aula Magna",
    )
    assert reminders_sweep(only=["meeting_invitation"]).created == 1  # commits: the worker gets the task
    assert reminders_sweep(only=["meeting_invitation"]).created == 0
    messages = smtp_server.wait_for(1, timeout=60)
    assert len(messages) == 1, celery_worker_process.output()
    (message,) = messages
    delivery = Delivery.objects.get(kind="meeting_invitation", recipient=member)
    assert message["X-Envelope-To"] == member.email
    assert message[DELIVERY_HEADER] == str(delivery.pk)
    assert "Invitation: Spring 2030" in message["Subject"]
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/plain" in parts and "text/html" in parts
    assert "BEGIN:VEVENT" in parts["text/calendar"].get_payload(decode=True).decode()
    deadline = time.monotonic() + 10
    while Delivery.objects.get(pk=delivery.pk).status != "sent" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Delivery.objects.get(pk=delivery.pk).status == "sent"
