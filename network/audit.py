"""The audit trail: security-relevant events, logged as JSON lines AND stored for the secretariat.

Recorded: failed logins (allauth's signal), permission refusals (PermissionDenied raised in a view),
and, by the code that makes the decision (pretalx's `log_action`): decisions on applications
(services.member_approve/member_reject), staff/superuser flag changes (the user admin,
services.account_delete) and steering group seats (services, the seat admin). This module imports no
model module of the app: models.py imports it (for AuditEvent), never the other way round.
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("kloss.audit")


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN_FAILED = "login_failed", _("Failed login")
        PERMISSION_DENIED = "permission_denied", _("Permission refused")
        MEMBER_APPROVED = "member_approved", _("Application approved")
        MEMBER_REJECTED = "member_rejected", _("Application rejected")
        STAFF_CHANGED = "staff_changed", _("Staff rights changed")
        STEERING_SEAT = "steering_seat", _("Steering group seat changed")
        WEBHOOK_CHANGED = "webhook_changed", _("Webhook subscription changed")
        API_TOKEN_ISSUED = "api_token_issued", _("API token issued")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    target = models.CharField(_("concerning"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        app_label = "network"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.target}"


def _current_user():
    """Who is acting, when the change comes from a request (simple-history's middleware keeps it)."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def audit_record(*, kind: str, actor=None, target: str = "", detail: dict | None = None) -> AuditEvent:
    """Store the event and write it as one structured log line (logger `kloss.audit`)."""
    actor = actor if actor is not None else _current_user()
    event = AuditEvent.objects.create(kind=kind, actor=actor, target=target[:200], detail=detail or {})
    logger.info(
        "audit %s",
        kind,
        extra={
            "audit_event": kind,
            "actor": getattr(actor, "pk", None),
            "target": event.target,
            "detail": event.detail,
        },
    )
    return event


# --- Receivers (recording only) --------------------------------------------------------------


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; keep only the login tried (email) and the path.
    login = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")[:200]
    audit_record(
        kind=AuditEvent.Kind.LOGIN_FAILED,
        actor=None,
        target=login,
        detail={"path": getattr(request, "path", "")},
    )


class AuditPermissionDeniedMiddleware:
    """Records every PermissionDenied a view raises (Django still answers 403 as before)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            user = request.user if request.user.is_authenticated else None
            audit_record(
                kind=AuditEvent.Kind.PERMISSION_DENIED,
                actor=user,
                target=request.path[:200],
                detail={"method": request.method},
            )
        return None


# --- Recorded where the decision is made --------------------------------------------------------


def staff_flags(user) -> dict:
    """What a staff change is about: {"is_staff": ..., "is_superuser": ...}."""
    return {"is_staff": bool(user.is_staff), "is_superuser": bool(user.is_superuser)}


def audit_staff_change(*, user, before: dict, actor=None) -> AuditEvent | None:
    """Record that `user`'s staff/superuser flags changed from `before` (staff_flags); nothing when
    they did not."""
    after = staff_flags(user)
    if after == before:
        return None
    return audit_record(
        kind=AuditEvent.Kind.STAFF_CHANGED,
        actor=actor,
        target=f"network.user:{user.pk}",
        detail={"before": before, "after": after},
    )


def audit_seat(*, seat, created: bool, actor=None) -> AuditEvent:
    """Record a steering group seat given or changed."""
    return audit_record(
        kind=AuditEvent.Kind.STEERING_SEAT,
        actor=actor,
        target=f"network.member:{seat.member_id}",
        detail={
            "seat": seat.pk,
            "created": created,
            "role": seat.role,
            "starts_on": str(seat.starts_on),
            "ends_on": str(seat.ends_on) if seat.ends_on else None,
        },
    )
