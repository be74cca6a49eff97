"""The outbox with the real thing: a Celery worker process, a broker (Redis or the embedded SQLite one)
and an SMTP server. Includes the fault test: SIGKILLed workers and a flushed Redis lose nothing."""

import time
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone

from network.models import Delivery
from network.outbox.worker import DELIVERY_HEADER, reminders_sweep
from tests.support.outbox_kind import KIND, WORKER_KIND_MODULES, make_recipients
from tests.support.services import require_service
from tests.support.waiting import wait_until
from tests.support.worker import WorkerProcess, broker_lock


@pytest.fixture(params=["configured", "embedded"])
def broker(request, settings, tmp_path):
    """The broker the test process sends to and the worker reads: the configured one (Redis in CI) or
    the embedded SQLite broker."""
    from kloss_site.celery import app

    if request.param == "configured":
        yield settings.CELERY_BROKER_URL
        return
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    names = ["broker_url", "broker_write_url", "broker_read_url", "broker_transport_options"]
    previous = {name: app.conf[name] for name in names}

    def reset_pools():
        # Forget (not close) the pools: kombu keeps one per URL and hands the same one back later.
        app._pool = None
        app.amqp._producer_pool = None

    # The write and read URLs were resolved from the broker URL when the app configured itself.
    app.conf.update(broker_url=url, broker_write_url=url, broker_read_url=url, broker_transport_options={})
    settings.CELERY_BROKER_URL = url
    reset_pools()
    try:
        yield url
    finally:
        app.conf.update(previous)
        reset_pools()


@pytest.fixture
def celery_worker_env(celery_worker_env, request):
    """The worker must know the test-only reminder kind (and, with `broker`, use that broker)."""
    env = {**celery_worker_env, "REMINDER_KIND_MODULES": WORKER_KIND_MODULES, "REMINDER_RETRY_BACKOFF": "1"}
    if "broker" in request.fixturenames:
        env["CELERY_BROKER_URL"] = request.getfixturevalue("broker")
    return env


def headers(messages) -> Counter:
    return Counter(m[DELIVERY_HEADER] for m in messages)


def test_due_reminder_is_sent_once_at_the_right_moment_by_a_real_worker(
    broker, smtp_server, celery_worker_process, settings
):
    (member,) = make_recipients(1, prefix="moment", applied_at=timezone.now())
    # Only this process travels 25 h ahead: a worker that claims the row between the two sweeps
    # stamps it with its own clock, 25 h "ago", which the rerun would take for a stuck claim and hand
    # on again. The rerun is to find nothing new, whichever the worker did first.
    settings.REMINDER_STUCK_AFTER = timedelta(days=2)
    with time_machine.travel(member.applied_at + timedelta(hours=23)):
        assert reminders_sweep(only=[KIND]).queued == 0
    with time_machine.travel(member.applied_at + timedelta(hours=25)):
        assert reminders_sweep(only=[KIND]).queued == 1
        assert reminders_sweep(only=[KIND]).queued == 0  # rerun: a no-op
    messages = smtp_server.wait_for(1, timeout=60)
    assert len(messages) == 1, celery_worker_process.output()
    delivery = Delivery.objects.get(kind=KIND, recipient=member)
    # Once the row is marked sent nothing can send it again (a worker claims queued rows only), and a
    # message arrives before its row is marked: what has arrived by then is all that ever will.
    assert wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == "sent", timeout=30)
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == [member.email]
    assert headers(smtp_server.messages) == {str(delivery.pk): 1}


def test_smtp_failure_is_retried_by_the_worker(smtp_server, celery_worker_process, settings):
    """The worker retries a temporary SMTP failure itself, after a countdown (1 s in its environment)."""
    (member,) = make_recipients(1, prefix="retry")
    smtp_server.fail_next = 1
    reminders_sweep(only=[KIND])
    messages = smtp_server.wait_for(1, timeout=90)
    assert len(messages) == 1, celery_worker_process.output()
    # The message arrives before the worker commits its row as sent: wait for the commit.
    wait_until(lambda: Delivery.objects.get(recipient=member).status == "sent")
    delivery = Delivery.objects.get(recipient=member)
    assert delivery.attempts == 2
    assert (delivery.status, delivery.last_error) == ("sent", "")


@pytest.fixture
def broker_to_flush(settings):
    """The broker's Redis DB, held exclusively: other test processes' workers share it (each on a
    queue of its own), so the flush waits until none of them runs, and none starts until it is over."""
    with broker_lock(settings.CELERY_BROKER_URL, exclusive=True):
        yield settings.CELERY_BROKER_URL


@pytest.mark.slow
@pytest.mark.redis  # it flushes a Redis broker under the workers
def test_fault_1000_reminders_survive_killed_workers_and_a_flushed_redis(
    smtp_server, broker_to_flush, celery_worker_env, settings, capsys
):
    """1,000 due reminders; the worker is SIGKILLed twice and the broker's Redis DB flushed once while
    they go out; the sweep (called here as beat would) hands on what was lost. Every one arrives; the
    database holds one row each; duplicates at the SMTP server are counted and printed, and are at
    most one per pool process killed: the outbox's guarantee (network/outbox/worker.py) is that a process
    killed between the SMTP "250" and its "sent" commit sends that one message twice, never more
    (a flushed broker duplicates nothing: the rows, not the broker, say what was sent)."""
    import redis

    from kloss_site.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        require_service("Redis", "the fault test flushes a Redis broker: CELERY_BROKER_URL is not redis://")
    broker_redis = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    if not broker_redis.ping():
        require_service("Redis", "the broker does not answer")
    n = 1000
    # Long enough that a healthy backlog is not handed on twice, short enough for a quick recovery.
    settings.REMINDER_STUCK_AFTER = timedelta(seconds=15)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    make_recipients(n, prefix="fault")
    worker = WorkerProcess(celery_worker_env, concurrency=4)
    worker.start()
    started = time.monotonic()
    faults: list[str] = []
    killed = 0  # pool processes SIGKILLed: each may have had one message in flight
    try:
        reminders_sweep(only=[KIND])
        sent = lambda: Delivery.objects.filter(kind=KIND, status="sent").count()  # noqa: E731
        plan = [(100, "kill"), (300, "flush"), (500, "kill")]
        # ~40 s on an idle 2-core machine; the limit leaves room for a machine shared with other jobs.
        while time.monotonic() - started < 240:
            # Until the next fault is due (or all are sent), or for 3 s at most: then a sweep, as beat would
            # every few minutes in production.
            target = plan[0][0] if plan else n
            wait_until(lambda target=target: sent() >= target, timeout=3, interval=0.2)
            done = sent()
            if plan and done >= plan[0][0]:
                _, fault = plan.pop(0)
                if fault == "kill":
                    killed += worker.kill()
                    faults.append(f"SIGKILL at {done} sent")
                    worker.start()
                else:
                    broker_redis.flushdb()  # the broker's own DB only: other DBs belong to others
                    faults.append(f"FLUSHDB at {done} sent")
                continue
            if done >= n and not plan:
                break
            reminders_sweep(only=[KIND])
        # Every row is marked sent, and a message arrives before its row is marked (the "sent" commit
        # follows the SMTP "250"); a sent row is never claimed again. So every message, duplicates
        # included, has arrived already: nothing to wait for before counting.
    finally:
        worker.stop()
    elapsed = time.monotonic() - started
    seen = headers(smtp_server.messages)
    expected = {str(pk) for pk in Delivery.objects.filter(kind=KIND).values_list("pk", flat=True)}
    duplicates = sum(count - 1 for count in seen.values())
    with capsys.disabled():
        print(
            f"\nfault test: {n} reminders, {', '.join(faults)} ({killed} pool processes killed); {len(seen)} "
            f"distinct arrived, {len(smtp_server.messages)} messages, {duplicates} duplicate(s) at the SMTP server, "
            f"{elapsed:.1f} s"
        )
    assert len(faults) == 3, worker.output()
    assert len(expected) == n
    assert set(seen) == expected, worker.output()
    assert Delivery.objects.filter(kind=KIND).exclude(status="sent").count() == 0
    assert not (
        Delivery.objects.values("kind", "object_key", "recipient").annotate(n=Count("pk")).filter(n__gt=1).exists()
    )
    assert killed > 0, worker.output()
    # The guarantee, without margin: at most one duplicate per process killed (the one message it had in
    # flight between the SMTP "250" and its "sent" commit). Two kills of a worker with 4 pool processes: 8.
    assert duplicates <= killed, worker.output()
