"""Fixtures shared by every app's tests: real services, never fakes.

- `require_service(name, reason)`: skips on a laptop that lacks a service, fails when
  KLOSS_REQUIRE_SERVICES=1 (set by .ci/run), so CI can never pass by skipping.
- `smtp_server`: a real SMTP server (aiosmtpd) on a free port; Django's SMTP backend points at it.
- `celery_worker_process`: a real `celery worker` process on the configured broker (Redis in CI,
  the embedded SQLite broker on a laptop), reading the test database.

Around every test: the active language is reset to the site's default (Swedish) and restored
afterwards, passwords hash fast, and the cache has a key prefix of the test's own.
Markers: `browser` (tests/e2e) and `slow` (real Celery workers, hypothesis fuzzing, fault tests) are
added here by what a test uses, so `make test` can leave them out; `make test-all` and CI run all.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest

from tests.support.hypothesis_profiles import load_profile

BASE_DIR = Path(__file__).resolve().parent
REQUIRE_SERVICES = os.environ.get("KLOSS_REQUIRE_SERVICES", "") in ("1", "true", "yes")


def pytest_configure(config):
    load_profile()


SLOW_FIXTURES = {"celery_worker_process", "celery_worker_env"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """`slow` for every test that starts a real Celery worker (whoever wrote it), `browser` for every
    test under tests/e2e: the markers follow what a test does, not what its author remembered."""
    e2e = BASE_DIR / "tests" / "e2e"
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        if e2e in item.path.parents:
            item.add_marker(pytest.mark.browser)


def require_service(name: str, reason: str) -> None:
    """Skip (laptop) or fail (CI) because `name` is missing."""
    message = f"{name} is not available: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (KLOSS_REQUIRE_SERVICES=1 turns this skip into a failure)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def require_postgres(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        require_service("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")


def _redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


@pytest.fixture
def redis_url(settings) -> str:
    """The Redis the configuration uses (broker or cache); skip/fail when there is none."""
    url = settings.CELERY_BROKER_URL if settings.CELERY_BROKER_URL.startswith("redis") else settings.REDIS_URL
    if not url:
        require_service("Redis", "neither CELERY_BROKER_URL nor REDIS_URL is a redis:// URL")
    if not _redis_reachable(url):
        require_service("Redis", f"{url} does not answer")
    return url


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not path:
        require_service("Chromium", "Debian's chromium package is not installed")
    return path


# --- SMTP -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SMTPRecorder:
    """What a real SMTP server received: parsed messages, in arrival order."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    fail_next: int = 0  # answer this many DATA commands with a temporary failure (451)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return "451 Temporary failure, try again later"
            msg = message_from_bytes(envelope.content)
            msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            self.messages.append(msg)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Message]:
        """Wait until at least `count` messages arrived (a worker sends asynchronously)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address.lower() in m["X-Envelope-To"].lower()]

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server; Django's SMTP backend (in this process) sends to it."""
    from aiosmtpd.controller import Controller

    port = free_port()
    recorder = SMTPRecorder(host="127.0.0.1", port=port)
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield recorder
    finally:
        controller.stop()


# --- A real Celery worker ---------------------------------------------------------------------


def database_url_of(settings_dict: dict) -> str:
    """A DATABASE_URL for the database a connection is using (the test database in tests)."""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    if engine == "django.db.backends.postgresql":
        user = settings_dict.get("USER") or ""
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        auth = f"{user}{password}@" if user else ""
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{auth}{settings_dict.get('HOST') or '127.0.0.1'}{port}/{settings_dict['NAME']}"
    raise NotImplementedError(engine)


class WorkerProcess:
    """`celery -A kloss_site worker` as a child process; restartable, killable (fault tests)."""

    def __init__(self, env: dict, concurrency: int = 2, pool: str = "prefork"):
        self.env = env
        self.concurrency = concurrency
        self.pool = pool
        self.proc: subprocess.Popen | None = None
        self.log_path = Path(env["KLOSS_VAR_DIR"]) / f"worker-{uuid.uuid4().hex[:8]}.log"

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kloss_site",
            "worker",
            f"--pool={self.pool}",
            f"--concurrency={self.concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
        ]
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery worker exited early:\n{self.output()}")
            if b"ready." in self.log_path.read_bytes():
                return
            time.sleep(0.1)
        raise RuntimeError(f"celery worker not ready after {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and its pool children die hard."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture
def celery_worker_env(request, settings, transactional_db, tmp_path) -> dict:
    """The environment a worker needs to read the test database and reach the test's services
    (and the test's SMTP server, when the test uses `smtp_server`)."""
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kloss_site.settings",
            "DATABASE_URL": database_url_of(connection.settings_dict),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "false",
            "KLOSS_VAR_DIR": str(tmp_path),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    env["CACHE_KEY_PREFIX"] = settings.CACHES["default"].get("KEY_PREFIX", "")
    if "smtp_server" in request.fixturenames:
        env["EMAIL_URL"] = request.getfixturevalue("smtp_server").url
    return env


@pytest.fixture
def celery_worker_process(celery_worker_env, settings):
    """A real worker on the configured broker. The test process sends real messages to it."""
    from kloss_site.celery import app

    if settings.CELERY_BROKER_URL.startswith("redis") and not _redis_reachable(settings.CELERY_BROKER_URL):
        require_service("Redis", f"broker {settings.CELERY_BROKER_URL} does not answer")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    worker = WorkerProcess(celery_worker_env)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = previous


# --- People in each role, and logged-in clients ------------------------------------------------


@pytest.fixture
def member(db):
    from network.tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def applicant(db):
    from network.tests.factories import ApplicantFactory

    return ApplicantFactory()


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant.user)
    return client


@pytest.fixture
def staff_user(db):
    """Secretariat staff with a TOTP authenticator, as the admin requires (see network.middleware)."""
    from allauth.mfa.totp.internal.auth import TOTP

    from network.tests.factories import StaffUserFactory

    user = StaffUserFactory()
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def staff_user_without_mfa(db):
    from network.tests.factories import StaffUserFactory

    return StaffUserFactory()


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (Swedish) and leaves none behind: a request
    through LocaleMiddleware or a bare translation.activate() keeps its language active in the
    thread, so without this a test's outcome would depend on which test ran before it."""
    from django.utils import translation

    translation.deactivate()
    try:
        yield
    finally:
        translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_hasher_and_own_cache(settings):
    """Fast password hashing for factories, and no cache state (allauth's rate limits) shared between
    tests: each test gets its own cache key prefix (clearing a shared Redis would wipe the state of
    tests running in parallel). Without Redis (a laptop) the cache is in memory rather than the
    database cache of `make run`: as with Redis, a cache read is no SQL query, so the query-count
    tests count the same on both."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    if caches["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
        caches["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    caches["default"]["KEY_PREFIX"] = prefix
    settings.CACHES = caches


@pytest.fixture
def shared_cache(settings):
    """The cache other processes see too (a Celery worker): Redis, or the database cache of `make
    run` on a laptop, instead of the test process's own memory."""
    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    if caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
        prefix = caches["default"]["KEY_PREFIX"]
        caches["default"] = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kloss_cache",
            "KEY_PREFIX": prefix,
        }
        settings.CACHES = caches
    return caches["default"]


@pytest.fixture
def admin_user(staff_user):
    """pytest-django's `admin_client` logs in this user: staff with MFA, as our admin requires."""
    return staff_user
