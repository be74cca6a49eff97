"""The secretariat's weekly digest: due on Monday morning, once per week and address, content gathered at send time."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from meetings.models import Meeting
from network.models import Delivery
from network.outbox.worker import reminders_sweep
from network.tests.factories import ApplicantFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

MONDAY_0700 = timezone.make_aware(datetime(2026, 11, 23, 7, 0))  # ISO week 48, Stockholm time


def sweep_at(moment, callbacks_fixture):
    with time_machine.travel(moment, tick=False), callbacks_fixture(execute=True):
        return reminders_sweep(only=["digest"])


def test_digest_is_not_due_before_monday_morning(mailoutbox, django_capture_on_commit_callbacks):
    sweep_at(MONDAY_0700 - timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert not Delivery.objects.filter(kind="digest", object_key="2026-W48").exists()


def test_digest_is_sent_once_a_week_to_every_secretariat_address(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SECRETARIAT_EMAILS = ["a@kloss-net.se", "b@kloss-net.se"]
    sweep_at(MONDAY_0700 + timedelta(minutes=5), django_capture_on_commit_callbacks)
    sweep_at(MONDAY_0700 + timedelta(days=1), django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@kloss-net.se", "b@kloss-net.se"]
    assert "2026-W48" in mailoutbox[0].subject
    sweep_at(MONDAY_0700 + timedelta(days=7), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 4
    assert set(Delivery.objects.filter(kind="digest").values_list("object_key", flat=True)) == {"2026-W48", "2026-W49"}


def test_digest_found_too_late_in_the_week_is_not_sent(mailoutbox, django_capture_on_commit_callbacks):
    sweep_at(MONDAY_0700 + timedelta(days=3, hours=1), django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_digest_lists_waiting_applications_and_unscheduled_meetings(mailoutbox, django_capture_on_commit_callbacks):
    applicant = ApplicantFactory()
    host = InstitutionFactory(name="Malmö universitet")
    Meeting.objects.create(year=2027, season=Meeting.Season.AUTUMN, host=host, status=Meeting.Status.CONFIRMED)
    Meeting.objects.create(
        year=2027,
        season=Meeting.Season.SPRING,
        host=host,
        status=Meeting.Status.SCHEDULED,
        starts_at=timezone.now() + timedelta(days=100),
    )
    sweep_at(MONDAY_0700 + timedelta(minutes=5), django_capture_on_commit_callbacks)
    (message,) = mailoutbox
    assert applicant.full_name in message.body
    assert "2027" in message.body and "Malmö universitet" in message.body
    html = message.alternatives[0][0]
    assert applicant.full_name in html
    assert message.body.count("Malmö universitet") == 1  # the scheduled meeting is not listed
