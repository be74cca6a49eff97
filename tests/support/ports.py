"""Free TCP ports on 127.0.0.1, for servers a test starts."""

import socket


def free_port() -> int:
    """A port nobody listens on right now. Another process may take it before the caller binds it:
    callers that can retry (see smtp.start_smtp_server) should."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
