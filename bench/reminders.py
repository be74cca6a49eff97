"""Benchmark (not a test): N reminders through the real outbox (sweep -> broker -> Celery worker -> SMTP)
beside a plain smtplib loop sending the same messages from one process, to a local aiosmtpd server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kloss_reminders \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/4 REDIS_URL=redis://127.0.0.1:6379/5 \\
    .venv/bin/python bench/reminders.py --n 10000 --concurrency 2

Give it a database and Redis DB numbers of its own (never CI's 0/1: the worker reads the broker's
default queue). It migrates the database it is given, makes N members for the test-only reminder kind
(tests/support/outbox_kind.py), starts one `celery worker`, runs the sweep once (which hands the rows
to the broker in batches of settings.REMINDER_SEND_BATCH), waits until every message has arrived,
then deletes what it made. It prints messages/s for both and their ratio (target: >= 0.5).
"""

import argparse
import logging
import os
import smtplib
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from email import message_from_bytes
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")
os.environ.setdefault("DEBUG", "true")  # a development secret key; nothing is served


class Counting:
    """An aiosmtpd handler that only counts messages and their X-KLOSS-Delivery headers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.count = 0
        self.headers: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):
        header = (
            message_from_bytes(envelope.content, _class=None)["X-KLOSS-Delivery"]
            if b"X-KLOSS" in (envelope.content[:4000])
            else None
        )
        with self.lock:
            self.count += 1
            if header:
                self.headers[header] += 1
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from network.models import Delivery, Institution, Member, User
    from network.outbox.render import render_mail
    from network.outbox.worker import DELIVERY_HEADER, reminders_sweep
    from tests.support.outbox_kind import KIND, WORKER_KIND_MODULES, make_recipients
    from tests.support.ports import free_port
    from tests.support.worker import WorkerProcess, database_url_of

    call_command("migrate", verbosity=0)
    # aiosmtpd logs every SMTP command at INFO ("mail.log"): 100,000 lines for N = 10,000, written by
    # this process while it also runs the plain loop. Only its warnings are shown.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    prefix = f"bench{uuid.uuid4().hex[:6]}-"
    var_dir = tempfile.mkdtemp(prefix="kloss-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DATABASE_URL": database_url_of(connection.settings_dict),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "REMINDER_KIND_MODULES": WORKER_KIND_MODULES,
            "KLOSS_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
        }
    )
    print(f"database {settings.DATABASES['default']['ENGINE']}, broker {settings.CELERY_BROKER_URL.split('://')[0]}")
    print(f"making {args.n} recipients ...", flush=True)
    members = make_recipients(args.n, prefix=prefix)
    worker = WorkerProcess(env, concurrency=args.concurrency)
    worker.start()
    try:
        # --- Through the outbox: sweep, broker, worker (a claim per batch, a "sent" commit per row) --
        started = time.perf_counter()
        result = reminders_sweep(only=[KIND])
        swept = time.perf_counter() - started
        ids = result.ids
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            with handler.lock:
                arrived = len(handler.headers)
            if arrived >= len(ids):
                break
            time.sleep(0.05)
        outbox_seconds = time.perf_counter() - started
        pending = Delivery.objects.filter(pk__in=ids).exclude(status="sent").count()
        with handler.lock:
            duplicates = sum(c - 1 for c in handler.headers.values())
        outbox_rate = len(ids) / outbox_seconds
        print(
            f"outbox: {len(ids)} rows swept in {swept:.1f} s; {arrived} arrived in {outbox_seconds:.1f} s "
            f"= {outbox_rate:.0f} msg/s (worker concurrency {args.concurrency}, batches of "
            f"{settings.REMINDER_SEND_BATCH}; {duplicates} duplicates, "
            f"{pending} rows not yet marked sent)"
        )

        # --- The plain loop: the same messages, one process, one SMTP connection -----------------
        deliveries = Delivery.objects.filter(pk__in=ids).select_related("recipient__user").order_by("pk")
        messages = [
            render_mail(
                template="outbox_test",
                to=[d.recipient.email],
                language=d.recipient.language,
                context={"delivery": d, "recipient": d.recipient},
                headers={DELIVERY_HEADER: str(d.pk)},
            ).message()
            for d in deliveries
        ]
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for message in messages:
                smtp.send_message(message, from_addr=settings.DEFAULT_FROM_EMAIL)
        plain_seconds = time.perf_counter() - started
        plain_rate = len(messages) / plain_seconds
        print(f"plain smtplib loop: {len(messages)} sent in {plain_seconds:.1f} s = {plain_rate:.0f} msg/s")
        print(
            f"ratio outbox / plain = {outbox_rate / plain_rate:.3f} (plain is {plain_rate / outbox_rate:.1f}x faster)"
        )
    finally:
        worker.stop()
        controller.stop()
        Delivery.objects.filter(recipient__in=members).delete()
        Member.objects.filter(pk__in=[m.pk for m in members]).delete()
        User.objects.filter(email__startswith=prefix).delete()
        Institution.objects.filter(name__endswith=prefix).delete()


if __name__ == "__main__":
    main()
