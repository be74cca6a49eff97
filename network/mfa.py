"""Whether a staff account completed a second factor in this session.

Staff rights (network.rules.is_staff_with_mfa) need more than a password: allauth records every
authentication step of a session (`get_authentication_records`: "password", then "mfa" with the
type "totp" or "recovery_codes"); a session has completed a second factor when such an "mfa" step
is recorded for this user and a TOTP authenticator is still set up (turning TOTP off ends it).
Setting TOTP up proves the factor too (the form checks a code from the app), so activation is
recorded as a step of the session as well (`record_totp_activation`).

A university login (SWAMID, network/federation/) counts as the second factor only when its response
asserted the REFEDS MFA profile: the adapter then keeps the login's uid under FEDERATED_SESSION_KEY,
and it counts while allauth's record of that same social login is in this session for this user.

The session is the request's, the predicates see only the user: `StaffMFAMiddleware` gives the
request's user a lazy `_second_factor_in_session`, and the predicate marks her `_second_factor_missed`
when it refused a staff right for want of it. Outside a request (the shell, a test of the
predicates as plain functions) the account's set-up TOTP stands for it.
"""

from collections.abc import Callable

SESSION_STATE = "_second_factor_in_session"
# Set on the request's user when a staff right was refused for want of the second factor: only such
# refusals send her to complete it (a page refused for another reason keeps its 403 or 404).
MISSED = "_second_factor_missed"
FEDERATED_SESSION_KEY = "federation_mfa_uid"


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator  # allauth's table of second factors

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def completed_in_session(request, user) -> bool:
    """allauth recorded a second factor of this user in this session, and TOTP is still set up."""
    from allauth.account.authentication import get_authentication_records  # allauth's session log

    records = get_authentication_records(request, user)
    federated = request.session.get(FEDERATED_SESSION_KEY) if hasattr(request, "session") else ""
    if federated and any(
        record.get("method") == "socialaccount" and record.get("provider") == "saml" and record.get("uid") == federated
        for record in records
    ):
        return True  # her university asserted the REFEDS MFA profile for this very login
    return any(record.get("method") == "mfa" for record in records) and has_totp(user)


def attach_session_state(request, user) -> None:
    """Give the request's user the (lazy) answer of `completed_in_session` for the predicates."""
    setattr(user, SESSION_STATE, lambda: completed_in_session(request, user))


def second_factor_completed(user) -> bool:
    state: bool | Callable[[], bool] | None = getattr(user, SESSION_STATE, None)
    if state is None:  # not the user of a request
        return has_totp(user)
    if callable(state):
        state = state()
        setattr(user, SESSION_STATE, state)  # asked once per request
    if not state:
        setattr(user, MISSED, True)
    return state


def record_totp_activation(sender, request, user, authenticator, **kwargs) -> None:
    """allauth's `authenticator_added`: TOTP set up in this session counts as its second factor
    (the activation form checked a code from the app). Session bookkeeping for allauth, the way
    its own login records a step; no business logic."""
    from allauth.account.internal.flows.login import record_authentication  # allauth's session log
    from allauth.mfa.models import Authenticator

    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)
    if hasattr(user, SESSION_STATE):
        attach_session_state(request, user)  # asked again on this request
