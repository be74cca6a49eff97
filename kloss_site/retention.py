"""Retention: what the privacy notice says is removed, removed every night (beat: "retention-nightly").

Periods live in settings.RETENTION (days) and are printed on the privacy notice from there.
- rejected applications: account, profile and their history rows deleted `rejected_application_days`
  after the decision;
- signups never confirmed by email: deleted `unverified_signup_days` after signup;
- the delivery log (sent, skipped, failed rows of network.Delivery): deleted `delivery_log_days` after due;
- members who left: personal data erased `departed_member_days` after leaving, with the same service as
  "delete my account" (network.services.account_delete: decisions and authorship stay, nameless);
- audit events: deleted after `audit_days`;
- expired email confirmations and expired sessions: deleted.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from kloss_site.celery import app
from network import cache

logger = logging.getLogger("kloss.retention")

DELETED_DOMAIN = "@deleted.invalid"  # what account_delete renames an erased login to


def retention_periods() -> dict[str, int]:
    return dict(settings.RETENTION)


def _delete_member_entirely(member) -> bool:
    """Delete an applicant who never became a member; fall back to erasure if something refers to her."""
    from network.services import account_delete

    user = member.user
    history = type(member).history.model
    try:
        with transaction.atomic():
            pk = member.pk
            user.delete()  # cascades to the member profile and her deliveries
            history.objects.filter(id=pk).delete()  # including the deletion record just written
            cache.changed(member)  # gone from the secretariat's queue
        return True
    except ProtectedError:
        account_delete(user=user)
        return False


def retention_apply(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remove everything past its retention period; returns how many of each kind went."""
    from allauth.account.models import EmailConfirmation
    from django.contrib.sessions.models import Session

    from network.audit import AuditEvent
    from network.models import Delivery, Member
    from network.services import account_delete

    now = now or timezone.now()
    periods = retention_periods()

    def before(key: str) -> datetime.datetime:
        return now - datetime.timedelta(days=periods[key])

    done = {"rejected": 0, "unverified": 0, "deliveries": 0, "departed": 0, "audit": 0, "confirmations": 0}
    for member in Member.objects.filter(
        status=Member.Status.REJECTED, decided_at__lt=before("rejected_application_days")
    ).select_related("user"):
        _delete_member_entirely(member)
        done["rejected"] += 1
    for member in Member.objects.filter(
        status=Member.Status.UNVERIFIED, applied_at__lt=before("unverified_signup_days")
    ).select_related("user"):
        _delete_member_entirely(member)
        done["unverified"] += 1
    done["deliveries"], _ = Delivery.objects.filter(
        status__in=[Delivery.Status.SENT, Delivery.Status.SKIPPED, Delivery.Status.FAILED],
        due_at__lt=before("delivery_log_days"),
    ).delete()
    for member in (
        Member.objects.filter(status=Member.Status.LEFT, left_at__lt=before("departed_member_days"))
        .exclude(user__email__endswith=DELETED_DOMAIN)
        .select_related("user")
    ):
        account_delete(user=member.user)
        done["departed"] += 1
    done["audit"], _ = AuditEvent.objects.filter(at__lt=before("audit_days")).delete()
    expiry = datetime.timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS)
    done["confirmations"], _ = EmailConfirmation.objects.filter(sent__lt=now - expiry).delete()
    Session.objects.filter(expire_date__lt=now).delete()
    logger.info("retention applied", extra={"retention": done})
    return done


@app.task(name="kloss_site.retention")
def retention_nightly() -> dict[str, int]:
    return retention_apply()
