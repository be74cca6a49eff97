"""Load benchmark of the key pages on the production stack (not a test; `make bench` runs it).

    .venv/bin/python bench/run.py --scale 10            # K = 10: ~3,000 members, ~20,000 outputs
    .venv/bin/python bench/run.py --scale 1 --users 20 --duration 10

What it does, on this machine's PostgreSQL and Redis:
1. prepares a database of its own (`kloss_bench_k<K>`): migrate, `seed_demo`, `bench/scale.py K` (it
   tops up, so a second run reuses the data; `--fresh` starts from an empty database), collectstatic;
2. starts gunicorn with production settings (`DEBUG` off, PostgreSQL, the Redis cache, persistent
   database connections) and `QUERY_COUNT_HEADER=true`, so each response says how many SQL queries it
   took;
3. logs in over HTTP as the demo member anna.lind@kth.example.org (allauth's form) and as the secretariat
   (password, then the TOTP code: the admin requires a second factor);
4. loads each key page with wrk (`--users` connections, no think time) after a warm-up, and the
   two references in the same run: the floor (`/bench/floor/`: login, one query, a tiny template)
   and the Django admin's changelists of members, meetings and outputs, at the site's page size (25);
5. prints a table: requests/s, p50 and p95 latency, SQL queries per request, errors, and each page's
   throughput as a ratio of the floor and of the matching admin changelist; then checks the targets
   (queries <= 12, >= 0.3 of the floor, faster than the admin, p95 < 150 ms, no errors).
The table is also written to var/bench/K<K>.md and .json. Exit status 1 if a target is missed.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import struct
import subprocess
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MEMBER = "anna.lind@kth.example.org"
STAFF = "sekretariat@kloss-net.example.org"
PASSWORD = "kloss-demo-2026"  # network.demo.DEMO_PASSWORD
TOTP_SECRET = "JBSWY3DPEHPK3PXPKLOSSNETDEMO2345"  # network.demo.DEMO_TOTP_SECRET

TARGET_QUERIES = 12
TARGET_FLOOR_RATIO = 0.3
TARGET_P95_MS = 150


@dataclass
class Page:
    name: str
    path: str
    admin: str = ""  # the name of the matching admin changelist
    role: str = "member"
    reference: bool = False
    queries: int | None = None  # SQL queries of a request served from warm caches (the load's requests)
    cold_queries: int | None = None  # ... and of the first request after a change of data
    cold_ms: float | None = None
    status: int | None = None
    figures: dict = field(default_factory=dict)


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


# --- preparing the database and the server ----------------------------------------------------


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{args.port}",
        DATABASE_URL=f"{args.postgres}/{args.database}",
        REDIS_URL=args.redis,
        CELERY_BROKER_URL=args.broker,
        CACHE_KEY_PREFIX=f"bench-k{args.scale:g}",
        EMAIL_URL="consolemail://",
        CONN_MAX_AGE="600",
        QUERY_COUNT_HEADER="true",
        BENCH_FLOOR="true",
        LOG_LEVEL="WARNING",
        # Plain HTTP on this machine, without the TLS proxy (requests carry X-Forwarded-Proto, but
        # /bench/floor/ and the health check must not be redirected either).
        SECURE_SSL_REDIRECT="false",
    )
    return env


def manage(env, *argv, quiet=True) -> None:
    result = subprocess.run(
        [PYTHON, "manage.py", *argv], cwd=ROOT, env=env, capture_output=quiet, text=True, check=False
    )
    if result.returncode:
        fail(f"manage.py {' '.join(argv)} failed:\n{result.stderr or ''}")


def shell(env, code: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        fail(f"manage.py shell failed:\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def prepare(args, env) -> None:
    import psycopg  # the project's own driver

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone()
        if exists and args.fresh:
            conn.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.database}"')
    subprocess.run([PYTHON, "bin/compile_translations.py"], cwd=ROOT, check=True, capture_output=True)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    started = time.monotonic()
    manage(env, "seed_demo", "--force")
    result = subprocess.run(
        [PYTHON, "bench/scale.py", f"{args.scale:g}", "--force"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        fail(f"bench/scale.py {args.scale:g} failed:\n{result.stderr or result.stdout}")
    print(f"data: seed_demo and bench/scale.py {args.scale:g} took {time.monotonic() - started:.1f} s")
    counts = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", COUNT_ROWS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    print(f"data: {counts.stdout.strip()}")


COUNT_ROWS = """
from network.models import Institution, Member
from meetings.models import Attendance, Meeting
from projects.models import Output, Project, Report
print(', '.join(f'{m._meta.verbose_name_plural} {m.objects.count():,}' for m in
      (Institution, Member, Meeting, Attendance, Project, Report, Output)))
"""


def start_server(args, env) -> subprocess.Popen:
    log = open(ROOT / "var" / "bench" / "gunicorn.log", "w")  # noqa: SIM115 (kept open for the server)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "kloss_site.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--backlog",
            "256",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            status, _, _ = Client(args.port).get("/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.2)
    stop_server(server)
    fail("gunicorn did not answer /healthz (see var/bench/gunicorn.log)")


def stop_server(server) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# --- HTTP as a browser behind the TLS proxy ---------------------------------------------------


class Client:
    """Plain HTTP to gunicorn with the header the TLS proxy sets; keeps the cookies itself (they
    are Secure, so a standard cookie jar would not send them over http)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def headers(self) -> dict:
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}", "Accept-Language": "sv"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method, path, data=None, referer=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = self.headers()
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.origin,
                    "Referer": self.origin + (referer or path),
                }
            )
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), content

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, data):
        _, _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            fail(f"no CSRF token on {path}")
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token.group(1)})


def totp_now(secret: str) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as allauth's authenticator checks it."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def login(port: int, email: str, *, totp: bool = False) -> Client:
    client = Client(port)
    status, headers, _ = client.post_form("/accounts/login/", {"login": email, "password": PASSWORD})
    location = headers.get("Location", "")
    if totp:
        if status != 302 or "2fa" not in location:
            fail(f"login of {email} did not ask for the second factor ({status} {location})")
        status, headers, _ = client.post_form(urllib.parse.urlparse(location).path, {"code": totp_now(TOTP_SECRET)})
        location = headers.get("Location", "")
    if status != 302 or "login" in location:
        fail(f"login of {email} failed ({status} {location})")
    return client


# --- the pages --------------------------------------------------------------------------------


PAGE_IDS = """
import json
from django.db.models import Count
from meetings.models import Meeting
from network.models import Institution, Member
from projects.models import Output, Project
member = Member.objects.get(user__email="anna.lind@kth.example.org")
meeting = Meeting.objects.annotate(n=Count("attendances")).order_by("-n", "pk").first()
project = Project.objects.annotate(n=Count("outputs")).order_by("-n", "pk").first()
institution = Institution.objects.annotate(n=Count("members")).order_by("-n", "name").first()
print(json.dumps({"meeting": meeting.pk, "project": project.pk, "institution": institution.slug,
                  "token": member.calendar_token, "year": Output.objects.order_by("-year")[0].year}))
"""


def pages(ids: dict) -> list[Page]:
    return [
        Page("floor", "/bench/floor/", reference=True),
        Page("home", "/home/", admin="admin: members"),
        Page("member directory", "/network/members/", admin="admin: members"),
        Page("institution page", f"/network/institutions/{ids['institution']}/", admin="admin: members"),
        Page("meeting list", "/meetings/", admin="admin: meetings"),
        Page("meeting page", f"/meetings/{ids['meeting']}/", admin="admin: meetings"),
        Page("project list", "/projects/", admin="admin: outputs"),
        Page("project page", f"/projects/{ids['project']}/", admin="admin: outputs"),
        Page("catalogue (filtered)", "/projects/results/?type=report", admin="admin: outputs"),
        Page("dashboard", "/projects/results/dashboard/", admin="admin: outputs"),
        Page(".ics feed", f"/meetings/calendar/{ids['token']}.ics", admin="admin: meetings"),
        Page("admin: members", "/admin/network/member/", role="staff", reference=True),
        Page("admin: meetings", "/admin/meetings/meeting/", role="staff", reference=True),
        Page("admin: outputs", "/admin/projects/output/", role="staff", reference=True),
    ]


def wrk(args, client: Client, path: str, duration: float) -> dict:
    command = ["wrk", "-t", "2", "-c", str(args.users), "-d", f"{max(1, round(duration))}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "wrk_report.lua")]
    for name, value in client.headers().items():
        if name != "Host":
            command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{args.port}{path}")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        fail(f"wrk gave no figures for {path}:\n{result.stdout}\n{result.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": raw["requests"] / seconds,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "requests": raw["requests"],
        "errors": raw["not_200"] + raw["socket_errors"],
    }


def forget_generations(args) -> None:
    """Give every data set a new generation (network/cache.py), as a change of data would: the next
    request of each page builds its fragments again from the database (the "cold" figures)."""
    import redis  # the project's own client library

    client = redis.Redis.from_url(args.redis)
    keys = list(client.scan_iter(match=f"bench-k{args.scale:g}:*:generation:*"))
    if keys:
        client.delete(*keys)


def measure(args, clients: dict, page: Page) -> None:
    client = clients[page.role]
    forget_generations(args)
    started = time.perf_counter()
    status, headers, body = client.get(page.path)
    page.cold_ms = (time.perf_counter() - started) * 1000
    page.status = status
    if status != 200:
        fail(f"{page.name} ({page.path}) answered {status} {headers.get('Location', '')}")
    page.cold_queries = int(headers.get("X-Query-Count", "-1"))
    wrk(args, client, page.path, args.warmup)  # warm-up: worker caches, database connections
    page.figures = wrk(args, client, page.path, args.duration)
    _, headers, _ = client.get(page.path)
    page.queries = int(headers.get("X-Query-Count", "-1"))


# --- the report -------------------------------------------------------------------------------


def table(args, measured: list[Page]) -> tuple[str, list[str]]:
    by_name = {p.name: p for p in measured}
    floor = by_name["floor"].figures["rps"]
    lines = [
        f"K = {args.scale:g}, {args.users} concurrent connections, {args.duration:g} s per page, "
        f"gunicorn {args.workers} sync workers, {os.cpu_count()} cores",
        "",
        "| page | req/s | p50 ms | p95 ms | queries | × floor | × admin | errors | cold: queries, ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    missed = []
    for page in measured:
        f = page.figures
        ratio_floor = f["rps"] / floor
        admin = by_name.get(page.admin)
        ratio_admin = f["rps"] / admin.figures["rps"] if admin else None
        versus = f"{ratio_admin:.2f} ({page.admin.removeprefix('admin: ')})" if admin else "–"
        suffix = " (reference)" if page.reference else ""
        lines.append(
            f"| {page.name}{suffix} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {page.queries} | "
            f"{ratio_floor:.2f} | {versus} | {f['errors']} | {page.cold_queries}, {page.cold_ms:.0f} |"
        )
        if page.reference:
            continue
        checks = [
            (page.queries <= TARGET_QUERIES, f"{page.queries} queries > {TARGET_QUERIES}"),
            (page.cold_queries <= TARGET_QUERIES, f"{page.cold_queries} queries when cold > {TARGET_QUERIES}"),
            (ratio_floor >= TARGET_FLOOR_RATIO, f"{ratio_floor:.2f} of the floor < {TARGET_FLOOR_RATIO}"),
            (ratio_admin is None or ratio_admin > 1, f"slower than {page.admin} ({ratio_admin or 0:.2f})"),
            (f["p95_ms"] < TARGET_P95_MS, f"p95 {f['p95_ms']:.0f} ms >= {TARGET_P95_MS}"),
            (f["errors"] == 0, f"{f['errors']} errors"),
        ]
        missed += [f"{page.name}: {why}" for ok, why in checks if not ok]
    return "\n".join(lines), missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=10, help="K of bench/scale.py (default 10)")
    parser.add_argument("--users", type=int, default=20, help="concurrent connections (default 20)")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per page (default 2)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", help="default: kloss_bench_k<K>")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3", help="cache")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/4", help="Celery broker (nothing is sent)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database first")
    parser.add_argument("--only", help="comma-separated page names to measure (besides the references)")
    parser.add_argument(
        "--explain", action="store_true", help="also EXPLAIN ANALYZE every cold query (bench/explain.py)"
    )
    args = parser.parse_args()
    args.database = args.database or f"kloss_bench_k{args.scale:g}".replace(".", "_")
    if not shutil.which("wrk"):
        fail("wrk is missing: `apt-get install wrk` (Debian's package), or `make bench` installs it")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

    env = server_env(args)
    prepare(args, env)
    ids = json.loads(
        subprocess.run(
            [PYTHON, "manage.py", "shell", "--no-imports", "-c", PAGE_IDS],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        ).stdout
    )
    if args.explain:
        key_pages = {p.name: p.path for p in pages(ids) if not p.reference}
        subprocess.run(
            [PYTHON, "bench/explain.py", f"{args.scale:g}", json.dumps(key_pages)], cwd=ROOT, env=env, check=True
        )
    server = start_server(args, env)
    try:
        clients = {"member": login(args.port, MEMBER), "staff": login(args.port, STAFF, totp=True)}
        wrk(args, clients["member"], "/bench/floor/", 2)  # every worker has served a request before the cold ones
        measured = []
        todo = pages(ids)
        if args.only:
            wanted = {n.strip() for n in args.only.split(",")}
            todo = [p for p in todo if p.reference or p.name in wanted]
        for page in todo:
            measure(args, clients, page)
            f = page.figures
            print(
                f"  {page.name:<22} {f['rps']:7.0f} req/s  p50 {f['p50_ms']:6.1f} ms  p95 {f['p95_ms']:6.1f} ms"
                f"  {page.queries:3d} queries  {f['errors']} errors  (cold: {page.cold_queries} queries, "
                f"{page.cold_ms:.0f} ms)",
                flush=True,
            )
            measured.append(page)
    finally:
        stop_server(server)

    report, missed = table(args, measured)
    print()
    print(report)
    print()
    stem = ROOT / "var" / "bench" / f"K{args.scale:g}"
    stem.with_suffix(".md").write_text(report + "\n")
    stem.with_suffix(".json").write_text(json.dumps([asdict(p) for p in measured], indent=2))
    if missed:
        print("Targets missed:")
        for line in missed:
            print(f"  - {line}")
        sys.exit(1)
    print(
        f"All targets met: <= {TARGET_QUERIES} queries, >= {TARGET_FLOOR_RATIO} of the floor, faster than the "
        f"admin, p95 < {TARGET_P95_MS} ms, no errors."
    )


if __name__ == "__main__":
    main()
