"""One settings module for every environment, read from the environment (django-environ).

Defaults are the safe, embedded ones: SQLite, an SQLite-backed Celery broker, the database cache,
mail to the console, DEBUG off. Production sets DATABASE_URL, CELERY_BROKER_URL, REDIS_URL,
EMAIL_URL, SECRET_KEY and ALLOWED_HOSTS (see README.md for the table).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("KLOSS_VAR_DIR", default=str(BASE_DIR / "var")))  # local state
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The test suite runs with DEBUG off (as production does) but needs no secret of its own.
TESTING = "pytest" in sys.modules


def _reads_only_the_code() -> bool:
    """makemigrations and makemessages never serve, sign or send: they run without production settings."""
    return len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") and sys.argv[1] in ("makemigrations", "makemessages")


def _secret_key() -> str:
    """The key from the environment, as it is; in development one generated once into var/."""
    # Not through django-environ: it reads a value starting with "$" as the name of another variable,
    # and a generated key starts with "$" now and then (Django's alphabet has it): a worker started
    # with the key in its environment then refused to start.
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    # Commands that only read the code (never serve, never sign) run anywhere with a throwaway key.
    if _reads_only_the_code():
        from django.core.management.utils import get_random_secret_key

        return get_random_secret_key()
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start without one "
            "(set DEBUG=true for development, which generates one into var/)."
        )
    path = VAR_DIR / "secret_key.txt"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _site_url() -> str:
    """Where the site runs, for the links in emails and calendar feeds: required in production."""
    url = env.str("SITE_URL", default="").strip().rstrip("/")
    if not url:
        if DEBUG or TESTING or _reads_only_the_code():
            return "http://localhost:8000"  # `make run` sets it from its PORT
        raise ImproperlyConfigured(
            "SITE_URL is not set. Production refuses to start without it: the links in emails would point "
            "nowhere (e.g. SITE_URL=https://intranet.kloss-net.se)."
        )
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"SITE_URL must start with http:// or https:// (it is {url!r}).")
    return url


SITE_URL = _site_url()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its form templates, for the form renderer (network/language/forms_renderer.py)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",  # federated login: SWAMID through allauth's SAML provider (network/federation/)
    "allauth.socialaccount.providers.saml",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "import_export",
    "django_htmx",
    "csp",
    "rest_framework",  # the read-only API (/api/v1/, kloss_site/api.py)
    "drf_spectacular",  # its OpenAPI schema
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us (no CDN)
    "network",
    "meetings",
    "projects",
    "kloss_site",  # composes the apps: seed_demo, home page, digest
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses an oversized request body from its Content-Length, before anything reads it.
    "network.middleware.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "network.middleware.PrivateCacheMiddleware",  # Cache-Control: private, no-store for a signed-in user
    "django.contrib.messages.middleware.MessageMiddleware",
    # A 405 (require_POST, a view's http_method_not_allowed) is empty: the site's page instead.
    "kloss_site.errors.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff rights need a second factor completed in this session (network.rules.is_staff_with_mfa);
    # a refusal that the second factor would have lifted sends her to set it up.
    "network.middleware.StaffMFAMiddleware",
    "network.middleware.AdminMFAMiddleware",  # admin: allauth's rate-limited login, the same predicate
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "network.audit.AuditPermissionDeniedMiddleware",  # records every PermissionDenied of a view
]

# The load benchmark (bench/run.py) reads each page's SQL query count from a response header and
# measures its floor at /bench/floor/; both exist only on the benchmark's own server.
if env.bool("QUERY_COUNT_HEADER", default=False):
    MIDDLEWARE.insert(0, "kloss_site.middleware.QueryCountHeaderMiddleware")
BENCH_FLOOR = env.bool("BENCH_FLOOR", default=False)

ROOT_URLCONF = "kloss_site.urls"

# Labels without a trailing colon and errors tied to their fields on every form, ours and allauth's
# alike, from the project's templates (network/language/forms_renderer.py).
FORM_RENDERER = "network.language.forms_renderer.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.membership",
                "kloss_site.navigation.navigation",  # nav: the header's links and section (kloss_site/navigation.py)
                "csp.context_processors.nonce",
            ],
            # One date format per language in pages and emails: |day, |moment, |span (network/language/dates.py).
            "builtins": ["network.templatetags.kloss_dates"],
        },
    },
]

WSGI_APPLICATION = "kloss_site.wsgi.application"
ASGI_APPLICATION = "kloss_site.asgi.application"

# --- Database -------------------------------------------------------------------------------
# SQLite is shared by web, worker and beat in development: WAL and a busy timeout plus
# IMMEDIATE transactions are the documented cure for "database is locked".
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, for the test database: a real Celery worker process must see it too.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# allauth's rate limits live in the cache, so it must be shared by every process: Redis when
# REDIS_URL is set, else the database cache (created by `createcachetable` in `make run`).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # django-redis keeps one Redis client per server; Django's own RedisCache builds a new one (some 170
    # response callbacks) on every cache call: 7 a page, 1.7 ms of a warm meeting page's CPU (README).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="kloss"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kloss_cache",
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="kloss"),
        }
    }

# Cached page fragments and figures (network/cache/). Off: every page is built on every request
# (to measure what the cache pays for at the network's size: bench/run.py with CACHE_FRAGMENTS=0).
CACHE_FRAGMENTS = env.bool("CACHE_FRAGMENTS", default=True)

# Sessions are read from the cache (one Redis GET instead of a query on every request) and kept in
# the database too, so a Redis restart logs nobody out.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery ---------------------------------------------------------------------------------
# Without a broker URL the embedded broker (kombu's SQLAlchemy transport on an SQLite file) runs a
# real worker and beat; Redis in CI and production. The database, not the broker, holds what is due.
_broker_file = (
    "test-celery-broker-{}.sqlite".format(env.str("PYTEST_XDIST_WORKER", default="main"))
    if TESTING
    else "celery-broker.sqlite"
)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / _broker_file}")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker keeps its database connection between tasks (Celery's Django fixup would close it before
# and after each one, recycling only every 2 x this many tasks): kloss_site/celery.py applies
# CONN_MAX_AGE and the health checks around each task instead, as Django does around a request.
CELERY_DB_REUSE_MAX = 1_000_000
# Parallel test processes (pytest-xdist) share one Redis: each gets its own queue.
CELERY_TASK_DEFAULT_QUEUE = env.str(
    "CELERY_TASK_DEFAULT_QUEUE",
    default="test-{}".format(env.str("PYTEST_XDIST_WORKER", default="main")) if TESTING else "celery",
)
# Countdowns (a retry's wait, up to REMINDER_RETRY_BACKOFF_MAX) never exceed this, or Redis would hand a
# waiting task to a second worker before it is due; the sweep re-queues anything a lost message left
# behind. (The SQLAlchemy transport hands its options to create_engine, so only Redis gets them.)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200} if CELERY_BROKER_URL.startswith("redis") else {}
# Unit tests run tasks in-process; tests marked to use the `celery_worker_process` fixture switch
# to a real worker on the real broker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = TESTING
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Reminders (network/outbox/worker.py: the delivery log, the sweep, the send task) -------------
# Every offset of every reminder kind, in one place. Phase 2 adds the meeting and project kinds.
REMINDER_OFFSETS = {
    # The secretariat's weekly digest: this long after Monday 00:00 (Stockholm).
    "digest": timedelta(hours=7),
    # Host contacts (meetings/reminders.py). The "slot date" of an unscheduled meeting is 15 April
    # (spring) or 15 October (autumn) of its year (meetings.reminders.slot_date).
    # Ask a proposed host to accept or decline: when proposed, but not earlier than this before the slot.
    "meeting_host_proposed": timedelta(days=548),
    # "Please schedule your meeting" while unscheduled: this long before the slot date (each once).
    "meeting_schedule_request": [timedelta(days=182), timedelta(days=122), timedelta(days=91)],
    # "Please publish the minutes": this long after the meeting ended, if none are published.
    "meeting_minutes_request": timedelta(days=7),
    # Members: "registration closes in 7 days" (before the deadline, to those who have not answered).
    "meeting_registration_closes": timedelta(days=7),
    # Members attending: "see you in 7 days" and "tomorrow" (before the start).
    "meeting_week_before": timedelta(days=7),
    "meeting_tomorrow": timedelta(days=1),
    # Owners of open actions: "your actions are followed up at the meeting" this long before it.
    "meeting_action_due": timedelta(days=14),
    # The invited who have not answered a date poll: once, this long before its last day to answer.
    "meeting_date_poll_reminder": timedelta(days=2),
    # Project participants (projects/reminders.py): before the round's deadline, and after it.
    "project_report_due": timedelta(days=14),
    "project_report_overdue": timedelta(days=1),
    # Proposals decided between meetings (meetings/proposals/reminders.py): "vote by ..." this long
    # before the deadline, to those entitled to vote who have not.
    "proposal_vote_reminder": timedelta(days=2),
    # Every member institution's contacts, when a round asks for uptake and they have not answered:
    # this long before its deadline (the question itself goes when the round opens).
    "project_uptake_due": timedelta(days=7),
}
# The quorum of a proposal unless it says otherwise: this share (per cent) of those entitled to vote.
PROPOSAL_QUORUM_PERCENT = env.int("PROPOSAL_QUORUM_PERCENT", default=50)
# Modules that register reminder kinds besides the apps' `reminders` modules (kloss_site composes).
REMINDER_KIND_MODULES = env.list("REMINDER_KIND_MODULES", default=["kloss_site.digest"])
# A row queued or sending for longer than this was lost by the broker or a killed worker: the sweep
# hands it on again. Longer than CELERY_TASK_TIME_LIMIT, so a live task is never doubled.
REMINDER_STUCK_AFTER = timedelta(seconds=env.int("REMINDER_STUCK_AFTER_SECONDS", default=600))
REMINDER_SWEEP_BATCH = 20_000  # rows handed to the broker per sweep at most
# Rows per worker task (one claim, one SMTP connection, one "sent" commit per row) ...
REMINDER_SEND_BATCH = env.int("REMINDER_SEND_BATCH", default=100)
# ... and how long a batch may keep sending before it hands its rest on as a new task: well below
# CELERY_TASK_SOFT_TIME_LIMIT, so a slow mail server never has a batch killed mid-way.
REMINDER_BATCH_SECONDS = 45
# Failures (network/outbox/worker.py). An SMTP 5xx fails a row at once; a 4xx answer or no connection is
# tried again REMINDER_RETRY_BACKOFF seconds after the first failure, the wait doubling after each
# failure up to REMINDER_RETRY_BACKOFF_MAX, until REMINDER_RETRY_FOR has passed since the row's first
# failure: then it is marked failed (the admin can send it again). 60 s doubling, capped at one hour,
# for 24 hours: about 30 tries, so a mail server down for a night loses nothing.
REMINDER_RETRY_BACKOFF = env.int("REMINDER_RETRY_BACKOFF", default=60)
REMINDER_RETRY_BACKOFF_MAX = 3600  # below the Redis visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS)
REMINDER_RETRY_FOR = timedelta(hours=env.int("REMINDER_RETRY_HOURS", default=24))
# Mail failing for longer than this (the oldest row waiting on a retry failed first this long ago): the
# secretariat is told once per outage (network/outbox/health.py; the admin's Deliveries page and
# /healthz show it too).
OUTBOX_FAILING_NOTICE_AFTER = timedelta(minutes=env.int("OUTBOX_FAILING_NOTICE_MINUTES", default=30))

# --- Webhooks (network/webhooks/, sent by the outbox: network/outbox/webhook.py) --------------------
# A call is retried like an email (REMINDER_RETRY_*); a subscription whose calls have failed for this
# long without one success is paused and its contact told.
WEBHOOK_PAUSE_AFTER = timedelta(hours=env.int("WEBHOOK_PAUSE_HOURS", default=24))
# Seconds to connect, and to wait for each read of the receiver's answer.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# Tests and development only (`manage.py check --deploy` warns): also http:// and loopback receivers
# (127.0.0.0/8, ::1), never private networks. Production calls public https:// addresses only.
WEBHOOK_ALLOW_LOCAL_RECEIVERS = env.bool("WEBHOOK_ALLOW_LOCAL_RECEIVERS", default=False)
# After "new signing secret" the old one signs each call too (a second signature) for this long.
WEBHOOK_SECRET_OVERLAP = timedelta(hours=env.int("WEBHOOK_SECRET_OVERLAP_HOURS", default=24))

# --- Authentication (django-allauth) --------------------------------------------------------
AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, loading user, member and institution in one query (network/backends.py).
    "network.backends.ModelBackend",
    "network.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3  # allauth's default, named: retention deletes older confirmations
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
# Failed logins count per account (key: the address typed) and per client address. The address is
# the one the TLS proxy reports (X-Forwarded-For, ALLAUTH_TRUSTED_PROXY_COUNT below): without it
# every user shares the proxy's address and one attacker locks everyone out. The per-address limit
# is higher than the per-account one: colleagues behind one university NAT share an address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# How many proxies in front of gunicorn append to X-Forwarded-For (allauth reads the client's
# address that far from the right). gunicorn binds 127.0.0.1 behind one TLS proxy in production (1);
# 0 when clients reach the site directly (X-Forwarded-For could then be forged, so it is ignored).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[KLOSS-Net] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http" if DEBUG else "https")
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "network.forms.SignupExtraForm"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# --- Federated login (SWAMID, network/federation/) ------------------------------------------
# One service provider for every member institution's identity provider. Its entity ID is what
# SWAMID registers (by default the URL of its metadata, SITE_URL + /accounts/saml/metadata/); keep it
# stable once registered. The provider apps are generated from the verified federation metadata.
SOCIALACCOUNT_ADAPTER = "network.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by address is decided by us (network/adapters.py)
SOCIALACCOUNT_LOGIN_ON_GET = False  # a chosen university is posted (CSRF-protected), never a GET link
SOCIALACCOUNT_STORE_TOKENS = False
SAML_SP_ENTITY_ID = env.str("SAML_SP_ENTITY_ID", default=f"{SITE_URL}/accounts/saml/metadata/")
# The SP's own key pair (PEM files), for signed requests and encrypted assertions; optional: SWAMID
# accepts a service provider whose metadata carries a certificate even if it signs nothing.
SAML_SP_CERT_FILE = env.str("SAML_SP_CERT_FILE", default="")
SAML_SP_KEY_FILE = env.str("SAML_SP_KEY_FILE", default="")
# The federation's signed metadata and the certificate that signs it (SWAMID's md-signer2.crt, checked
# against the fingerprint SWAMID publishes; see README). Refreshed hourly by beat (kloss_site/celery.py).
# A development-only identity provider with two fake universities (network/federation/devidp.py):
# exists only with DEBUG on, never in production; `make run` sets it up (manage.py federation_dev),
# and the federation's metadata then comes from it unless FEDERATION_METADATA_URL says otherwise.
FEDERATION_DEV_IDP = DEBUG and not TESTING and env.bool("FEDERATION_DEV_IDP", default=True)
FEDERATION_METADATA_URL = env.str(
    "FEDERATION_METADATA_URL",
    default=f"{SITE_URL}/accounts/saml/dev-idp/metadata.xml"
    if FEDERATION_DEV_IDP
    else "https://mds.swamid.se/md/swamid-idp-transitive.xml",
)
FEDERATION_METADATA_CERT_FILE = env.str(
    "FEDERATION_METADATA_CERT_FILE",
    default=str(VAR_DIR / "dev-federation" / "signer.crt") if FEDERATION_DEV_IDP else "",
)
# Without a certificate file: SWAMID's signing certificate, fetched and trusted only when its SHA-256
# fingerprint is the one SWAMID publishes (pinned here; a rollover changes both, see README).
FEDERATION_METADATA_CERT_URL = env.str(
    "FEDERATION_METADATA_CERT_URL", default="" if FEDERATION_DEV_IDP else "https://mds.swamid.se/md/md-signer2.crt"
)
FEDERATION_METADATA_CERT_SHA256 = env.str(
    "FEDERATION_METADATA_CERT_SHA256",
    default=""
    if FEDERATION_DEV_IDP
    else "A6:78:5A:37:C9:C9:0C:25:AD:5F:1F:69:22:EF:76:7B:C9:78:67:67:3A:AF:4F:8B:EA:A1:A7:6D:A3:A8:E5:85",
)
FEDERATION_METADATA_TIMEOUT = env.int("FEDERATION_METADATA_TIMEOUT", default=30)
MFA_TOTP_ISSUER = "KLOSS-Net"

# Outputs imported from where they are already recorded (projects/importers/). Base URLs from the
# environment so tests point them at a server of their own on loopback; every request has these
# timeouts (seconds: connecting, then reading the answer) and a cap on the answer's size.
IMPORT_DOI_URL = env.str("IMPORT_DOI_URL", default="https://doi.org")  # content negotiation, CSL-JSON
IMPORT_SWEPUB_URL = env.str("IMPORT_SWEPUB_URL", default="https://bibliometri.swepub.kb.se/api/v1/bibliometrics")
IMPORT_LIBRIS_URL = env.str("IMPORT_LIBRIS_URL", default="https://libris.kb.se/xsearch")  # ISBN look-ups
IMPORT_CONNECT_TIMEOUT = env.float("IMPORT_CONNECT_TIMEOUT", default=5.0)
IMPORT_READ_TIMEOUT = env.float("IMPORT_READ_TIMEOUT", default=15.0)
IMPORT_MAX_ANSWER_BYTES = 2 * 1024 * 1024
IMPORT_BATCH_MAX = 50  # identifiers in one batch import
# Off: formula characters (= + - @ tab CR) are escaped by every resource of ours (network/exports.py);
# the library's own escaping drops a leading "=" and turns every cell, numbers too, into text.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kloss_site.formats"]  # the site's date formats per language (network/language/dates.py)
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing (before collectstatic)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are never served from a public URL: permission-checked views stream them.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production; plain names in development and tests (the manifest
    # storage needs `collectstatic` first and 404s under live_server).
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
# A request body larger than this is refused from its Content-Length before a byte of it is read
# (network.middleware.RequestSizeLimitMiddleware): one file of MAX_UPLOAD_SIZE plus the form's fields.
MAX_REQUEST_SIZE = env.int("MAX_REQUEST_SIZE", default=MAX_UPLOAD_SIZE + 1024 * 1024)

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="KLOSS-Net <noreply@kloss-net.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Where the secretariat is told about new applications and failing mail, and receives the weekly digest.
# In development (DEBUG) the demo secretariat's login (network/demo.py), so a `make run` never tells a
# real-looking address anything; production's default is the real secretariat.
SECRETARIAT_EMAILS = env.list(
    "SECRETARIAT_EMAILS", default=["sekretariat@kloss-net.example.org" if DEBUG else "sekretariat@kloss-net.se"]
)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "kloss_site.errors.csrf_failure"  # in the site's layout and her language
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# On whenever DEBUG is off (a second line behind the proxy's own redirect); the test suite serves
# plain HTTP (test client, live_server) and the benchmark sets it off explicitly.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our origin or with the per-request nonce (`{{ request.csp_nonce }}`); style
# attributes are allowed (the admin uses them), <style> elements are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- The read-only API (/api/v1/: kloss_site/api.py, network/api/) ---------------------------
# Requests per token (a signed-in user: per user) in DRF's rate syntax; past it, 429 + Retry-After.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "network.api.auth.BearerTokenAuthentication",
        # A signed-in member may try the API in her browser (GET only: CSRF does not come into it).
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["network.api.policy.ReadsTheIntranet"],
    "DEFAULT_THROTTLE_CLASSES": ["network.api.policy.PerTokenThrottle"],
    "DEFAULT_PAGINATION_CLASS": "network.api.policy.ByIdCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],  # read-only: no request bodies
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Dates and times in ISO 8601 with the offset of Europe/Stockholm (TIME_ZONE): 2027-03-08T10:00:00+01:00.
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KLOSS-Net API",
    "DESCRIPTION": (
        "Read-only access for the member institutions' own systems: institutions, meetings (with their "
        "agenda, documents' metadata, decisions and actions), themes, projects, outputs and uptake. "
        "Authenticate with `Authorization: Bearer <token>`; a token sees what a member of its "
        "institution sees on the intranet, never more. Lists are paginated by cursor (follow `next`); "
        "responses carry an ETag (send it back as If-None-Match to get 304)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],  # the schema is public, the data is not
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# --- Logging: structured lines to stdout ------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object per line: time, level, logger, message and the structured fields (`extra=`).
        "json": {"()": "kloss_site.audit.JsonFormatter"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The audit trail (network/audit.py): failed logins, refusals, decisions, role changes.
        "kloss.audit": {"level": "INFO"},
    },
}

# --- Retention (kloss_site/retention.py, nightly; the privacy notice states these periods) -----
RETENTION = {
    # A rejected application (account and history) is deleted this long after the decision.
    "rejected_application_days": env.int("RETENTION_REJECTED_DAYS", default=183),  # 6 months
    # An application never confirmed by email is deleted this long after signup.
    "unverified_signup_days": env.int("RETENTION_UNVERIFIED_DAYS", default=30),
    # The delivery log (sent, skipped, failed messages) is deleted this long after the message was due.
    "delivery_log_days": env.int("RETENTION_DELIVERY_LOG_DAYS", default=365),  # 1 year
    # A member who left has her personal data erased (account_delete) this long after leaving.
    "departed_member_days": env.int("RETENTION_DEPARTED_DAYS", default=365),  # 12 months
    # Audit events are kept this long.
    "audit_days": env.int("RETENTION_AUDIT_DAYS", default=730),  # 2 years
}

# The privacy notice in force; members accept it at signup (stored with version and time).
PRIVACY_NOTICE_VERSION = "2026-11"
