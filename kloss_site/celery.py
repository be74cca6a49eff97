"""The Celery app and its one beat schedule: every periodic job of the site, each commented."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")

app = Celery("kloss_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.include = ["kloss_site.retention"]  # the retention task lives outside the apps

app.conf.beat_schedule = {
    # Every 5 minutes: record every reminder that fell due (all kinds) and hand new or stuck rows to the
    # broker again. The only way reminders are sent, so a lost beat tick or broker delays, never loses.
    "reminders-sweep": {"task": "network.reminders_sweep", "schedule": 300.0},
    # Monday 07:05 Stockholm (CELERY_TIMEZONE), just after REMINDER_OFFSETS["digest"]: the weekly digest
    # to the secretariat, promptly; the 5-minute sweep would send it anyway (one row per week: no double).
    "weekly-digest": {
        "task": "network.reminders_sweep",
        "schedule": crontab(minute=5, hour=7, day_of_week="mon"),
        "kwargs": {"only": ["digest"]},
    },
    # Nightly 03:30 Stockholm: remove what the privacy notice says is removed (settings.RETENTION:
    # rejected applications, unconfirmed signups, the delivery log, departed members' personal data,
    # old audit events, expired email confirmations and sessions). Idempotent: a missed night catches up.
    "retention-nightly": {"task": "kloss_site.retention", "schedule": crontab(minute=30, hour=3)},
}


@app.task(name="kloss_site.ping")
def ping(token: str = "") -> str:
    """A smoke task: proves that the broker carries work to a running worker (see /healthz tests)."""
    from django.core.cache import cache  # imported here: Django must be set up when the task runs

    cache.set(f"celery-ping:{token}", "pong", timeout=300)
    return "pong"
