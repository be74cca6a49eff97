"""Meetings of the network: two a year (spring and autumn), hosted in turn by member institutions."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.models import Institution


class Meeting(models.Model):
    """One slot of the rotation (a year and a season) and, once scheduled, the meeting itself."""

    class Season(models.TextChoices):
        SPRING = "spring", _("Spring")
        AUTUMN = "autumn", _("Autumn")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Host proposed")
        CONFIRMED = "confirmed", _("Host confirmed")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        MINUTES_PUBLISHED = "minutes_published", _("Minutes published")
        CANCELLED = "cancelled", _("Cancelled")

    year = models.PositiveSmallIntegerField(_("year"))
    season = models.CharField(_("season"), max_length=10, choices=Season.choices)
    host = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        verbose_name=_("host institution"),
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    practical_information = models.TextField(_("practical information"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["year", "-season"]  # "spring" > "autumn" alphabetically: spring first in a year
        constraints = [
            models.UniqueConstraint(
                fields=["year", "season"],
                name="meeting_one_per_slot",
                violation_error_message=_("There is already a meeting for this season and year."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_season_display()} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})
