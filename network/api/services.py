"""Every write to API tokens: issue (the secret is returned once, only its hash is stored), revoke,
and the note of its last use (at most once a minute)."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from network.audit import AuditEvent, audit_record

from .models import TOKEN_PREFIX, ApiToken, token_hash

# How stale "last used" may be: one UPDATE a minute per busy token, not one per request.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, to the staff member who issued it; never stored


@transaction.atomic
def api_token_issue(*, by, institution, scope: str, expires_at: datetime.datetime, note: str) -> IssuedToken:
    """Make a token. Side effects: the row (its hash, never the secret) and an audit event."""
    body = secrets.token_urlsafe(32)  # 256 random bits
    secret = f"{TOKEN_PREFIX}{body}"
    token = ApiToken.objects.create(
        institution=institution,
        scope=scope,
        note=note,
        key_start=body[:8],
        key_hash=token_hash(secret),
        expires_at=expires_at,
        created_by=by,
    )
    audit_record(
        kind=AuditEvent.Kind.API_TOKEN_ISSUED,
        actor=by,
        target=str(token),
        detail={"token": token.pk, "institution": institution.pk if institution else None, "scope": scope},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> bool:
    """Revoke the token (at once: every request reads it). Returns False when it already was.
    Side effects: revoked_at/by and an audit event."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(kind=AuditEvent.Kind.API_TOKEN_REVOKED, actor=by, target=str(token), detail={"token": token.pk})
    return True


def api_token_touch(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Note that the token was used now, when the note is older than LAST_USE_RESOLUTION: the row was
    just read to authenticate, so a fresh note costs no query at all. The UPDATE is conditional, so
    concurrent requests write it once."""
    now = now or timezone.now()
    stale = now - LAST_USE_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    ApiToken.objects.filter(pk=token.pk).filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)).update(
        last_used_at=now
    )
    token.last_used_at = now
