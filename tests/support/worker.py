"""A real `celery worker` process for tests and benchmarks, and the lock that keeps a test which
flushes the broker's Redis DB from pulling the queue from under another process's worker."""

import contextlib
import fcntl
import hashlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# The worker's log line for each task it receives ("Task <name>[<id>] received") and for each way a
# task's run ends ("succeeded in ...", "retry: ...", "raised ...", "ignored", a rejection): celery/app/trace.py.
_TASK_LINE = re.compile(rb"Task [\w.:-]+\[[0-9a-f-]+\] (\w+)")


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


# --- One broker, several test processes ---------------------------------------------------------
# pytest-xdist's processes share the broker's Redis DB (each has its own queue). Every worker holds a
# shared lock on the broker for its lifetime; a test that flushes the whole DB holds it exclusively,
# so it waits for the others' workers to finish instead of deleting their messages.
_exclusive_brokers: set[str] = set()


def _lock_path(broker_url: str) -> Path:
    digest = hashlib.sha256(broker_url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"kloss-test-broker-{digest}.lock"


@contextlib.contextmanager
def broker_lock(broker_url: str, *, exclusive: bool = False):
    """Hold the broker: shared (a worker uses it) or exclusive (the test will flush it). A process that
    holds a broker exclusively takes no shared lock on it for its own workers."""
    if not broker_url.startswith("redis") or (not exclusive and broker_url in _exclusive_brokers):
        yield
        return
    with open(_lock_path(broker_url), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        if exclusive:
            _exclusive_brokers.add(broker_url)
        try:
            yield
        finally:
            if exclusive:
                _exclusive_brokers.discard(broker_url)
            fcntl.flock(handle, fcntl.LOCK_UN)


class WorkerProcess:
    """`celery -A kloss_site worker` as a child process; restartable, killable (fault tests)."""

    def __init__(self, env: dict, concurrency: int = 2, pool: str = "prefork"):
        self.env = env
        self.concurrency = concurrency
        self.pool = pool
        self.proc: subprocess.Popen | None = None
        self.log_path = Path(env["KLOSS_VAR_DIR"]) / f"worker-{uuid.uuid4().hex[:8]}.log"
        self._broker = contextlib.ExitStack()
        self._holds_broker = False

    def start(self) -> None:
        if not self._holds_broker:  # a restart after kill() keeps the lock it has
            self._broker.enter_context(broker_lock(self.env.get("CELERY_BROKER_URL", "")))
            self._holds_broker = True
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

    def outstanding(self) -> int:
        """Tasks the worker has received and not finished running: those in its pool, those waiting for
        a free process and the retries it holds until their countdown is over (a retry is sent again
        and received anew). Read from its log, which logs every receipt and every end."""
        ends = _TASK_LINE.findall(self.log_path.read_bytes())
        return sum(1 if word == b"received" else -1 for word in ends)

    def queue_size(self) -> int:
        """Messages on the worker's queue at the broker that it has not received yet."""
        from kombu import Connection
        from kombu.exceptions import ChannelError

        with Connection(self.env["CELERY_BROKER_URL"]) as connection:
            try:
                declared = connection.default_channel.queue_declare(
                    queue=self.env["CELERY_TASK_DEFAULT_QUEUE"], passive=True
                )
            except ChannelError:  # Redis keeps no empty list: a queue nobody sent to is not there
                return 0
            return declared.message_count

    def idle(self) -> bool:
        """Nothing left to run: the queue is empty and every task received has ended. With the rows
        a test watches in a final state, no further email can come from them (a task only claims a
        queued row): the condition that replaces "wait a while for a duplicate"."""
        return self.queue_size() == 0 and self.outstanding() == 0

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def pool_pids(self) -> list[int]:
        """The worker's pool processes (the ones that run tasks): its process group but the main process."""
        if not self.proc or self.proc.poll() is not None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == self.proc.pid:
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            # "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after its closing parenthesis.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == self.proc.pid:
                pids.append(int(entry.name))
        return pids

    def kill(self) -> int:
        """SIGKILL the whole process group: the main process and its pool children die hard. Returns how
        many pool processes (each of which may have had one message in flight) were killed."""
        if not self.proc or self.proc.poll() is not None:
            return 0
        pool = len(self.pool_pids())
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        return pool

    def stop(self) -> None:
        """SIGTERM to the group, SIGKILL 5 s later, as honcho stops `make run`. Signalled with the main
        process, a pool process can die holding the pool's queue lock, and the main process then waits
        on it at exit (billiard's Pool._help_stuff_finish) until it is killed: 3 stops in 155 on the
        embedded broker, which cost 20 s each with the former grace. A SIGTERM to the main process
        alone did not hang (0 in 30) but every stop took 2.2 s instead of 1.0 s (billiard's pool threads
        wind down in 1-second turns). Stops are in `finally:` only: a task cut short there is the
        outbox's to sweep, as after any killed worker."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "log", None):
            self.log.close()
        self._broker.close()
        self._holds_broker = False
