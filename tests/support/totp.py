"""Authenticator codes for tests, read as a careful user reads them."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def fresh_totp_code(secret: str, *, time_left: float = 15.0) -> str:
    """The authenticator's current code, with at least `time_left` seconds of its period (30 s) to
    run: when less is left, wait for the next period, as a user waits for a fresh code. allauth
    accepts only the current period (MFA_TOTP_TOLERANCE is 0), so a code computed at 0:29 and checked
    at 0:31 on a loaded machine would be refused."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < time_left:
        time.sleep(remaining + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
