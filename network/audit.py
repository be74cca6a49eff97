"""The audit trail: security-relevant events, logged as JSON lines AND stored for the secretariat.

Recorded: failed logins, permission refusals (PermissionDenied raised in a view), decisions on
applications, staff/superuser flag changes and steering group seats. The receivers below only
record; they never change anything (the business logic stays in services.py).
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import post_save, pre_save
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


def _old_values(model, pk, fields):
    if pk is None:
        return None
    return model._default_manager.filter(pk=pk).values(*fields).first()


def connect_receivers():
    from .models import Member, SteeringGroupSeat, User

    @receiver(pre_save, sender=User, weak=False, dispatch_uid="audit_user_pre")
    def _user_pre(sender, instance, raw=False, **kwargs):
        instance._audit_old = None if raw else _old_values(User, instance.pk, ["is_staff", "is_superuser"])

    @receiver(post_save, sender=User, weak=False, dispatch_uid="audit_user_post")
    def _user_post(sender, instance, created, raw=False, **kwargs):
        old = getattr(instance, "_audit_old", None) or {"is_staff": False, "is_superuser": False}
        new = {"is_staff": instance.is_staff, "is_superuser": instance.is_superuser}
        if raw or old == new:
            return
        audit_record(
            kind=AuditEvent.Kind.STAFF_CHANGED,
            target=f"network.user:{instance.pk}",
            detail={"before": old, "after": new},
        )

    @receiver(pre_save, sender=Member, weak=False, dispatch_uid="audit_member_pre")
    def _member_pre(sender, instance, raw=False, **kwargs):
        instance._audit_old = None if raw else _old_values(Member, instance.pk, ["status"])

    @receiver(post_save, sender=Member, weak=False, dispatch_uid="audit_member_post")
    def _member_post(sender, instance, created, raw=False, **kwargs):
        old = (getattr(instance, "_audit_old", None) or {}).get("status")
        kinds = {
            Member.Status.APPROVED: AuditEvent.Kind.MEMBER_APPROVED,
            Member.Status.REJECTED: AuditEvent.Kind.MEMBER_REJECTED,
        }
        if raw or created or old == instance.status or instance.status not in kinds:
            return
        audit_record(
            kind=kinds[instance.status],
            actor=instance.decided_by or None,
            target=f"network.member:{instance.pk}",
            detail={"before": old, "after": instance.status, "note": instance.decision_note},
        )

    @receiver(post_save, sender=SteeringGroupSeat, weak=False, dispatch_uid="audit_seat_post")
    def _seat_post(sender, instance, created, raw=False, **kwargs):
        if raw:
            return
        audit_record(
            kind=AuditEvent.Kind.STEERING_SEAT,
            target=f"network.member:{instance.member_id}",
            detail={
                "seat": instance.pk,
                "created": created,
                "role": instance.role,
                "starts_on": str(instance.starts_on),
                "ends_on": str(instance.ends_on) if instance.ends_on else None,
            },
        )
