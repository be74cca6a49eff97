"""A real SMTP server (aiosmtpd) that records what it receives."""

import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from tests.support.ports import free_port


@dataclass
class SMTPRecorder:
    """What a real SMTP server received: parsed messages, in arrival order."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    fail_next: int = 0  # answer this many DATA commands with a temporary failure (451)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient address -> the answer to its RCPT
    drop_at: set[int] = field(default_factory=set)  # drop the connection at these DATA commands (1, 2, ...)
    connections: int = 0  # SMTP connections clients opened (one EHLO each)
    data_commands: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # aiosmtpd handler hook
        session.host_name = hostname
        with self.lock:
            self.connections += 1
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd handler hook
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)  # as aiosmtpd does without the hook
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        with self.lock:
            self.data_commands += 1
            if self.data_commands in self.drop_at:
                server.transport.close()  # the connection dies before the answer: the client cannot know
                return "421 Connection dropped"
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


def start_smtp_server(handler=None, *, attempts: int = 5):
    """Start aiosmtpd on a free port: (controller, handler). `handler` defaults to a new SMTPRecorder.
    A port taken by another process between choosing and binding it is retried on a new one."""
    from aiosmtpd.controller import Controller  # a test dependency: importing this module needs none

    for attempt in range(attempts):
        port = free_port()
        recorder = handler or SMTPRecorder(host="127.0.0.1", port=port)
        if isinstance(recorder, SMTPRecorder):
            recorder.port = port
        controller = Controller(recorder, hostname="127.0.0.1", port=port)
        try:
            controller.start()
        except (OSError, RuntimeError):
            if attempt == attempts - 1:
                raise
            continue
        return controller, recorder
    raise AssertionError("unreachable")
