"""The Celery app and its one beat schedule: every periodic job of the site, each commented."""

import codecs
import contextlib
import dbm
import os

from celery import Celery, signals
from celery.exceptions import WorkerShutdown
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")

# Beat keeps its schedule in a shelve, whose dbm module is chosen on the first `dbm.open`: it tries
# to import dbm.gnu, dbm.ndbm and dbm.dumb in turn, inside beat's start-up, after beat's signal
# handlers exist. A SIGTERM then (Ctrl-C right after `make run` starts) ran beat's stop handler in
# the middle of such an import, and the handler's own sync of the schedule opened the shelve again
# and took the half-imported module for the chosen one: "partially initialized module 'dbm.dumb'"
# (beat then ran on until honcho killed it) or "module 'dbm.gnu' has no attribute 'open'" (a
# traceback at stop; 2 stops in 12 in test_procfile on a Python built without gdbm, where that
# import fails every time and importing it ahead changes nothing). So the choice is made here, with
# the app, before any handler exists: `dbm.open` of a file that cannot exist chooses the module and
# raises, creating nothing. The codec dbm.dumb opens its files with is looked up here too (a SIGTERM
# in its first lookup: "unknown encoding: Latin-1").
with contextlib.suppress(*dbm.error):
    dbm.open(os.path.join(os.devnull, "kloss-dbm-choice"), "r").close()  # under /dev/null: never a file
codecs.lookup("latin-1")

app = Celery("kloss_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.include = [
    "kloss_site.retention",  # the retention task lives outside the apps
    "meetings.proposals.tasks",  # in the meetings app's room for proposals, not meetings/tasks.py
]

app.conf.beat_schedule = {
    # Every 5 minutes: record every reminder that fell due (all kinds) and hand new or stuck rows to the
    # broker again. The only way reminders are sent, so a lost beat tick or broker delays, never loses.
    "reminders-sweep": {"task": "network.reminders_sweep", "schedule": 300.0},
    # Every 5 minutes: has mail been failing for longer than OUTBOX_FAILING_NOTICE_AFTER? Then one notice to
    # the secretariat, once per outage (the marker is the notice's row; rerunning it is a no-op).
    "outbox-check": {"task": "network.outbox_check", "schedule": 300.0},
    # Monday 07:05 Stockholm (CELERY_TIMEZONE), just after REMINDER_OFFSETS["digest"]: the weekly digest
    # to the secretariat, promptly; the 5-minute sweep would send it anyway (one row per week: no double).
    "weekly-digest": {
        "task": "network.reminders_sweep",
        "schedule": crontab(minute=5, hour=7, day_of_week="mon"),
        "kwargs": {"only": ["digest"]},
    },
    # Hourly at :17: SWAMID's metadata, verified (signature, validUntil), updates the member institutions'
    # identity providers; SWAMID asks services to refresh at least daily. A bad file changes nothing and is
    # told to the secretariat once (network/federation/metadata.py; `manage.py federation_refresh` is the same).
    "federation-refresh": {"task": "network.federation_refresh", "schedule": crontab(minute=17)},
    # Nightly 03:30 Stockholm: remove what the privacy notice says is removed (settings.RETENTION:
    # rejected applications, unconfirmed signups, the delivery log, departed members' personal data,
    # old audit events, expired email confirmations and sessions). Idempotent: a missed night catches up.
    "retention-nightly": {"task": "kloss_site.retention", "schedule": crontab(minute=30, hour=3)},
    # Every 5 minutes: close the proposals whose deadline has passed and record each outcome in the
    # decision register (meetings/proposals/services.py). Once per proposal: rerunning it is a no-op,
    # and a missed tick closes them on the next one (the notice of the outcome then goes out).
    "proposals-close-due": {"task": "meetings.proposals_close_due", "schedule": 300.0},
}


# --- Connections kept between tasks ---------------------------------------------------------
# Celery's Django fixup closes the database connection before and after every task (a new PostgreSQL
# connection per reminder); settings.CELERY_DB_REUSE_MAX turns that off, and these handlers do what
# Django does around a request instead: a connection older than CONN_MAX_AGE, or broken by an error,
# is closed, and the next query checks a kept one first (CONN_HEALTH_CHECKS), so a database restart
# costs one reconnect, not a failed task.
@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_database_connections(sender=None, **kwargs):
    if not getattr(sender.request, "is_eager", False):
        from django.db import close_old_connections  # imported here: Django is set up when tasks run

        close_old_connections()


# --- Stopping promptly on the embedded broker -------------------------------------------------
# The embedded broker (kombu's SQLAlchemy transport: development, `make run`) is polled: Celery's loop
# sits in a 2-second poll and, after a SIGTERM, finishes that poll and one more before it stops (4-6 s),
# longer than the 5 seconds honcho gives on Ctrl-C before it SIGKILLs. So while no task runs, the warm
# shutdown is raised at once, as Celery's own loop raises it (`state.maybe_shutdown`); a running task
# is let finish. A task message taken from the queue at that very moment may be lost to the broker,
# never to the outbox: its row is still queued, and the sweep hands it on again. Redis (production),
# whose loop is not polled, is left as it is.
@signals.worker_shutting_down.connect
def _stop_polling_at_once(sender=None, how=None, exitcode=None, **kwargs):
    from celery.worker import state  # imported here: the worker's state module, loaded in the worker only

    if how == "Warm" and app.conf.broker_url.startswith("sqla+") and not state.active_requests:
        raise WorkerShutdown(exitcode)  # a SystemExit: Celery's signal dispatch lets it through to the loop


@app.task(name="kloss_site.ping")
def ping(token: str = "") -> str:
    """A smoke task: proves that the broker carries work to a running worker (see /healthz tests)."""
    from django.core.cache import cache  # imported here: Django must be set up when the task runs

    cache.set(f"celery-ping:{token}", "pong", timeout=300)
    return "pong"
