"""Issue 13: links in emails point at the running site. `make run` sets SITE_URL from its PORT; with
DEBUG off the site refuses to start without SITE_URL."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k not in ("SITE_URL", "PORT", "DEBUG")}
    env.update(extra)
    return env


def _make_run(tmp_path: Path, *make_args: str, **env) -> list[str]:
    """`make run` with a stand-in virtualenv whose `python` and `honcho` only write down the
    SITE_URL and DEBUG they were started with: what the web server, worker and beat would get."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    venv = tmp_path / "venv"
    bin_dir = venv / "bin"
    bin_dir.mkdir(parents=True)
    record = tmp_path / "started.txt"
    for name in ("python", "honcho"):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\necho "{name} $1 SITE_URL=$SITE_URL DEBUG=$DEBUG" >> "{record}"\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    (venv / ".installed").touch()  # newer than requirements.txt: nothing to install
    result = subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={venv}", f"BIN={bin_dir}", *make_args],
        cwd=BASE_DIR,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return record.read_text().splitlines()


def test_make_run_points_site_url_at_its_port(tmp_path):
    started = _make_run(tmp_path, "PORT=8123")
    honcho = [line for line in started if line.startswith("honcho")]
    assert honcho == ["honcho start SITE_URL=http://127.0.0.1:8123 DEBUG=true"]
    # migrate and seed_demo run with the same SITE_URL as the web server and the worker.
    assert all("SITE_URL=http://127.0.0.1:8123" in line for line in started)


def test_make_run_keeps_a_site_url_that_is_set(tmp_path):
    started = _make_run(tmp_path, "PORT=8123", SITE_URL="https://intranet.example.org")
    assert "honcho start SITE_URL=https://intranet.example.org DEBUG=true" in started


def _settings_site_url(**env) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_clean_env(
            DJANGO_SETTINGS_MODULE="kloss_site.settings",
            SECRET_KEY="site-url-test-only-secret-key-0123456789abcdefghijklmnop",
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_site_url():
    result = _settings_site_url(DEBUG="false")
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr


def test_production_refuses_a_site_url_without_scheme():
    result = _settings_site_url(DEBUG="false", SITE_URL="intranet.kloss-net.se")
    assert result.returncode != 0
    assert "SITE_URL must start with http:// or https://" in result.stderr


def test_production_starts_with_site_url_and_drops_the_trailing_slash():
    result = _settings_site_url(DEBUG="false", SITE_URL="https://intranet.kloss-net.se/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://intranet.kloss-net.se"


def test_development_defaults_site_url():
    result = _settings_site_url(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://localhost:8000"
