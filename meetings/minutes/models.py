"""The minutes of a meeting, their items (one per agenda item), comments and versions.

Imported by meetings/models.py, so the models are `meetings.Minutes`, `meetings.MinutesItem`, ...
Foreign keys to the other meetings models are string references (this module is imported from
the end of meetings/models.py).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Minutes(models.Model):
    """A meeting's minutes: draft -> circulated (for comments until a deadline) -> approved -> published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comments")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="site_minutes", verbose_name=_("meeting")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField(_("opening (who was there, chair, secretary)"), blank=True)
    comment_deadline = models.DateTimeField(_("comments until"), null=True, blank=True)
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # The meeting whose agenda item "approval of the previous minutes" approved them, when there was one.
    approved_at_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approved at the meeting"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["-meeting__starts_at", "pk"]

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})

    def get_absolute_url(self) -> str:
        return reverse("meetings:minutes_detail", kwargs={"pk": self.meeting_id})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class MinutesItem(models.Model):
    """What was said and decided under one agenda item (or, without an agenda, under a heading)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items", verbose_name=_("minutes"))
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minutes_item",
        verbose_name=_("agenda item"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("minutes item")
        verbose_name_plural = _("minutes items")
        ordering = ["minutes", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class MinutesComment(models.Model):
    """A participant's comment on the circulated minutes, on one item or on the whole."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments", verbose_name=_("minutes"))
    item = models.ForeignKey(
        MinutesItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("item"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"))
    version = models.PositiveIntegerField(_("on version"), default=0)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")
        ordering = ["minutes", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class MinutesVersion(models.Model):
    """Every saved state of the minutes, as the text a reader saw (items, decisions and actions)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions", verbose_name=_("minutes"))

    class Reason(models.TextChoices):
        STARTED = "started", _("Started")
        EDITED = "edited", _("Text edited")
        DECISION = "decision", _("Decision recorded")
        ACTION = "action", _("Action recorded")
        CIRCULATED = "circulated", _("Circulated for comments")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Minutes.Status.choices)
    reason = models.CharField(_("what changed"), max_length=12, choices=Reason.choices)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("version of minutes")
        verbose_name_plural = _("versions of minutes")
        ordering = ["minutes", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutesversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes_id} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:minutes_version", kwargs={"pk": self.minutes.meeting_id, "number": self.number})
