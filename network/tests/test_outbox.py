"""The outbox in-process: sweep, send service, skips, retries, admin. (A real worker: test_outbox_worker.py)"""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from network.models import Delivery, Member
from network.outbox.worker import DELIVERY_HEADER, RetryLater, delivery_send, reminders_sweep
from network.tests.factories import MemberFactory
from tests.support.outbox_kind import KIND, MARKER

pytestmark = pytest.mark.django_db


def make_member(**kwargs) -> Member:
    return MemberFactory(title=MARKER, applied_at=timezone.now() - timedelta(days=2), **kwargs)


def test_sweep_records_a_due_reminder_once_however_often_it_runs(django_capture_on_commit_callbacks):
    member = make_member()
    with django_capture_on_commit_callbacks() as callbacks:
        first = reminders_sweep(only=[KIND])
        second = reminders_sweep(only=[KIND])
    assert (first.created, first.queued) == (1, 1)
    assert (second.created, second.queued) == (0, 0)
    assert Delivery.objects.filter(kind=KIND, recipient=member).count() == 1
    assert len(callbacks) == 1


def test_sweep_records_nothing_before_the_moment():
    member = make_member()
    reminders_sweep(now=member.applied_at + timedelta(hours=23), only=[KIND])
    assert not Delivery.objects.filter(kind=KIND).exists()


def test_sweep_in_a_rolled_back_transaction_queues_nothing(django_capture_on_commit_callbacks, mailoutbox):
    make_member()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        reminders_sweep(only=[KIND])
        raise RuntimeError("the request failed")
    assert callbacks == []
    assert not Delivery.objects.exists()
    assert mailoutbox == []


def test_sweep_in_a_committed_transaction_queues_exactly_one(django_capture_on_commit_callbacks, mailoutbox):
    member = make_member()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reminders_sweep(only=[KIND])
    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [[member.email]]
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert mailoutbox[0].extra_headers[DELIVERY_HEADER] == str(delivery.pk)


def test_delivery_is_unique_per_kind_object_and_recipient():
    member = make_member()
    fields = {"kind": KIND, "object_key": "x:1", "recipient": member, "due_at": timezone.now()}
    Delivery.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(**fields)


def _due_row(member, **kwargs) -> Delivery:
    reminders_sweep(only=[KIND])
    delivery = Delivery.objects.get(recipient=member)
    Delivery.objects.filter(pk=delivery.pk).update(**kwargs)
    return delivery


def test_send_has_a_text_and_an_html_part_and_the_delivery_header(mailoutbox):
    member = make_member(language="en")
    delivery = _due_row(member)
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    (message,) = mailoutbox
    assert message.subject.startswith("[KLOSS-Net] ")
    assert f"reminder {delivery.pk}" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers[DELIVERY_HEADER] == str(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at is not None) == ("sent", 1, True)


def test_send_twice_sends_once(mailoutbox):
    delivery = _due_row(make_member())
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert delivery_send(delivery_id=delivery.pk) == "gone"
    assert len(mailoutbox) == 1


def test_send_skips_a_member_who_turned_off_optional_reminders(mailoutbox):
    delivery = _due_row(make_member(optional_reminders=False))
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == ("skipped", "recipient turned off optional reminders")
    assert mailoutbox == []


def test_send_skips_a_member_who_left(mailoutbox):
    member = make_member()
    delivery = _due_row(member)
    Member.objects.filter(pk=member.pk).update(status=Member.Status.LEFT)
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert mailoutbox == []


def test_send_skips_a_reminder_whose_moment_passed(mailoutbox):
    delivery = _due_row(make_member(), expires_at=timezone.now() - timedelta(minutes=1))
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert Delivery.objects.get().status == "skipped"
    assert mailoutbox == []


def test_send_retries_an_smtp_error_with_backoff_then_fails(smtp_server, settings):
    delivery = _due_row(make_member())
    smtp_server.fail_next = 2
    with pytest.raises(RetryLater) as retry:
        delivery_send(delivery_id=delivery.pk)
    assert retry.value.countdown == settings.REMINDER_RETRY_BACKOFF
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert "451" in delivery.last_error
    assert delivery.queued_at > timezone.now()  # the sweep leaves it to the retry's countdown
    # Its first failure was longer ago than the retries last: this try is its last.
    Delivery.objects.filter(pk=delivery.pk).update(failing_since=timezone.now() - settings.REMINDER_RETRY_FOR)
    assert delivery_send(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert smtp_server.messages == []


def test_send_succeeds_on_retry_after_a_temporary_smtp_failure(smtp_server):
    delivery = _due_row(make_member())
    smtp_server.fail_next = 1
    with pytest.raises(RetryLater):
        delivery_send(delivery_id=delivery.pk)
    assert delivery_send(delivery_id=delivery.pk) == "sent"
    assert len(smtp_server.wait_for(1)) == 1


def test_sweep_requeues_rows_stuck_in_queued_or_sending(settings, django_capture_on_commit_callbacks):
    settings.REMINDER_STUCK_AFTER = timedelta(minutes=10)
    a, b, c = make_member(), make_member(), make_member()
    reminders_sweep(only=[KIND])
    long_ago = timezone.now() - timedelta(minutes=11)
    Delivery.objects.filter(recipient=a).update(status="queued", queued_at=long_ago)  # broker lost it
    Delivery.objects.filter(recipient=b).update(status="sending", claimed_at=long_ago)  # worker killed
    Delivery.objects.filter(recipient=c).update(status="sending", claimed_at=timezone.now())  # still working
    with django_capture_on_commit_callbacks() as callbacks:
        result = reminders_sweep(only=[KIND])
    assert sorted(result.ids) == sorted(Delivery.objects.filter(recipient__in=[a, b]).values_list("pk", flat=True))
    assert len(callbacks) == 1
    assert Delivery.objects.get(recipient=b).status == "queued"
    assert Delivery.objects.get(recipient=c).status == "sending"


def test_reminder_sent_at_the_right_moment_once_in_process(mailoutbox, django_capture_on_commit_callbacks):
    member = make_member()
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(member.applied_at + timedelta(hours=23)):
            reminders_sweep(only=[KIND])
        assert mailoutbox == []
        with time_machine.travel(member.applied_at + timedelta(hours=25)):
            reminders_sweep(only=[KIND])
            reminders_sweep(only=[KIND])
    assert [m.to for m in mailoutbox] == [[member.email]]


# --- The backoffice ---------------------------------------------------------------------------


def test_admin_lists_failed_deliveries_on_top_with_counts(admin_client):
    members = [make_member() for _ in range(3)]
    reminders_sweep(only=[KIND])
    Delivery.objects.filter(recipient=members[1]).update(status="failed", last_error="550 no such user")
    Delivery.objects.filter(recipient=members[2]).update(status="sent")
    response = admin_client.get(reverse("admin:network_delivery_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows[0].status == "failed"
    assert response.context["delivery_counts"]["failed"] == 1
    assert response.context["delivery_due"] == 1  # the one still queued
    status_line = response.content.decode().split('role="status"')[1].split("</p>")[0]
    assert ": 1" in status_line  # the counts are shown above the list (wording translated later)


def test_admin_filters_deliveries_by_status(admin_client):
    a, _ = make_member(), make_member()
    reminders_sweep(only=[KIND])
    Delivery.objects.filter(recipient=a).update(status="failed")
    response = admin_client.get(reverse("admin:network_delivery_changelist"), {"status__exact": "failed"})
    assert [d.recipient_id for d in response.context["cl"].result_list] == [a.pk]


def test_admin_send_again_sends_a_failed_delivery(admin_client, mailoutbox, django_capture_on_commit_callbacks):
    member = make_member()
    reminders_sweep(only=[KIND])
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=6, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:network_delivery_changelist"),
            {"action": "send_again", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_admin_send_now_sends_from_the_request(admin_client, mailoutbox):
    make_member()
    reminders_sweep(only=[KIND])  # no on_commit in a test transaction: the row stays queued
    delivery = Delivery.objects.get()
    response = admin_client.post(
        reverse("admin:network_delivery_changelist"), {"action": "send_now", "_selected_action": [delivery.pk]}
    )
    assert response.status_code == 302
    assert Delivery.objects.get().status == "sent"
    assert len(mailoutbox) == 1


def test_admin_send_now_reports_the_outcome_in_swedish(admin_client, mailoutbox):
    make_member()
    reminders_sweep(only=[KIND])
    delivery = Delivery.objects.get()
    response = admin_client.post(
        reverse("admin:network_delivery_changelist"),
        {"action": "send_now", "_selected_action": [delivery.pk]},
        HTTP_ACCEPT_LANGUAGE="sv",
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == ["skickat: 1"]
    assert len(mailoutbox) == 1
