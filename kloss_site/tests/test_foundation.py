import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from kombu import Connection

from network.models import Institution, InstitutionDomain, Member
from tests.support.services import redis_reachable, require_service
from tests.support.waiting import wait_until
from tests.support.worker import BASE_DIR, WorkerProcess


def test_landing_page_explains_the_network_to_visitors(client, db):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert 'href="#main"' in body and '<main id="main"' in body
    assert "35" in body
    assert reverse("account_signup") in body


def test_landing_page_in_english_after_switching_language(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert '<html lang="en">' in response.content.decode()


def test_home_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_greets_an_approved_member(member_client, member):
    response = member_client.get(reverse("home"))
    assert response.status_code == 200
    assert member.user.first_name in response.content.decode()


def test_home_sends_an_applicant_to_her_application_status(applicant_client):
    response = applicant_client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("network:application_status")
    assert "waiting for approval" in response.content.decode() or "väntar" in response.content.decode()


def test_healthz_reports_every_service_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "mail": "ok",
        "federation": "unknown",
    }


def test_healthz_answers_503_when_the_broker_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG") and not k.startswith("PYTEST")}
    env["DEBUG"] = "false"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_secret_key_starting_with_a_dollar_is_taken_as_it_is():
    """Django's generated keys may start with "$" (var/secret_key.txt, passed on to workers): it is the
    key, not the name of another variable to read."""
    key = "$" + "k" * 49
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(SECRET_KEY=key, DEBUG="true")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == key


def test_settings_defaults_are_swedish_and_stockholm():
    assert django_settings.LANGUAGE_CODE == "sv"
    assert [code for code, _ in django_settings.LANGUAGES] == ["sv", "en"]
    assert django_settings.TIME_ZONE == "Europe/Stockholm"
    assert django_settings.USE_TZ


def test_seed_demo_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Institution.objects.count(), InstitutionDomain.objects.count(), Member.objects.count())
    call_command("seed_demo")
    assert (Institution.objects.count(), InstitutionDomain.objects.count(), Member.objects.count()) == counts
    assert Institution.objects.current_members().count() == 35
    assert InstitutionDomain.objects.get(domain="mau.se").institution.name == "Malmö universitet"
    assert InstitutionDomain.objects.get(domain="mau.example.org").institution.name == "Malmö universitet"


def test_seed_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not Institution.objects.exists()


def _embedded_broker_url(tmp_path) -> str:
    return f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"


@pytest.mark.parametrize("broker", ["configured", "embedded"])
def test_smoke_task_runs_on_a_real_worker(broker, shared_cache, celery_worker_env, settings, tmp_path):
    """A task sent through the broker is executed by a separately running worker process."""
    from kloss_site.celery import app

    url = settings.CELERY_BROKER_URL if broker == "configured" else _embedded_broker_url(tmp_path)
    if url.startswith("redis") and not redis_reachable(url):
        require_service("Redis", f"broker {url} does not answer")
    worker = WorkerProcess({**celery_worker_env, "CELERY_BROKER_URL": url})
    worker.start()
    try:
        token = uuid.uuid4().hex
        with Connection(url) as conn:  # not the app's: its transport options are for the configured broker
            app.send_task("kloss_site.ping", kwargs={"token": token}, connection=conn)
        assert wait_until(lambda: cache.get(f"celery-ping:{token}") == "pong", timeout=30), worker.output()
    finally:
        worker.stop()


def test_benchmark_floor_exists_only_on_the_benchmark_server(client, member):
    """bench/run.py's floor: no URL unless BENCH_FLOOR=true; the view itself is one query."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from kloss_site.views import FloorView

    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")
    request = RequestFactory().get("/bench/floor/")
    request.user = member.user
    with CaptureQueriesContext(connection) as queries:
        response = FloorView.as_view()(request)
        response.render()
    assert response.status_code == 200 and len(queries) == 1


@pytest.mark.parametrize(
    ("debug", "expected"),
    [("true", "demo"), ("false", ["sekretariat@kloss-net.se"])],
    ids=["development", "production"],
)
def test_secretariat_address_defaults_to_the_demo_login_in_development(debug, expected, tmp_path):
    from network.demo import STAFF_EMAIL  # the demo secretariat's login, as `make run` loads it

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "SECRETARIAT_EMAILS"}
    env.update(DEBUG=debug, KLOSS_VAR_DIR=str(tmp_path), SECRET_KEY="x" * 50, SITE_URL="https://intranet.example.org")
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRETARIAT_EMAILS)"],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "kloss_site.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str([STAFF_EMAIL] if expected == "demo" else expected)
