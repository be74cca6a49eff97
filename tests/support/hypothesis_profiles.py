"""Hypothesis profiles: `ci` (chosen when CI=true, as .ci/run sets) draws the same examples on every
run and keeps no example database, so a CI failure is a bug that reproduces, never a new random
draw; `dev` (a laptop) explores freshly each run and remembers failing examples in .hypothesis/.
Neither has a deadline: a loaded machine must not turn a slow example into a failure.
HYPOTHESIS_PROFILE=ci|dev chooses explicitly."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)


def load_profile() -> str:
    """Load the profile for this run; the name loaded."""
    default = "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"
    name = os.environ.get("HYPOTHESIS_PROFILE", default)
    settings.load_profile(name)
    return name
