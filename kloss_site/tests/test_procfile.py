"""`make run`'s Procfile: one Ctrl-C stops every process within honcho's grace period.

On Ctrl-C honcho sends SIGTERM to each process's group and SIGKILLs whatever still runs 5 seconds
later; a process has stopped for honcho when its output pipe closes (the Procfile's shell dies at
once; the Celery process under it holds the pipe until it exits). The worker and beat are started
here as honcho starts them (the Procfile's command through a shell, in a session of its own, output
to a pipe, on the embedded broker in a fresh var directory, DEBUG on) and must close the pipe by
themselves well within those 5 seconds."""

import contextlib
import os
import select
import signal
import subprocess
import time

import pytest

from tests.support.worker import BASE_DIR

GRACE = 4.0  # seconds: honcho waits 5, and a machine shared with other jobs is slower than a laptop
STARTED = {"worker": b"ready.", "beat": b"beat: Starting"}


def procfile_command(name: str) -> str:
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise LookupError(f"no {name} in the Procfile")


def read_until(pipe, output: bytearray, *, seen: bytes | None, timeout: float) -> bool:
    """Read the pipe into `output` until `seen` appears in it (True), or, with `seen` None, until the
    pipe closes (True); False when `timeout` seconds pass first. Waits on the pipe, never sleeps."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if seen is not None and seen in output:
            return True
        ready, _, _ = select.select([pipe], [], [], left)
        if ready:
            chunk = os.read(pipe.fileno(), 65536)
            if not chunk:  # every writer is gone
                return seen is None
            output += chunk
    return False


@pytest.mark.slow
@pytest.mark.parametrize("name", ["worker", "beat"])
def test_procfile_process_stops_on_sigterm_within_honchos_grace_period(name, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "CELERY_", "DJANGO_"))
        and k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "KLOSS_REQUIRE_SERVICES")
    }
    env.update(DEBUG="true", KLOSS_VAR_DIR=str(tmp_path), PORT="8765")  # as `make run` sets them
    process = subprocess.Popen(  # as honcho does: through a shell, in a session (a process group) of its own
        procfile_command(name),
        shell=True,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output = bytearray()
    try:
        assert read_until(process.stdout, output, seen=STARTED[name], timeout=60), output.decode(errors="replace")
        assert b"sqla+sqlite" in output  # the embedded broker, as in development
        os.killpg(process.pid, signal.SIGTERM)  # honcho's terminate()
        stopped = read_until(process.stdout, output, seen=None, timeout=GRACE)
        assert stopped, f"{name} still runs {GRACE} s after SIGTERM:\n{output.decode(errors='replace')[-3000:]}"
        assert b"Traceback" not in output, output.decode(errors="replace")[-3000:]
    finally:
        with contextlib.suppress(ProcessLookupError):  # stopped: the group is gone
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
