"""What the production server really sends: gunicorn with gunicorn.conf.py and the settings'
defaults with DEBUG off (the test client cannot show the `Server` header, a redirect made by the
defaults, or a body refused before it is read)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.waiting import wait_until

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """gunicorn as production starts it (README): DEBUG off, no SECURE_SSL_REDIRECT given."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST") and k not in ("DEBUG", "SECURE_SSL_REDIRECT", "TRUSTED_PROXY_COUNT")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="gunicorn-test-secret-key-not-for-production-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        KLOSS_VAR_DIR=str(tmp_path_factory.mktemp("gunicorn-var")),
        CACHE_KEY_PREFIX=f"test-gunicorn-{port}",
        # Production runs collectstatic for the hashed names; plain names need none.
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    log = tmp_path_factory.mktemp("gunicorn-log") / "gunicorn.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kloss_site.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:

            def listening() -> bool:
                if server.poll() is not None:
                    pytest.fail(f"gunicorn exited:\n{log.read_text()[-3000:]}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        return True
                except OSError:
                    return False

            assert wait_until(listening, timeout=60, interval=0.2), log.read_text()[-3000:]
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)


def raw_request(port: int, head: str, body: bytes = b"", timeout: float = 20) -> tuple[int, dict[str, str], float]:
    """Send `head` (and `body`, possibly shorter than its Content-Length); the status, the headers
    and the seconds the answer took."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    elapsed = time.monotonic() - started
    status_line, *lines = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, elapsed


def test_gunicorn_sends_no_server_header(gunicorn):
    status, headers, _ = raw_request(gunicorn, "GET /healthz HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n")
    assert status in (200, 503)
    assert "server" not in headers


def test_plain_http_is_redirected_to_https_by_default(gunicorn):
    status, headers, _ = raw_request(gunicorn, "GET /accounts/login/ HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n")
    assert status == 301 and headers["location"] == "https://127.0.0.1/accounts/login/"
    status, _, _ = raw_request(
        gunicorn,
        "GET /accounts/login/ HTTP/1.1\nHost: 127.0.0.1\nX-Forwarded-Proto: https\nConnection: close\n",
    )
    assert status == 200


def test_an_oversized_upload_is_refused_before_its_body_is_read(gunicorn):
    """25 MB announced, 64 KB sent: the answer comes at once (nothing waits for the rest)."""
    announced = 25 * 1024 * 1024
    head = (
        "POST /meetings/1/documents/add/ HTTP/1.1\nHost: 127.0.0.1\nX-Forwarded-Proto: https\n"
        "Content-Type: multipart/form-data; boundary=xyz\nAccept-Language: en\n"
        f"Content-Length: {announced}\nConnection: close\n"
    )
    status, _, elapsed = raw_request(gunicorn, head, body=b"x" * 65536, timeout=15)
    assert status == 413
    assert elapsed < 10
