"""A real HTTP receiver for webhooks on 127.0.0.1 (a thread in the test process) that records each call.

The outbox's worker (in the test process, or a real Celery worker process) POSTs to it over a real
socket; a test tells it to fail the next calls (`fail_next`, with `status`) or to answer slowly.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Call:
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass
class WebhookReceiver:
    host: str
    port: int = 0
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    fail_next: int = 0  # answer this many calls with `status`
    status: int = 503
    delay: float = 0.0  # seconds before answering each call (a slow receiver: calls in flight when a worker dies)

    def record(self, call: Call) -> int:
        with self.lock:
            self.calls.append(call)
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.status
        return 204

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Call]:
        """Wait until at least `count` calls arrived (a worker sends asynchronously)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.calls) >= count:
                    return list(self.calls)
            time.sleep(0.05)
        with self.lock:
            return list(self.calls)

    def ids(self) -> Counter:
        with self.lock:
            return Counter(call.headers["webhook-id"] for call in self.calls)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/hooks/kloss"


def certificate_for(name: str, directory) -> tuple[str, str]:
    """A self-signed TLS certificate for the host `name` and its key, as PEM files in `directory`:
    (certificate path, key path)."""
    from network.federation.testing import KeyPair  # the test federation's key pairs (cryptography)

    keys = KeyPair.create(name, dns_names=(name,))
    cert_path, key_path = f"{directory}/{name}.crt", f"{directory}/{name}.key"
    with open(cert_path, "w") as out:
        out.write(keys.cert_pem)
    with open(key_path, "w") as out:
        out.write(keys.key_pem)
    return cert_path, key_path


def start_webhook_receiver(
    host: str = "127.0.0.1", *, tls: tuple[str, str] | None = None
) -> tuple[ThreadingHTTPServer, WebhookReceiver]:
    """Start the receiver on a free port: (server, receiver); over TLS with `tls` = (certificate, key)
    PEM files. Stop with server.shutdown(); server.server_close()."""
    receiver = WebhookReceiver(host=host)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # http.server's hook
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = receiver.record(Call(path=self.path, headers=headers, body=body))
            if receiver.delay:
                time.sleep(receiver.delay)  # the receiver's own pace, not a test waiting on another process
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):  # quiet: the test reports what matters
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    receiver.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, receiver
