"""Where a warm page's work goes, counted instead of timed: Python function calls per request of the
benchmark's floor, the meeting page and the project page, in-process (Django's test client), and the
calls under each part of the request (the signed-in user's load, the page's own read, its template,
its fragments, its permission checks, ...). Counts repeat exactly from run to run, where CPU time on
this shared machine varies by 10 % and more; CPU time is printed beside them.

    .venv/bin/python bench/calls.py            # K = 1 (kloss_bench_k1, prepared by bench/run.py)
    .venv/bin/python bench/calls.py --scale 10

Needs the database bench/run.py prepared; starts its own redis-server (port 6391, nothing saved) for
the cache, as the benchmark's server has one of its own. Not a test: figures for the README's
Performance section (issue 28's speed target: the pages against the floor).
"""

import argparse
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import MEMBER, PAGE_IDS, server_env, start_redis, stop_server  # noqa: E402

REDIS_PORT = 6391

# The parts counted inclusively: a label and the code's file and function (a suffix of "file:function").
PARTS = [
    ("the signed-in user's load (network/backends.py)", "network/backends.py:load_user"),
    ("the page's own object (view's get_object)", "views.py:get_object"),
    ("the view's context", "views.py:get_context_data"),
    ("the template, all of it", "template/response.py:rendered_content"),
    ("  {% fragment %}s: keys, cache reads", "templatetags/fragments.py:render"),
    ("  links reversed (kloss_site/navigation.py)", "kloss_site/navigation.py:__missing__"),
    ("  the CSRF token of the header's forms", "middleware/csrf.py:get_token"),
    ("permission checks (User.has_perm)", "network/models.py:has_perm"),
    ("cache round trips (redis-py)", "redis/client.py:_execute_command"),
    ("querysets evaluated (ORM, driver)", "db/models/query.py:_fetch_all"),
]


def count(client, path: str, n: int) -> tuple[float, dict[str, float]]:
    """Python calls a request, and under each of PARTS, over `n` warm requests."""
    total = 0
    inside = {suffix: 0 for _, suffix in PARTS}
    depth = {suffix: 0 for _, suffix in PARTS}
    names: dict = {}

    def hook(frame, event, arg):
        nonlocal total
        if event not in ("call", "return"):
            return
        code = frame.f_code
        matched = names.get(code)
        if matched is None:
            name = f"{code.co_filename}:{code.co_name}"
            matched = names[code] = [suffix for _, suffix in PARTS if name.endswith(suffix)]
        if event == "call":
            total += 1
            for suffix, level in depth.items():
                if level:
                    inside[suffix] += 1
            for suffix in matched:
                depth[suffix] += 1
        else:
            for suffix in matched:
                depth[suffix] -= 1

    sys.setprofile(hook)
    try:
        for _ in range(n):
            client.get(path)
    finally:
        sys.setprofile(None)
    return total / n, {suffix: calls / n for suffix, calls in inside.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", default="1", help="K of the database bench/run.py prepared (default 1)")
    parser.add_argument("--n", type=int, default=50, help="warm requests counted per page (default 50)")
    parser.add_argument("--cpu", type=int, default=300, help="warm requests timed per page and round (default 300)")
    args = parser.parse_args()

    redis = start_redis(REDIS_PORT)
    try:
        server = argparse.Namespace(
            port=8765,
            postgres="postgresql://postgres@127.0.0.1:5432",
            database=f"kloss_bench_k{args.scale}",
            redis=f"redis://127.0.0.1:{REDIS_PORT}/0",
            broker=f"redis://127.0.0.1:{REDIS_PORT}/1",
            scale=float(args.scale),
        )
        # The benchmark server's settings, for Django's test client, without the query-count header
        # (it makes Django record every query: calls a page of the bench does not make).
        os.environ.update(server_env(server), ALLOWED_HOSTS="testserver", QUERY_COUNT_HEADER="false")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kloss_site.settings")
        import django

        django.setup()
        from django.test import Client

        from network.models import User

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(PAGE_IDS, {})  # the pages bench/run.py measures: the meeting and project with the most rows
        ids = json.loads(out.getvalue())
        pages = {
            "floor": "/bench/floor/",
            "meeting page": f"/meetings/{ids['meeting']}/",
            "project page": f"/projects/{ids['project']}/",
        }
        client = Client()
        client.force_login(User.objects.get(email=MEMBER))
        for path in pages.values():
            for _ in range(20):  # warm: templates compiled, fragments cached, the connection open
                response = client.get(path)
                if response.status_code != 200:
                    sys.exit(f"bench: {path} answered {response.status_code}")

        cpu = {name: [] for name in pages}
        for _ in range(3):  # rounds in turns: a change of the machine's load falls on every page
            for name, path in pages.items():
                started = time.process_time()
                for _ in range(args.cpu):
                    client.get(path)
                cpu[name].append((time.process_time() - started) / args.cpu * 1000)
        counted = {name: count(client, path, args.n) for name, path in pages.items()}
    finally:
        stop_server(redis)

    print(f"K = {args.scale}: Python calls per warm request (and CPU ms, best of 3 rounds of {args.cpu})\n")
    print("| part | " + " | ".join(pages) + " |")
    print("|---|" + "---:|" * len(pages))
    print("| in all | " + " | ".join(f"{counted[n][0]:,.0f}" for n in pages) + " |")
    for label, suffix in PARTS:
        print(f"| {label} | " + " | ".join(f"{counted[n][1][suffix]:,.0f}" for n in pages) + " |")
    print("| CPU ms a request | " + " | ".join(f"{min(cpu[n]):.2f}" for n in pages) + " |")
    floor_calls, floor_cpu = counted["floor"][0], min(cpu["floor"])
    print()
    for name in list(pages)[1:]:
        calls, time_ = floor_calls / counted[name][0], floor_cpu / min(cpu[name])
        print(f"{name}: x floor {calls:.2f} in calls, {time_:.2f} in CPU time")


if __name__ == "__main__":
    main()
