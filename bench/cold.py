"""Cold build of the dashboard and the calendar feed, timed in-process (issue 15): what the first
request after a change of data costs, without gunicorn or load.

    DATABASE_URL=postgres://.../kloss_cold_k10 REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/cold.py --runs 9

The database is one that bench/run.py (or seed_demo and bench/scale.py K) prepared. Each run first
empties the cache (`cache.clear()`: the whole Redis database of REDIS_URL, so give it one of your
own: never the tests' while they run, nor 0/1 of CI), then builds; the figures are medians (and
minimums: on a shared machine the more stable of the two). Printed per builder: ms, SQL queries and,
for pages and the feed, its size. The dashboard's figures are kept in the cache (namespaces, as
every fragment): "dashboard figures" is their build through it, as after a write.
"page" rows are whole requests through Django's test client (middleware, session, template and
fragments included); the others call the builder alone.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")
# As bench/run.py serves the site: production settings, plain HTTP on localhost.
os.environ.update(DEBUG="false", ALLOWED_HOSTS="localhost", SECURE_SSL_REDIRECT="false", LOG_LEVEL="WARNING")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from meetings import selectors as meeting_selectors  # noqa: E402
from meetings.views import _calendar_feed  # noqa: E402
from network.models import Member  # noqa: E402
from projects import selectors  # noqa: E402
from projects.views import DashboardView  # noqa: E402


def measure(name: str, build, runs: int, *, before=None) -> None:
    times, queries, size = [], 0, None
    for _ in range(runs):
        cache.clear()
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = build()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
        if isinstance(result, bytes):  # a page or the feed
            size = len(result)
    extra = f"  {size / 1024:.1f} KB" if size is not None else ""
    median = statistics.median(times)
    print(f"{name:28s} median {median:7.1f} ms  min {min(times):7.1f} ms  {queries:3d} queries{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url.rstrip("/").rsplit("/", 1)[-1] in ("", "0", "1"):
        sys.exit("bench/cold.py empties the cache: give it a Redis database of its own in REDIS_URL (not 0 or 1)")
    translation.activate("sv")
    member = Member.objects.active().filter(user__is_staff=False).select_related("user").order_by("pk").first()
    steering = Member.objects.active().filter(steering_seats__isnull=False).order_by("pk").first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(member.user)

    def page(path):
        def get():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response.content

        return get

    print(f"database {connection.settings_dict['NAME']}, {args.runs} runs each, cache emptied before each")
    measure("feed builder", lambda: _calendar_feed(steering=False)[1], args.runs)
    measure("feed builder (steering)", lambda: _calendar_feed(steering=True)[1], args.runs)
    measure("feed page", page(f"/meetings/calendar/{member.calendar_token}.ics"), args.runs)
    if steering is not None:
        measure("feed page (steering seat)", page(f"/meetings/calendar/{steering.calendar_token}.ics"), args.runs)

    measure("dashboard figures build", selectors.dashboard_figures_build, args.runs)
    measure("dashboard figures", selectors.dashboard_figures, args.runs)
    measure("dashboard charts", DashboardView.charts, args.runs)
    measure("participation summary", meeting_selectors.participation_summary, args.runs)
    measure("participation register", meeting_selectors.participation_register, args.runs)
    measure("dashboard page", page("/projects/results/dashboard/"), args.runs)
    measure("participation page", page("/meetings/participation/"), args.runs)


if __name__ == "__main__":
    main()
