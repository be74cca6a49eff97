"""The Celery app and its one beat schedule: every periodic job of the site, each commented."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")

app = Celery("kloss_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Later issues add their jobs here (reminder sweep, weekly digest, retention), one line each.
}


@app.task(name="kloss_site.ping")
def ping(token: str = "") -> str:
    """A smoke task: proves that the broker carries work to a running worker (see /healthz tests)."""
    from django.core.cache import cache  # imported here: Django must be set up when the task runs

    cache.set(f"celery-ping:{token}", "pong", timeout=300)
    return "pong"
