"""Load benchmark of the key pages on the production stack (not a test; `make bench` runs it).

    .venv/bin/python bench/run.py                       # K = 10 and K = 1, then the comparison
    .venv/bin/python bench/run.py --scale 1 --duration 5 --load-duration 12

By default it uses nothing that tests, CI or `make run` use: its own `redis-server` on port 6390
(started here with `--save '' --appendonly no`, stopped at the end; DB 0 is the cache, DB 1 the
broker), gunicorn on port 8765 and databases of its own (`kloss_bench_k<K>`). `--redis`/`--broker`,
`--port`, `--database` point it elsewhere (with `--redis` no server is started: it FLUSHes that
database to measure cold pages, so give it one nobody else uses).

For each K (`--scale`, default 10 and 1):
1. prepares the database: migrate, `seed_demo`, `bench/scale.py K` (it tops up, so a second run reuses
   the data; `--fresh` starts from an empty database), collectstatic. scale.py also makes the 20
   bench members (10 institutions; each with an invitation to an upcoming meeting open for
   registration and a project of her own in an open reporting round);
2. starts gunicorn with production settings (`DEBUG` off, PostgreSQL, the Redis cache, persistent
   database connections) and `QUERY_COUNT_HEADER=true`, so each response says how many SQL queries it
   took;
3. logs in over HTTP as the demo member anna.lind@kth.example.org, as the secretariat (password, then
   the TOTP code: the admin requires a second factor) and as each of the 20 bench members;
4. per page: the cold request (the median of five, each the first request after the bench's cache
   database is flushed, once every gunicorn worker has served the page; the member's session is
   read again first, as it is after any change of data), then wrk (`--users` connections, no think
   time) after a warm-up; and the two references in the same run: the floor (`/bench/floor/`:
   login, one query, a tiny template) and the Django admin's changelists of members, meetings and
   outputs, at the site's page size (25);
5. the members' loads, on the same server: read-only and with 5 % writes, in turns (three rounds of
   each by default, so a change of the machine's load falls on both); READ_MIX and WRITE_MIX below;
   wrk with one connection per member, bench/wrk_report.lua. Every write must answer 302 to the
   page the view sends her to on success, and after each mixed round the database must hold each
   member's last RSVP, profile and draft report of that round (WRITE_CHECK);
6. prints a table per K (requests/s, p50 and p95 latency, SQL queries per request, errors, ratios to
   the floor and the admin; the two loads side by side) and the comparison of the scales; checks the
   targets: per page <= 12 queries, >= 0.3 of the floor, faster than the admin, p95 < 150 ms, no
   errors; every write confirmed; at K = 10 mixed >= 0.7 of read-only req/s and mixed p95 < 150 ms;
   with K = 10 and 1 both run, the cold dashboard and .ics feed at K = 10 within 1.5x of K = 1.
The tables are also written to var/bench/K<K>.md and .json (and var/bench/comparison.md).
Exit status 1 if a target is missed.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import math
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
TARGET_MIXED_RATIO = 0.7  # mixed load's req/s over the read-only load's, at K = TARGET_SCALE
TARGET_SCALE = 10
TARGET_COLD_GROWTH = 1.5  # cold dashboard and .ics feed at K = 10 over K = 1
COLD_PAGES = ("dashboard", ".ics feed")
COLD_SAMPLES = 5
REDIS_PORT = 6390
PORT = 8765

# The members' loads (one connection per member, no think time). Reads: what members open, out of
# 100 requests. "upcoming" is the meeting she is invited to; "largest" the project or meeting with
# most rows; her institution, her project and her calendar feed are her own (the feed without
# cookies, as a calendar application fetches it).
READ_MIX = [
    ("home", 20, "/home/"),
    ("meeting page (upcoming)", 10, "/meetings/{meeting}/"),
    ("meeting page (largest)", 5, "/meetings/{largest_meeting}/"),
    ("meeting list", 8, "/meetings/"),
    ("member directory", 10, "/network/members/"),
    ("institution page (hers)", 8, "/network/institutions/{institution}/"),
    ("project page (hers)", 10, "/projects/{project}/"),
    ("project page (largest)", 5, "/projects/{largest_project}/"),
    ("catalogue (filtered)", 8, "/projects/results/?type=report"),
    ("dashboard", 6, "/projects/results/dashboard/"),
    (".ics feed", 10, "/meetings/calendar/{token}.ics"),
]
# Writes: in the mixed load every WRITE_EVERY-th request of a member (5 %), in turn RSVP, draft
# report, RSVP, draft report, profile (2 : 2 : 1). Each is the form's POST as the browser sends it.
WRITE_EVERY = 20
WRITE_MIX = "RSVP 40 %, draft report 40 %, profile 20 % of the writes"


@dataclass
class Page:
    name: str
    path: str
    admin: str = ""  # the name of the matching admin changelist
    role: str = "member"
    reference: bool = False
    queries: int | None = None  # SQL queries of a request served from warm caches (the load's requests)
    cold_queries: int | None = None  # ... and of the first request after the cache is flushed
    cold_ms: float | None = None  # the median of COLD_SAMPLES such first requests
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
    try:
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
    except BaseException:  # interrupted while it starts: not left running in its own session
        stop_server(server)
        raise
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


def flush_cache(args, client: Client) -> None:
    """Forget everything cached: FLUSHDB of the bench's own cache database (it does not depend on how
    the site keys its cache). Then one request to the floor with the same session, so the session and
    the signed-in user are read again, as they are on any request after a change of data: the next
    request of a page builds what it shows from the database (the "cold" figures)."""
    import redis  # the project's own client library

    redis.Redis.from_url(args.redis).flushdb()
    status, _, _ = client.get("/bench/floor/")
    if status != 200:
        fail(f"the floor answered {status} after the cache was flushed")


def measure(args, clients: dict, page: Page) -> None:
    client = clients[page.role]
    # First every gunicorn worker serves the page (templates compiled, its database connection's
    # catalogue caches filled): a worker's very first request is not what a change of data costs,
    # and with five workers it fell on one cold sample or another at random.
    wrk(args, client, page.path, args.warmup)
    samples = []
    for i in range(COLD_SAMPLES):
        flush_cache(args, clients["member"])
        started = time.perf_counter()
        status, headers, _ = client.get(page.path)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            fail(f"{page.name} ({page.path}) answered {status} {headers.get('Location', '')}")
        if i == 0:
            page.status = status
            page.cold_queries = int(headers.get("X-Query-Count", "-1"))
    page.cold_ms = sorted(samples)[len(samples) // 2]
    wrk(args, client, page.path, args.warmup)  # warm-up: the cache again
    page.figures = wrk(args, client, page.path, args.duration)
    _, headers, _ = client.get(page.path)
    page.queries = int(headers.get("X-Query-Count", "-1"))


# --- the members' loads: read-only and with 5 % writes -------------------------------------------


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string (ASCII, escaped) is a valid Lua string


def write_load_data(args, ids: dict, bench: dict, clients: list[Client]) -> Path:
    """The wrk script's data file: per member her cookies and CSRF token, her reads and her writes."""
    base = {"X-Forwarded-Proto": "https", "Accept-Language": "sv"}
    members = []
    for person, client in zip(bench["people"], clients, strict=True):
        values = {**ids, **person, "meeting": bench["meeting"], "round": bench["round"]}
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items() if k in ("sessionid", "csrftoken"))
        csrf = client.cookies["csrftoken"]  # the cookie's secret is accepted as the form's token
        headers = {**base, "Cookie": cookie}
        post = {
            **headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": client.origin,
            "Referer": client.origin + "/home/",
        }
        stamp = "{run}-{n}"  # filled in by wrk: the load's round, the write's number among hers of that kind
        writes = {
            "rsvp": {
                "path": f"/meetings/{bench['meeting']}/rsvp/",
                "expect": f"/meetings/{bench['meeting']}/",
                "body": f"csrfmiddlewaretoken={csrf}&dietary_needs=&remarks=lasttest+{stamp}",
                "alternate": True,
            },
            "report": {
                "path": f"/projects/rounds/{bench['round']}/report/{person['project']}/",
                "expect": f"/projects/rounds/{bench['round']}/report/{person['project']}/",
                "body": f"csrfmiddlewaretoken={csrf}&progress=L%C3%A4gesrapport+{stamp}&status=on_track"
                "&status_reason=&learned=Samverkan+tar+tid.&next_steps=N%C3%A4sta+workshop.&outputs_since_last=",
            },
            "profile": {
                "path": "/network/profile/",
                "expect": f"/network/members/{person['member']}/",
                "body": f"csrfmiddlewaretoken={csrf}&title=Samverkansstrateg+{stamp}&phone=%2B46+8+790+60+00"
                "&language=sv&optional_reminders=on",
            },
        }
        reads = [
            {"name": name, "weight": weight, "path": path.format(**values), "anonymous": name == ".ics feed"}
            for name, weight, path in READ_MIX
        ]
        members.append(
            {"headers": headers, "anonymous_headers": base, "post_headers": post, "reads": reads, "writes": writes}
        )
    path = ROOT / "var" / "bench" / f"load-K{args.scale:g}.lua"
    path.write_text("return " + to_lua({"members": members}) + "\n")
    return path


def to_lua(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, list):
        return "{" + ", ".join(to_lua(v) for v in value) + "}"
    return "{" + ", ".join(f"[{lua_string(k)}] = {to_lua(v)}" for k, v in value.items()) + "}"


def members_load(args, data: Path, n: int, duration: float, write_every: int, run: str, round_: int = 0) -> dict:
    """wrk with one thread and one connection per member (her requests one after the other)."""
    command = ["wrk", "-t", str(n), "-c", str(n), "-d", f"{max(1, round(duration))}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "wrk_report.lua"), f"http://127.0.0.1:{args.port}/"]
    command += ["--", str(data), str(write_every), run, str(round_)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode < 0 and not result.stdout:
        # wrk itself died by a signal before it printed anything (seen once in a 20-thread load,
        # 2026-12-03, with nothing on stderr): the load is run again once, and the run says so.
        print(f"bench: wrk died by signal {-result.returncode} in the members' load ({run}); run again", flush=True)
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        fail(
            f"wrk gave no figures for the members' load (exit status {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    raw = json.loads(line.removeprefix("WRK_JSON "))
    raw["stderr"] = result.stderr.strip()
    raw["run"] = run
    return raw


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[max(0, math.ceil(len(values) * share) - 1)] if values else 0.0


def combine(rounds: list[dict]) -> dict:
    """The rounds of one load as one: requests over the time of all rounds, percentiles of all latencies."""
    seconds = sum(r["duration_us"] for r in rounds) / 1e6
    kinds, every = {}, []
    for r in rounds:
        for name, k in r["kinds"].items():
            merged = kinds.setdefault(name, {"bad": 0, "ms": []})
            merged["bad"] += k["bad"]
            merged["ms"] += k["ms"]
            every += k["ms"]
    requests = sum(r["requests"] for r in rounds)
    return {
        "rps": requests / seconds,
        "p50_ms": percentile(every, 0.5),
        "p95_ms": percentile(every, 0.95),
        "p99_ms": percentile(every, 0.99),
        "requests": requests,
        "rounds_rps": [r["requests"] / (r["duration_us"] / 1e6) for r in rounds],
        "errors": sum(r["not_200"] + r["socket_errors"] for r in rounds),
        "socket_errors": sum(r["socket_errors"] for r in rounds),
        "kinds": {
            name: {
                "requests": len(k["ms"]),
                "bad": k["bad"],
                "mean_ms": sum(k["ms"]) / len(k["ms"]) if k["ms"] else 0.0,
                "p95_ms": percentile(k["ms"], 0.95),
            }
            for name, k in kinds.items()
        },
    }


WRITE_CHECK = """
import json, os, re
from meetings.models import Attendance
from network.models import Member
from projects.models import Report
spec = json.loads(os.environ["BENCH_WRITES"])
def number(text):
    found = re.search(re.escape(spec["run"]) + r"-(\\d+)$", text or "")
    return int(found.group(1)) if found else 0
rows = []
for person in spec["people"]:
    answer = Attendance.objects.filter(meeting_id=spec["meeting"], member_id=person["member"]).first()
    report = Report.objects.filter(round_id=spec["round"], project_id=person["project"]).first()
    title = Member.objects.values_list("title", flat=True).get(pk=person["member"])
    rows.append({
        "rsvp": number(answer.remarks if answer else ""),
        "attending": bool(answer and answer.status == Attendance.Status.ATTENDING),
        "report": number(report.progress if report else ""),
        "draft": bool(report and not report.is_submitted),
        "profile": number(title),
    })
print(json.dumps(rows))
"""


def verify_writes(env, bench: dict, load: dict, confirmed: dict) -> list[str]:
    """The database after a mixed round: for each member and kind of write, her last write of the
    round is there (its number: the last one confirmed, or one more if wrk stopped with it in
    flight); her RSVP says yes on odd numbers, no on even ones; her report is still a draft. Adds the
    confirmed writes to `confirmed`; returns what is wrong."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", WRITE_CHECK],
        cwd=ROOT,
        env={**env, "BENCH_WRITES": json.dumps({**bench, "run": load["run"]})},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        fail(f"checking the writes failed:\n{result.stderr}")
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    problems = []
    for person, row, writes in zip(bench["people"], rows, load["members"], strict=True):
        who = f"member {person['member']} (round {load['run']})"
        for kind, (issued, last_confirmed, failed, ok) in writes.items():
            confirmed[kind] += ok
            if failed:
                problems.append(f"{who}: {failed} {kind} writes failed")
            found = row[kind]
            if found not in (last_confirmed, issued) or found < last_confirmed:
                expected = f"{last_confirmed}" + (f" or {issued}" if issued != last_confirmed else "")
                problems.append(f"{who}: {kind} number {found} in the database, expected {expected}")
            if kind == "rsvp" and found and row["attending"] != (found % 2 == 1):
                problems.append(f"{who}: her answer in the database is not her last one ({found})")
            if kind == "report" and found and not row["draft"]:
                problems.append(f"{who}: her report is no longer a draft")
    return problems


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
        ratio_floor = f["rps"] / floor if floor else math.inf
        admin = by_name.get(page.admin)
        ratio_admin = None if admin is None else f["rps"] / admin.figures["rps"] if admin.figures["rps"] else math.inf
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


def load_table(args, loads: dict) -> tuple[str, list[str]]:
    """The two members' loads side by side, with the figures of each kind of request."""
    read, mixed = loads["read-only"], loads["mixed"]
    ratio = mixed["rps"] / read["rps"] if read["rps"] else math.inf
    lines = [
        f"Members' loads: {loads['members']} members, one connection each, {args.load_duration:g} s each "
        f"(in {loads['rounds']} turns); "
        f"mixed: 1 request in {WRITE_EVERY} a write ({WRITE_MIX})",
        "",
        "| load | req/s | p50 ms | p95 ms | p99 ms | errors | writes confirmed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f in (("read-only", read), ("5 % writes", mixed)):
        confirmed = f.get("writes_confirmed")
        written = ", ".join(f"{k} {v}" for k, v in confirmed.items()) if confirmed else "–"
        lines.append(
            f"| {name} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {f['p99_ms']:.1f} | "
            f"{f['errors']} | {written} |"
        )
    lines += [
        f"| mixed / read-only | {ratio:.2f} | | | | | |",
        "",
        "| request | read-only: n, mean ms, p95 ms | mixed: n, mean ms, p95 ms |",
        "|---|---:|---:|",
    ]
    names = [name for name, _, _ in READ_MIX] + ["write: rsvp", "write: report", "write: profile"]
    for name in names:
        cells = []
        for f in (read, mixed):
            k = f["kinds"].get(name)
            cells.append(f"{k['requests']}, {k['mean_ms']:.1f}, {k['p95_ms']:.1f}" if k else "–")
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    missed = []
    for name, f in (("read-only load", read), ("mixed load", mixed)):
        if f["errors"]:
            missed.append(f"{name}: {f['errors']} errors (failed writes, pages not 200, socket errors)")
    missed += [f"mixed load: {problem}" for problem in loads["write_problems"]]
    missed += [
        f"mixed load: no {kind} write was confirmed" for kind, n in mixed.get("writes_confirmed", {}).items() if not n
    ]
    if args.scale == TARGET_SCALE:
        if ratio < TARGET_MIXED_RATIO:
            missed.append(f"mixed load: {ratio:.2f} of the read-only req/s < {TARGET_MIXED_RATIO}")
        if mixed["p95_ms"] >= TARGET_P95_MS:
            missed.append(f"mixed load: p95 {mixed['p95_ms']:.0f} ms >= {TARGET_P95_MS}")
    return "\n".join(lines), missed


def comparison(results: dict) -> tuple[str, list[str]]:
    """The scales side by side: the two loads and the cold pages."""
    lines = [
        "| K | read-only req/s | p95 ms | 5 % writes req/s | p95 ms | mixed / read-only | "
        + " | ".join(f"cold {name} ms" for name in COLD_PAGES)
        + " |",
        "|---:|---:|---:|---:|---:|---:|" + "---:|" * len(COLD_PAGES),
    ]
    for k, result in results.items():
        read, mixed = result["loads"]["read-only"], result["loads"]["mixed"]
        cold = [result["cold_ms"].get(name) for name in COLD_PAGES]
        lines.append(
            f"| {k:g} | {read['rps']:.0f} | {read['p95_ms']:.1f} | {mixed['rps']:.0f} | {mixed['p95_ms']:.1f} | "
            f"{mixed['rps'] / read['rps'] if read['rps'] else math.inf:.2f} | "
            + " | ".join("–" if c is None else f"{c:.0f}" for c in cold)
            + " |"
        )
    missed = []
    if TARGET_SCALE in results and 1 in results:
        lines.append("")
        for name in COLD_PAGES:
            big, small = results[TARGET_SCALE]["cold_ms"].get(name), results[1]["cold_ms"].get(name)
            if big is None or small is None:
                continue
            growth = big / small
            lines.append(f"cold {name}: K = {TARGET_SCALE} / K = 1 = {growth:.2f}")
            if growth > TARGET_COLD_GROWTH:
                missed.append(
                    f"cold {name}: {big:.0f} ms at K = {TARGET_SCALE}, {growth:.2f}x K = 1 > {TARGET_COLD_GROWTH}"
                )
    return "\n".join(lines), missed


def start_redis(port: int) -> subprocess.Popen:
    """The bench's own redis-server: nothing persisted, stopped at the end."""
    import redis  # the project's own client library

    try:
        redis.Redis(port=port, socket_connect_timeout=0.5).ping()
        fail(f"something already answers on port {port}: stop it, or give --redis-port or --redis/--broker")
    except redis.ConnectionError:
        pass
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=open(ROOT / "var" / "bench" / "redis.log", "w"),  # noqa: SIM115 (kept open for the server)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(50):
        try:
            redis.Redis(port=port, socket_connect_timeout=0.5).ping()
            return server
        except redis.ConnectionError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    stop_server(server)
    fail(f"redis-server did not start on port {port} (see var/bench/redis.log)")


BENCH_PEOPLE = "import json; from bench.scale import bench_people; print(json.dumps(bench_people()))"


def bench_scale(args) -> dict:
    """Everything at one K: prepare, serve, measure the pages and the loads, print and save the tables."""
    env = server_env(args)
    prepare(args, env)
    ids = json.loads(shell(env, PAGE_IDS))
    bench = json.loads(shell(env, BENCH_PEOPLE))
    if args.explain:
        key_pages = {p.name: p.path for p in pages(ids) if not p.reference}
        subprocess.run(
            [PYTHON, "bench/explain.py", f"{args.scale:g}", json.dumps(key_pages)], cwd=ROOT, env=env, check=True
        )
    server = start_server(args, env)
    try:
        clients = {"member": login(args.port, MEMBER), "staff": login(args.port, STAFF, totp=True)}
        people = [login(args.port, person["email"]) for person in bench["people"]]
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
        data = write_load_data(
            args, {**ids, "largest_meeting": ids["meeting"], "largest_project": ids["project"]}, bench, people
        )
        n, run = len(people), secrets.token_hex(3)
        members_load(args, data, n, args.warmup, 0, "warm-up")
        # Read-only and mixed in turns (--load-rounds), so a change in the machine's load (a shared
        # machine) falls on both; each mixed round's writes are checked in the database at once.
        rounds = {"read-only": [], "mixed": []}
        problems, confirmed = [], {"rsvp": 0, "report": 0, "profile": 0}
        for i in range(args.load_rounds):
            seconds = args.load_duration / args.load_rounds
            rounds["read-only"].append(members_load(args, data, n, seconds, 0, f"{run}r{i}"))
            mixed = members_load(args, data, n, seconds, WRITE_EVERY, f"{run}w{i}", i)
            rounds["mixed"].append(mixed)
            problems += verify_writes(env, bench, mixed, confirmed)
            for r in (rounds["read-only"][-1], mixed):
                if r["stderr"]:
                    print(r["stderr"], file=sys.stderr)
        loads = {"members": n, "rounds": args.load_rounds}
        for name, label in (("read-only", "read-only  "), ("mixed", "5 % writes ")):
            loads[name] = f = combine(rounds[name])
            print(
                f"  members' load, {label} {f['rps']:7.0f} req/s  p95 {f['p95_ms']:6.1f} ms  {f['errors']} errors  "
                f"(rounds: {', '.join(f'{x:.0f}' for x in f['rounds_rps'])} req/s)",
                flush=True,
            )
        loads["mixed"]["writes_confirmed"] = confirmed
        loads["write_problems"] = problems
    finally:
        stop_server(server)

    report, missed = table(args, measured)
    load_report, load_missed = load_table(args, loads)
    report = f"{report}\n\n{load_report}"
    print()
    print(report)
    print()
    stem = ROOT / "var" / "bench" / f"K{args.scale:g}"
    stem.with_suffix(".md").write_text(report + "\n")
    stem.with_suffix(".json").write_text(json.dumps({"pages": [asdict(p) for p in measured], "loads": loads}, indent=2))
    return {
        "missed": missed + load_missed,
        "loads": loads,
        "cold_ms": {p.name: p.cold_ms for p in measured},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0],
        epilog=f"Defaults touch nothing tests or CI use: its own redis-server on port {REDIS_PORT} (DB 0 cache, "
        f"DB 1 broker; started and stopped here), gunicorn on port {PORT}, databases kloss_bench_k<K>.",
    )
    parser.add_argument(
        "--scale",
        type=float,
        nargs="+",
        default=[10, 1],
        help="K of bench/scale.py; several run one after the other (default: 10 1)",
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent connections per page (default 20)")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page (default 10)")
    parser.add_argument(
        "--load-duration",
        type=float,
        default=30,
        help="seconds of each members' load, read-only and mixed, over all rounds (default 30)",
    )
    parser.add_argument(
        "--load-rounds",
        type=int,
        default=3,
        help="the members' loads in turns: read-only, mixed, read-only, ... (default 3 rounds each)",
    )
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per page and load (default 2)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=PORT, help=f"gunicorn's port (default {PORT})")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--database",
        default="kloss_bench_k{k}",
        help="the database's name; {k} is replaced by K (default kloss_bench_k{k})",
    )
    parser.add_argument(
        "--redis-port",
        type=int,
        default=REDIS_PORT,
        help=f"port of the bench's own redis-server (default {REDIS_PORT})",
    )
    parser.add_argument(
        "--redis",
        help="cache on another Redis instead (FLUSHed for the cold figures!); "
        "no redis-server is started when --redis and --broker are given",
    )
    parser.add_argument("--broker", help="Celery broker on another Redis instead (nothing is sent)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database first")
    parser.add_argument("--only", help="comma-separated page names to measure (besides the references)")
    parser.add_argument(
        "--explain", action="store_true", help="also EXPLAIN ANALYZE every cold query (bench/explain.py)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        fail("wrk is missing: `apt-get install wrk` (Debian's package), or `make bench` installs it")
    if "{k}" not in args.database and len(args.scale) > 1:
        fail("--database needs {k} in its name when several scales are run")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

    redis_server = None
    if not (args.redis and args.broker):
        if not shutil.which("redis-server"):
            fail("redis-server is missing: `apt-get install redis-server`, or give --redis and --broker")
        redis_server = start_redis(args.redis_port)
    args.redis = args.redis or f"redis://127.0.0.1:{args.redis_port}/0"
    args.broker = args.broker or f"redis://127.0.0.1:{args.redis_port}/1"
    results = {}
    try:
        for k in args.scale:
            one = argparse.Namespace(**vars(args))
            one.scale = k
            one.database = args.database.replace("{k}", f"{k:g}".replace(".", "_"))
            print(f"K = {k:g}: database {one.database}, gunicorn on port {args.port}, cache {args.redis}", flush=True)
            results[k] = bench_scale(one)
    finally:
        if redis_server is not None:
            stop_server(redis_server)

    missed = [f"K = {k:g}, {line}" for k, result in results.items() for line in result["missed"]]
    if len(results) > 1:
        report, cold_missed = comparison(results)
        print(report)
        print()
        (ROOT / "var" / "bench" / "comparison.md").write_text(report + "\n")
        missed += cold_missed
    if missed:
        print("Targets missed:")
        for line in missed:
            print(f"  - {line}")
        sys.exit(1)
    print(
        f"All targets met: <= {TARGET_QUERIES} queries, >= {TARGET_FLOOR_RATIO} of the floor, faster than the "
        f"admin, p95 < {TARGET_P95_MS} ms, no errors, every write confirmed"
        + (
            f"; at K = {TARGET_SCALE} mixed >= {TARGET_MIXED_RATIO} of read-only, p95 < {TARGET_P95_MS} ms"
            if TARGET_SCALE in results
            else ""
        )
        + (f"; cold dashboard and feed within {TARGET_COLD_GROWTH}x of K = 1" if len(results) > 1 else "")
        + "."
    )


if __name__ == "__main__":
    main()
