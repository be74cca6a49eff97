"""A real HTTP server on loopback for tests of code that asks other services (the output importers):
routes answer from files or bytes, with a status, a redirect, or no answer at all until the test ends
(a source that hangs: the client's timeout is what ends the request). It records every request."""

import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    location: str = ""  # a redirect's target (status 30x)
    hang: bool = False  # answer nothing until the server stops


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class StubServer:
    routes: dict = field(default_factory=dict)  # (method, path with query) -> Route
    seen: list = field(default_factory=list)
    url: str = ""
    _release: threading.Event = field(default_factory=threading.Event)

    def add(self, method: str, path: str, route: Route | None = None, *, file: Path | None = None, **kwargs) -> None:
        if file is not None:
            kwargs["body"] = Path(file).read_bytes()
        self.routes[(method.upper(), path)] = route or Route(**kwargs)


def start_stub_server() -> tuple[StubServer, http.server.ThreadingHTTPServer]:
    stub = StubServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            stub.seen.append(Seen(self.command, self.path, dict(self.headers), body))
            route = stub.routes.get((self.command, self.path)) or stub.routes.get(
                (self.command, self.path.split("?")[0])
            )
            if route is None:
                route = Route(status=404, body=b'{"errors": ["Not Found"]}')
            if route.hang:
                stub._release.wait(timeout=30)
                return
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        do_GET = do_POST = _answer

        def log_message(self, format, *args):  # quiet: the test reads `seen`
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return stub, server


def stop_stub_server(stub: StubServer, server) -> None:
    stub._release.set()
    server.shutdown()
    server.server_close()
