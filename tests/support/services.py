"""Real services or nothing: a test that needs PostgreSQL, Redis or Chromium skips on a laptop that
lacks it and fails when KLOSS_REQUIRE_SERVICES=1 (set by .ci/run), so CI can never pass by skipping."""

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_SERVICES = os.environ.get("KLOSS_REQUIRE_SERVICES", "") in ("1", "true", "yes")


def require_service(name: str, reason: str) -> None:
    """Skip (laptop) or fail (CI) because `name` is missing."""
    message = f"{name} is not available: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (KLOSS_REQUIRE_SERVICES=1 turns this skip into a failure)", pytrace=False)
    pytest.skip(message)


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def chromium_executable() -> str | None:
    """Debian's Chromium, or None."""
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
