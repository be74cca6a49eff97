"""Loading the signed-in user on every request (network/backends.py), timed in-process: the ORM's
joined query against the bare query through the cursor (what the database and the driver cost alone).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kloss_bench_k10 .venv/bin/python bench/user_query.py

The database is one that bench/run.py prepared (any database with members works). Printed per way:
the median of `--rounds` rounds of `--n` loads, in microseconds per load.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")
os.environ.update(DEBUG="false", ALLOWED_HOSTS="localhost", SECURE_SSL_REDIRECT="false", LOG_LEVEL="WARNING")
os.environ.setdefault("SITE_URL", "http://localhost")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # nothing is signed here

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from network.backends import load_user, user_queryset  # noqa: E402
from network.models import Member  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=1000, help="loads per round (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per way, the median is printed (default 5)")
    args = parser.parse_args()
    user_id = Member.objects.values_list("user_id", flat=True).order_by("pk").first()
    if user_id is None:
        sys.exit("bench: no member in this database (run bench/run.py or seed_demo first)")
    sql, params = user_queryset().filter(pk=user_id).order_by()[:1].query.sql_with_params()

    def orm():
        return load_user(str(user_id))  # the session keeps the id as a string

    def cursor_only():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    assert orm().pk == cursor_only()[0]
    ways = {"ORM (load_user)": orm, "bare query (cursor)": cursor_only}
    figures = {name: [] for name in ways}
    for _ in range(args.rounds):
        for name, load in ways.items():  # interleaved: a change of the machine's load falls on all
            for _ in range(50):
                load()
            started = time.perf_counter()
            for _ in range(args.n):
                load()
            figures[name].append((time.perf_counter() - started) / args.n * 1e6)
    for name, values in figures.items():
        print(f"{name:26s} {statistics.median(values):7.0f} µs per load (min {min(values):.0f})")


if __name__ == "__main__":
    main()
