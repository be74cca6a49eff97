"""A report reminder through a real Celery worker to a real SMTP server."""

import datetime

from django.utils import timezone

from network.models import Delivery
from network.outbox.worker import DELIVERY_HEADER, reminders_sweep
from network.tests.factories import MemberFactory
from projects.tests.factories import ParticipationFactory, RoundFactory


def test_report_overdue_reaches_the_smtp_server_through_a_real_worker(smtp_server, celery_worker_process):
    participation = ParticipationFactory(is_coordinator=True, member=MemberFactory(language="en"))
    RoundFactory(deadline=timezone.localdate() - datetime.timedelta(days=2))
    assert reminders_sweep(only=["project_report_overdue"]).created == 1
    messages = smtp_server.wait_for(1, timeout=60)
    assert len(messages) == 1, celery_worker_process.output()
    (message,) = messages
    delivery = Delivery.objects.get(kind="project_report_overdue")
    assert message["X-Envelope-To"] == participation.member.email
    assert message[DELIVERY_HEADER] == str(delivery.pk)
    assert message["Subject"].startswith("[KLOSS-Net] Report overdue since")
    assert participation.project.title in message["Subject"]
