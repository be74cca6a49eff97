"""Failed logins are counted per account and per client address as the TLS proxy reports it
(ACCOUNT_RATE_LIMITS["login_failed"], ALLAUTH_TRUSTED_PROXY_COUNT): behind the proxy every request
comes from the proxy's address, and one attacker must not lock everyone else out."""

import pytest
from django.conf import settings
from django.urls import reverse

from network.tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # REMOTE_ADDR of every request: the TLS proxy on the same machine
ATTACKER = "203.0.113.66"
COLLEAGUE = "198.51.100.7"


def per(scope: str) -> int:
    """The number of failures allowed per `ip` or `key` (account) by the configured limit."""
    for part in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(","):
        amount, _, kind = part.split("/")
        if kind == scope:
            return int(amount)
    raise AssertionError(f"no per-{scope} limit")


def attempt(client, email, password, client_address, forged=""):
    """A login through the proxy: it appends the address it saw to X-Forwarded-For (after anything
    the client sent itself)."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    client.logout()
    return response


def refused(response) -> bool:
    return response.status_code == 200 and "Too many failed login attempts" in response.content.decode()


def test_production_trusts_one_proxy():
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 1  # DEBUG is off in the tests, as in production


def test_attacker_failures_do_not_block_another_accounts_login_from_the_same_proxy(client):
    victim, colleague = MemberFactory(), MemberFactory()
    for _ in range(per("key")):
        assert not refused(attempt(client, victim.user.email, "wrong-password-123", ATTACKER))
    # The attacked account is locked (per account), whoever tries it ...
    assert refused(attempt(client, victim.user.email, PASSWORD, ATTACKER))
    # ... but a colleague behind the same proxy logs in to her own account.
    response = attempt(client, colleague.user.email, PASSWORD, COLLEAGUE)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_one_address_trying_many_accounts_is_stopped_without_stopping_others(client):
    """Password spraying: one failure per account stays under the per-account limit; the per-address
    limit stops it, for that address only (a forged X-Forwarded-For does not change the address)."""
    members = MemberFactory.create_batch(per("ip") + 1)
    for index, member in enumerate(members[:-1]):
        response = attempt(client, member.user.email, "wrong-password-123", ATTACKER, forged=f"10.0.0.{index}")
        assert not refused(response)
    assert refused(attempt(client, members[-1].user.email, PASSWORD, ATTACKER, forged="10.9.9.9"))
    response = attempt(client, members[-1].user.email, PASSWORD, COLLEAGUE)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, settings):
    """Reached directly (TRUSTED_PROXY_COUNT=0), a client could write any X-Forwarded-For: the
    connection's own address counts."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    members = MemberFactory.create_batch(per("ip") + 1)
    for index, member in enumerate(members[:-1]):
        attempt(client, member.user.email, "wrong-password-123", f"10.0.0.{index}")
    assert refused(attempt(client, members[-1].user.email, PASSWORD, "10.1.1.1"))
