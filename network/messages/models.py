"""Messages to members: what the secretariat (or a host) wrote, to whom, and in which language.

The rows only record; composing, choosing the recipients and sending live in network/messages/messaging.py.
A message is written in Swedish and, optionally, in English; it is sent once (`sent_at`), each
recipient getting one `MessageRecipient` row and one outbox `Delivery` (kind "member_message").
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """An email to a filtered set of members, in Swedish and optionally English."""

    subject_sv = models.CharField(_("subject (Swedish)"), max_length=200)
    body_sv = models.TextField(_("text (Swedish)"))
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The filter form's data as it was sent (ids and codes): what the recipients were chosen by.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # What the message was limited to, when it was not the secretariat's own (a host's meeting).
    scope_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("limited to")
    )
    scope_id = models.PositiveBigIntegerField(_("limited to (id)"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    # Made when the preview is shown and sent back with "Send": a second submission finds the first.
    token = models.UUIDField(_("submission token"), unique=True, editable=False)

    class Meta:
        verbose_name = _("message to members")
        verbose_name_plural = _("messages to members")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject_en="") & Q(body_en="")) | (~Q(subject_en="") & ~Q(body_en="")),
                name="message_english_whole_or_absent",
                violation_error_message=_("Write both the English subject and text, or neither."),
            )
        ]

    def __str__(self) -> str:
        return self.subject_sv

    def get_absolute_url(self) -> str:
        return reverse("network:message_detail", kwargs={"pk": self.pk})

    @property
    def has_english(self) -> bool:
        return bool(self.subject_en and self.body_en)

    def language_for(self, preferred: str) -> str:
        """The version a recipient gets: hers when both are written, otherwise the one that is."""
        return "en" if preferred == "en" and self.has_english else "sv"

    def subject_in(self, language: str) -> str:
        return self.subject_en if language == "en" and self.has_english else self.subject_sv

    def body_in(self, language: str) -> str:
        return self.body_en if language == "en" and self.has_english else self.body_sv


class MessageRecipient(models.Model):
    """Who got a message, in which language, and its outbox delivery (for its status)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("message"))
    member = models.ForeignKey(
        "network.Member", on_delete=models.CASCADE, related_name="messages_received", verbose_name=_("member")
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    delivery = models.OneToOneField(
        "network.Delivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="message_recipient",
        verbose_name=_("delivery"),
    )

    class Meta:
        verbose_name = _("message recipient")
        verbose_name_plural = _("message recipients")
        ordering = ["message", "pk"]
        constraints = [models.UniqueConstraint(fields=["message", "member"], name="message_once_per_member")]

    def __str__(self) -> str:
        return f"{self.message} → {self.member_id}"
