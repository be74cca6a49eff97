"""The outbox's batch path (network/outbox/worker.py: delivery_send_batch), in-process against a real SMTP
server: one claim and one SMTP connection per batch, each row finished on its own. (The same path in a
real worker, with killed workers: test_outbox_worker.py.)"""

from collections import Counter
from datetime import timedelta

import pytest
from celery import signals
from django.core.mail import get_connection
from django.utils import timezone

from network.models import Delivery
from network.outbox.mail import mail_enqueue
from network.outbox.worker import (
    DELIVERY_HEADER,
    _claims_renew,
    delivery_claim_batch,
    delivery_send_batch,
    reminders_sweep,
)
from network.tests.factories import MemberFactory
from tests.support.outbox_kind import KIND, MARKER

pytestmark = pytest.mark.django_db


def due_rows(n: int) -> list[Delivery]:
    """`n` queued rows of the test kind, in id order (the sweep's broker hand-off runs after commit: never here)."""
    members = [MemberFactory(title=MARKER, applied_at=timezone.now() - timedelta(days=2)) for _ in range(n)]
    reminders_sweep(only=[KIND])
    return list(Delivery.objects.filter(recipient__in=members).select_related("recipient__user").order_by("pk"))


def arrived(smtp_server) -> Counter:
    return Counter(m[DELIVERY_HEADER] for m in smtp_server.messages)


def statuses(rows) -> list[str]:
    return list(Delivery.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk").values_list("status", flat=True))


def test_claim_batch_takes_only_queued_rows_once():
    a, b, c, d = due_rows(4)
    Delivery.objects.filter(pk=b.pk).update(status="sending", claimed_at=timezone.now())  # another worker's
    Delivery.objects.filter(pk=c.pk).update(status="sent")
    claimed = delivery_claim_batch(delivery_ids=[a.pk, b.pk, c.pk, d.pk])
    assert [row.pk for row in claimed] == [a.pk, d.pk]
    assert {(row.status, row.attempts) for row in claimed} == {("sending", 1)}
    assert len({row.claimed_at for row in claimed}) == 1
    assert statuses([a, b, c, d]) == ["sending", "sending", "sent", "sending"]
    assert delivery_claim_batch(delivery_ids=[a.pk, d.pk]) == []  # a second task for the same rows: nothing


def test_batch_sends_every_row_on_one_smtp_connection(smtp_server):
    rows = due_rows(5)
    result = delivery_send_batch(delivery_ids=[r.pk for r in rows])
    assert result.count("sent") == 5
    assert smtp_server.connections == 1
    assert arrived(smtp_server) == {str(r.pk): 1 for r in rows}
    assert statuses(rows) == ["sent"] * 5
    assert Delivery.objects.filter(pk__in=[r.pk for r in rows], sent_at__isnull=True).count() == 0


def test_batch_leaves_rows_that_are_no_longer_queued_alone(smtp_server):
    a, b, c = due_rows(3)
    Delivery.objects.filter(pk=b.pk).update(status="sent")
    result = delivery_send_batch(delivery_ids=[a.pk, b.pk, c.pk])
    assert result.outcomes == {a.pk: "sent", c.pk: "sent"}
    assert arrived(smtp_server) == {str(a.pk): 1, str(c.pk): 1}


def test_batch_a_550_fails_that_row_only(smtp_server):
    a, b, c = due_rows(3)
    smtp_server.refuse = {b.recipient.email: "550 No such user"}
    result = delivery_send_batch(delivery_ids=[a.pk, b.pk, c.pk])
    assert result.outcomes == {a.pk: "sent", b.pk: "failed", c.pk: "sent"}
    assert result.retry == {}
    assert statuses([a, b, c]) == ["sent", "failed", "sent"]
    assert "550" in Delivery.objects.get(pk=b.pk).last_error
    assert arrived(smtp_server) == {str(a.pk): 1, str(c.pk): 1}


def test_batch_a_message_that_cannot_be_built_fails_that_row_only(smtp_server):
    a, c = due_rows(2)
    [broken] = mail_enqueue(kind="adhoc_broken", template="no/such/template", to=[a.recipient], obj=a.recipient)
    result = delivery_send_batch(delivery_ids=[a.pk, broken, c.pk])
    assert result.outcomes == {a.pk: "sent", broken: "failed", c.pk: "sent"}
    assert "TemplateDoesNotExist" in Delivery.objects.get(pk=broken).last_error
    assert smtp_server.connections == 1  # nothing went wrong with the connection


def test_batch_a_4xx_requeues_that_row_with_backoff_and_sends_the_rest(smtp_server, settings):
    a, b, c, d = due_rows(4)
    smtp_server.refuse = {b.recipient.email: "450 Mailbox busy"}
    result = delivery_send_batch(delivery_ids=[a.pk, b.pk, c.pk, d.pk])
    assert result.outcomes == {a.pk: "sent", b.pk: "retry", c.pk: "sent", d.pk: "sent"}
    assert result.retry == {settings.REMINDER_RETRY_BACKOFF: [b.pk]}
    retried = Delivery.objects.get(pk=b.pk)
    assert (retried.status, retried.attempts) == ("queued", 1)
    assert "450" in retried.last_error
    assert retried.queued_at > timezone.now()  # the sweep leaves it to the retry's countdown
    assert statuses([a, c, d]) == ["sent"] * 3
    # The retry sends it (a batch of one, as the worker's retry task is).
    smtp_server.refuse = {}
    assert delivery_send_batch(delivery_ids=[b.pk]).outcomes == {b.pk: "sent"}
    assert Delivery.objects.get(pk=b.pk).attempts == 2


def test_batch_reopens_a_connection_that_died_mid_batch(smtp_server, settings):
    rows = due_rows(4)
    smtp_server.drop_at = {2}  # the server goes away while the second message is being sent
    result = delivery_send_batch(delivery_ids=[r.pk for r in rows])
    # The second one may or may not have arrived (the answer was lost): it is retried, as one row would be.
    assert [result.outcomes[r.pk] for r in rows] == ["sent", "retry", "sent", "sent"]
    assert result.retry == {settings.REMINDER_RETRY_BACKOFF: [rows[1].pk]}
    assert smtp_server.connections == 2
    assert arrived(smtp_server) == {str(rows[0].pk): 1, str(rows[2].pk): 1, str(rows[3].pk): 1}


def test_batch_against_an_unreachable_server_requeues_every_row_once(smtp_server, settings):
    rows = due_rows(3)
    settings.EMAIL_PORT = 9  # nothing listens there: the connection is refused
    # Its last try: it has been failing for as long as the retries last.
    Delivery.objects.filter(pk=rows[2].pk).update(
        attempts=1, failing_since=timezone.now() - settings.REMINDER_RETRY_FOR
    )
    result = delivery_send_batch(delivery_ids=[r.pk for r in rows])
    assert [result.outcomes[r.pk] for r in rows] == ["retry", "retry", "failed"]
    assert result.retry == {settings.REMINDER_RETRY_BACKOFF: [rows[0].pk, rows[1].pk]}
    assert [(d.status, d.attempts) for d in Delivery.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")] == [
        ("queued", 1),
        ("queued", 1),
        ("failed", 2),
    ]
    assert smtp_server.messages == []


def test_batch_gives_back_what_it_had_no_time_for(smtp_server, settings):
    settings.REMINDER_BATCH_SECONDS = 0
    rows = due_rows(3)
    result = delivery_send_batch(delivery_ids=[r.pk for r in rows])
    assert result.outcomes == {rows[0].pk: "sent", rows[1].pk: "released", rows[2].pk: "released"}
    assert result.released == [rows[1].pk, rows[2].pk]
    released = Delivery.objects.filter(pk__in=result.released)
    assert {(d.status, d.attempts) for d in released} == {("queued", 0)}  # not tried: no attempt counted
    assert len(smtp_server.messages) == 1


def test_claims_renewed_during_a_batch_drop_rows_the_sweep_handed_on():
    a, b, c = due_rows(3)
    claimed = delivery_claim_batch(delivery_ids=[a.pk, b.pk, c.pk])
    first_claim = claimed[0].claimed_at
    Delivery.objects.filter(pk=b.pk).update(status="queued", queued_at=timezone.now())  # the sweep took it
    held = _claims_renew(claimed)
    assert [row.pk for row in held] == [a.pk, c.pk]
    stamps = set(Delivery.objects.filter(pk__in=[a.pk, c.pk]).values_list("claimed_at", flat=True))
    assert len(stamps) == 1 and stamps.pop() > first_claim


def test_batch_that_renews_its_claims_before_every_message_sends_everything(smtp_server, settings):
    settings.REMINDER_STUCK_AFTER = timedelta(0)
    rows = due_rows(3)
    assert delivery_send_batch(delivery_ids=[r.pk for r in rows]).count("sent") == 3
    assert statuses(rows) == ["sent"] * 3


def test_batch_without_a_connection_closes_the_one_it_opened(smtp_server):
    rows = due_rows(2)
    connection = get_connection(fail_silently=False)
    delivery_send_batch(delivery_ids=[r.pk for r in rows], connection=connection)
    assert connection.connection is not None  # the caller's connection stays open for its next batch
    connection.close()
    delivery_send_batch(delivery_ids=[], connection=None)  # nothing to do: nothing opened
    assert smtp_server.connections == 1


def test_sweep_hands_rows_to_the_broker_in_batches(settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.REMINDER_SEND_BATCH = 2
    members = [MemberFactory(title=MARKER, applied_at=timezone.now() - timedelta(days=2)) for _ in range(5)]
    tasks = []

    def record(sender=None, kwargs=None, **_):
        tasks.append((sender.name, kwargs))

    signals.task_prerun.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ids = reminders_sweep(only=[KIND]).ids
    finally:
        signals.task_prerun.disconnect(record)
    assert [name for name, _ in tasks] == ["network.delivery_send_batch"] * 3
    assert [kwargs["delivery_ids"] for _, kwargs in tasks] == [ids[0:2], ids[2:4], ids[4:5]]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)
    assert set(Delivery.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
