"""Fixtures shared by every app's tests: real services, never fakes. Helpers (a real worker, the
SMTP recorder, free ports, `require_service`) live in the importable package tests/support/.

- `require_postgres`, `redis_url`, `chromium_path`: skip on a laptop that lacks the service, fail
  when KLOSS_REQUIRE_SERVICES=1 (set by .ci/run), so CI can never pass by skipping.
- `smtp_server`: a real SMTP server (aiosmtpd) on a free port; Django's SMTP backend points at it.
- `celery_worker_process`: a real `celery worker` process on the configured broker (Redis in CI,
  the embedded SQLite broker on a laptop), reading the test database.

Around every test: the active language is reset to the site's default (Swedish) and restored
afterwards, passwords hash fast, and the cache has a key prefix of the test's own.
Markers: `browser` (tests/e2e) and `slow` (real Celery workers, hypothesis fuzzing, fault tests) are
added here by what a test uses, so `make test` can leave them out; `make test-all` and CI run all.
"""

import os
import uuid

import pytest

from tests.support.hypothesis_profiles import load_profile
from tests.support.services import REQUIRE_SERVICES, chromium_executable, redis_reachable, require_service
from tests.support.smtp import SMTPRecorder, start_smtp_server
from tests.support.worker import BASE_DIR, WorkerProcess, database_url_of

# Fixtures only: the helpers live in tests/support/ (importable by tests and bench/). Their names stay
# importable from here for tests written before the move.
__all__ = ["REQUIRE_SERVICES", "SMTPRecorder", "WorkerProcess", "database_url_of", "require_service"]


def pytest_configure(config):
    load_profile()


SLOW_FIXTURES = {"celery_worker_process", "celery_worker_env"}
# Markers of what a test cannot run without, from the fixtures that say so.
SERVICE_FIXTURES = {"require_postgres": "postgresql", "redis_url": "redis"}
LEFT_OUT = pytest.StashKey[dict]()


def _configured_services() -> set[str]:
    """The services the configuration uses: PostgreSQL (DATABASE_URL), Redis (REDIS_URL, or a
    redis:// broker). The embedded defaults (`make test` on a fresh shell) use neither."""
    from django.conf import settings

    services = set()
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        services.add("postgresql")
    if settings.REDIS_URL or settings.CELERY_BROKER_URL.startswith("redis"):
        services.add("redis")
    return services


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """`slow` for every test that starts a real Celery worker (whoever wrote it), `browser` for every
    test under tests/e2e: the markers follow what a test does, not what its author remembered.

    `postgresql` and `redis` mark a test that can only run with that service (by its fixtures, or
    written on the test). When the configuration does not use the service (the embedded defaults),
    such a test is left out and counted ("deselected", and a line in the summary), not skipped: CI
    runs it in its phase on PostgreSQL + Redis."""
    e2e = BASE_DIR / "tests" / "e2e"
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if SLOW_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        if e2e in item.path.parents:
            item.add_marker(pytest.mark.browser)
        for fixture, marker in SERVICE_FIXTURES.items():
            if fixture in fixtures:
                item.add_marker(marker)
    configured = _configured_services()
    kept, left_out = [], []
    for item in items:
        needs = {marker for marker in SERVICE_FIXTURES.values() if item.get_closest_marker(marker)}
        (left_out if needs - configured else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        needs = {item.nodeid: [m for m in SERVICE_FIXTURES.values() if item.get_closest_marker(m)] for item in left_out}
        config.stash[LEFT_OUT] = needs
        if hasattr(config, "workeroutput"):  # an xdist worker: the controller prints the count
            config.workeroutput["left_out"] = needs


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist's controller: every worker collected the same tests; keep what they left out."""
    node.config.stash.setdefault(LEFT_OUT, {}).update(getattr(node, "workeroutput", {}).get("left_out", {}))


def pytest_terminal_summary(terminalreporter, config):
    left_out = config.stash.get(LEFT_OUT, {})
    if left_out:
        needs = sorted({marker for markers in left_out.values() for marker in markers})
        terminalreporter.write_line(
            f"{len(left_out)} test(s) need {' and '.join(needs)}, which this configuration does not use: "
            "left out here (deselected), run by CI's phase on PostgreSQL + Redis."
        )


@pytest.fixture
def require_postgres(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        require_service("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")


@pytest.fixture
def redis_url(settings) -> str:
    """The Redis the configuration uses (broker or cache); skip/fail when there is none."""
    url = settings.CELERY_BROKER_URL if settings.CELERY_BROKER_URL.startswith("redis") else settings.REDIS_URL
    if not url:
        require_service("Redis", "neither CELERY_BROKER_URL nor REDIS_URL is a redis:// URL")
    if not redis_reachable(url):
        require_service("Redis", f"{url} does not answer")
    return url


@pytest.fixture
def chromium_path() -> str:
    path = chromium_executable()
    if not path:
        require_service("Chromium", "Debian's chromium package is not installed")
    return path


# --- SMTP -------------------------------------------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server; Django's SMTP backend (in this process) sends to it."""
    controller, recorder = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = recorder.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield recorder
    finally:
        controller.stop()


# --- A webhook receiver -----------------------------------------------------------------------


@pytest.fixture
def webhook_receiver(settings):
    """A real HTTP receiver on 127.0.0.1 that records each webhook call (tests/support/webhook_receiver.py);
    loopback receivers are allowed for the test (and for its worker process)."""
    from tests.support.webhook_receiver import start_webhook_receiver

    settings.WEBHOOK_ALLOW_LOCAL_RECEIVERS = True
    server, receiver = start_webhook_receiver()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


# --- A real Celery worker ---------------------------------------------------------------------


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
            "SITE_URL": settings.SITE_URL,  # required when DEBUG is off, as in production
            "KLOSS_VAR_DIR": str(tmp_path),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    env["CACHE_KEY_PREFIX"] = settings.CACHES["default"].get("KEY_PREFIX", "")
    if "smtp_server" in request.fixturenames:
        env["EMAIL_URL"] = request.getfixturevalue("smtp_server").url
    if "webhook_receiver" in request.fixturenames:
        env["WEBHOOK_ALLOW_LOCAL_RECEIVERS"] = "true"
    return env


@pytest.fixture
def celery_worker_process(celery_worker_env, settings):
    """A real worker on the configured broker. The test process sends real messages to it."""
    from kloss_site.celery import app

    if settings.CELERY_BROKER_URL.startswith("redis") and not redis_reachable(settings.CELERY_BROKER_URL):
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

    from network.tests.factories import TOTP_SECRET, StaffUserFactory

    user = StaffUserFactory()
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def staff_user_without_mfa(db):
    from network.tests.factories import StaffUserFactory

    return StaffUserFactory()


@pytest.fixture
def staff_client(client, staff_user):
    """Logged in as a real login with TOTP leaves the session: the second factor is recorded."""
    from network.tests.factories import login

    login(client, staff_user)
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


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's, with the second factor recorded in the session as a real login does."""
    from network.tests.factories import login

    login(client, admin_user)
    return client


# --- Reference data -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from an empty network: the migration's reference institutions are removed.

    Migration 0007 loads the 35 member institutions (production needs them), but transactional tests
    flush the tables, so whether a test would see them depended on the order tests ran in. Tests build
    the institutions they need (factories, or `network.reference.load` / `network.demo.seed`).
    """
    from network.models import Institution, InstitutionDomain

    with django_db_blocker.unblock():  # raw: no signals, so no history rows or cache touches either
        InstitutionDomain.objects.all()._raw_delete(InstitutionDomain.objects.db)
        Institution.objects.all()._raw_delete(Institution.objects.db)
