"""A meeting reminder through the real thing: the sweep in this process, a real Celery worker on the
configured broker, and a real SMTP server."""

import datetime

from meetings import services
from meetings.models import Meeting
from meetings.tests.factories import MeetingFactory, in_days
from network.models import Delivery
from network.outbox.worker import DELIVERY_HEADER, reminders_sweep
from network.tests.factories import MemberFactory
from tests.support.waiting import wait_until


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
    assert wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == "sent"), celery_worker_process.output()


def test_action_owner_reminded_at_its_moment_through_a_real_worker(smtp_server, celery_worker_process):
    from meetings.models import Action

    earlier = MeetingFactory(year=2029, status=Meeting.Status.MINUTES_PUBLISHED)
    coming = MeetingFactory(year=2030, status=Meeting.Status.SCHEDULED, starts_at=in_days(10), ends_at=in_days(10, 16))
    owner = MemberFactory(language="en")
    Action.objects.create(meeting=earlier, text="Report on the survey", owner_member=owner, due_meeting=coming)
    offset = datetime.timedelta(days=14)
    # Not yet 14 days before the meeting: nothing is due.
    assert (
        reminders_sweep(
            now=coming.starts_at - offset - datetime.timedelta(hours=1), only=["meeting_action_due"]
        ).created
        == 0
    )
    assert reminders_sweep(only=["meeting_action_due"]).created == 1  # commits: the worker gets the task
    messages = smtp_server.wait_for(1, timeout=60)
    assert len(messages) == 1, celery_worker_process.output()
    (message,) = messages
    assert message["X-Envelope-To"] == owner.email
    assert "Your action is followed up at Spring 2030" in message["Subject"]
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Report on the survey" in text
    delivery = Delivery.objects.get(kind="meeting_action_due", recipient=owner)
    assert wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == "sent"), celery_worker_process.output()
