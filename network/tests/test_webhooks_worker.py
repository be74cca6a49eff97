"""Webhooks with the real thing: a Celery worker process calling a real HTTP receiver, and the fault test
(the worker SIGKILLed while calls go out): every call arrives, each event once once the receiver drops
repeated webhook-ids, as Standard Webhooks asks receivers to."""

import time
from collections import Counter
from datetime import timedelta

from django.utils import timezone
from standardwebhooks import Webhook

from network.models import Delivery
from network.outbox.mail import deliveries_queue
from network.outbox.worker import reminders_sweep
from network.webhooks import services
from tests.support.waiting import wait_until
from tests.support.worker import WorkerProcess


def make_calls(subscription, n: int) -> list[int]:
    now = timezone.now()
    rows = [
        services._row(
            subscription, event="webhook.test", obj=subscription, object_key=f"fault-{i}", data={"i": i}, now=now
        )
        for i in range(n)
    ]
    return deliveries_queue(rows)  # outside a transaction: handed to the broker at once, 100 per task


def test_a_real_worker_delivers_a_signed_call_once(webhook_receiver, celery_worker_process):
    subscription = services.subscription_create(
        by=None, name="Worker", url=webhook_receiver.url, events=[], contact_email="w@x.se"
    )
    [pk] = services.webhook_ping(subscription=subscription, by=None)
    [call] = webhook_receiver.wait_for(1, timeout=60) or [None]
    assert call is not None, celery_worker_process.output()
    Webhook(subscription.secret).verify(call.body, call.headers)
    assert wait_until(lambda: Delivery.objects.get(pk=pk).status == "sent", timeout=30)
    assert webhook_receiver.ids() == {call.headers["webhook-id"]: 1}


def test_fault_300_webhook_calls_survive_a_killed_worker(webhook_receiver, celery_worker_env, settings, capsys):
    """300 calls; the worker (4 pool processes) is SIGKILLed once a third has gone out and started again;
    the sweep (called here as beat would) hands on what the dead worker held. Every call arrives; a
    repeated one carries the same webhook-id and body (the receiver drops it), and there are at most as
    many as pool processes killed: the outbox's guarantee (network/outbox/worker.py)."""
    from kloss_site.celery import app

    n = 300
    settings.REMINDER_STUCK_AFTER = timedelta(seconds=10)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    webhook_receiver.delay = 0.02
    subscription = services.subscription_create(
        by=None, name="Fault", url=webhook_receiver.url, events=[], contact_email="f@x.se"
    )
    worker = WorkerProcess(celery_worker_env, concurrency=4)
    worker.start()
    started = time.monotonic()
    killed = 0
    try:
        make_calls(subscription, n)
        sent = lambda: Delivery.objects.filter(webhook=subscription, status="sent").count()  # noqa: E731
        wait_until(lambda: sent() >= n // 3, timeout=120, interval=0.1)
        killed = worker.kill()
        at_kill = sent()
        worker.start()
        while time.monotonic() - started < 240 and sent() < n:
            wait_until(lambda: sent() >= n, timeout=3, interval=0.2)
            reminders_sweep(only=[])  # only the stuck rows: no kind computes anything
    finally:
        worker.stop()
        app.conf.task_always_eager = eager
    elapsed = time.monotonic() - started
    ids = webhook_receiver.ids()
    expected = set(Delivery.objects.filter(webhook=subscription).values_list("context__id", flat=True))
    duplicates = sum(count - 1 for count in ids.values())
    with capsys.disabled():
        print(
            f"\nwebhook fault test: {n} calls, SIGKILL at {at_kill} sent ({killed} pool processes killed); "
            f"{len(ids)} distinct webhook-ids arrived, {len(webhook_receiver.calls)} calls, {duplicates} repeated, "
            f"{elapsed:.1f} s"
        )
    assert killed > 0, worker.output()
    assert len(expected) == n
    assert set(ids) == expected, worker.output()
    assert Delivery.objects.filter(webhook=subscription).exclude(status="sent").count() == 0
    bodies = {}
    for call in webhook_receiver.calls:  # a repeat is the same message: same id, same body, still signed
        assert bodies.setdefault(call.headers["webhook-id"], call.body) == call.body
        Webhook(subscription.secret).verify(call.body, call.headers)
    assert duplicates <= killed, worker.output()
    assert Counter(ids.values()).get(1, 0) >= n - killed
