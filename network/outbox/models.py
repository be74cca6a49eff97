"""The delivery log: one row per message we owe someone, the single source of truth for what was sent.

Celery only carries work; this table decides. A row is created by the sweep when a reminder falls
due (unique per kind, object and recipient, so a second sweep creates nothing), moves
queued -> sending -> sent (or skipped / failed), and is re-queued by the sweep when it waited too
long in a broker that lost it. See network/outbox/worker.py for the services that move it.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryQuerySet(models.QuerySet):
    def stuck(self, *, now=None, after):
        """Rows a lost broker message or a killed worker left behind: queued or sending for longer than `after`.

        A queued row whose `queued_at` lies in the future waits for a retry countdown, not stuck.
        """
        limit = (now or timezone.now()) - after
        return self.filter(
            Q(status=Delivery.Status.QUEUED, queued_at__isnull=True)
            | Q(status=Delivery.Status.QUEUED, queued_at__lt=limit)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=limit)
        )

    def waiting_on_retry(self):
        """Rows that failed with a transient error (4xx, no connection) and wait to be tried again."""
        return self.filter(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING], failing_since__isnull=False)

    def emails(self):
        """Emails only (what the mail server's health is judged by), not webhook calls."""
        return self.filter(webhook__isnull=True)

    def counts(self) -> dict[str, int]:
        """{status: count} for every status (zeros included): the backoffice headline."""
        found = dict(self.order_by().values_list("status").annotate(n=models.Count("pk")))
        return {status: found.get(status, 0) for status in Delivery.Status.values}


class Delivery(models.Model):
    """One message owed to one recipient about one object (a meeting, a report, a digest week): an email
    to a member or an address, or a webhook call to a subscription (`webhook`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    # The object the message is about, as a stable string ("meetings.meeting:12", "2026-W48"): repeating
    # kinds put their period here, so the unique constraint holds per period.
    object_key = models.CharField(_("object"), max_length=120)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    recipient = models.ForeignKey(
        "network.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    # Only for recipients who are not members (the secretariat's digest).
    recipient_email = models.EmailField(_("recipient email"), blank=True)
    # A webhook call instead of an email (network/webhooks/): the subscription it is signed for and sent to.
    webhook = models.ForeignKey(
        "network.WebhookSubscription",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("webhook subscription"),
    )
    due_at = models.DateTimeField(_("due"))
    expires_at = models.DateTimeField(_("too late after"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When this row's run of failed tries began (its first 4xx or connection error): the retries stop
    # settings.REMINDER_RETRY_FOR after it, and the oldest one waiting tells how long mail has been failing.
    # Cleared when the row is sent again by hand.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    queued_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed by a worker"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-due_at", "-pk"]
        constraints = [
            # NULLs are distinct in a unique index: members and bare addresses get one constraint each.
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient"],
                condition=Q(recipient__isnull=False),
                name="delivery_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient_email"],
                condition=Q(recipient__isnull=True, webhook__isnull=True),
                name="delivery_once_per_address",
            ),
            models.UniqueConstraint(
                fields=["kind", "object_key", "webhook"],
                condition=Q(webhook__isnull=False),
                name="delivery_once_per_webhook",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(recipient_email="") | Q(webhook__isnull=False),
                name="delivery_has_a_recipient",
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"]), models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} → {self.recipient_id or self.recipient_email}"

    @property
    def to_address(self) -> str:
        if self.webhook_id is not None:
            return self.webhook.url
        return self.recipient.email if self.recipient_id else self.recipient_email

    @property
    def is_webhook(self) -> bool:
        return self.webhook_id is not None
