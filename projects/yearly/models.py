"""A kept yearly report: which year and language, who asked, how its generation went, its files."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A generation takes seconds; a row queued or running for longer than this is taken to be lost (a
# broker outage, a worker killed mid-way): the same year and language may be asked for again.
YEARLY_REPORT_STUCK_AFTER = datetime.timedelta(minutes=15)


def yearly_report_path(instance: "YearlyReport", filename: str) -> str:
    # A random name on disk (the download names it); never under a public URL (MEDIA_URL is not served).
    return f"yearly-reports/{instance.year}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class YearlyReport(models.Model):
    """The network's yearly report for a year in a language: PDF and an editable Word file, both
    built from the same gathered data. Downloadable by staff and the steering group only."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be generated")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    pdf = models.FileField(_("PDF"), upload_to=yearly_report_path, max_length=300, blank=True)
    docx = models.FileField(_("Word file"), upload_to=yearly_report_path, max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state"], name="yearlyreport_state")]

    def __str__(self) -> str:
        return f"{self.year} ({self.language})"

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_stuck(self) -> bool:
        return self.is_pending and self.created_at < timezone.now() - YEARLY_REPORT_STUCK_AFTER

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def seconds(self) -> float | None:
        """How long the generation took."""
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def download_name(self, extension: str) -> str:
        stem = "arsrapport" if self.language == "sv" else "yearly-report"
        return f"kloss-net-{stem}-{self.year}-{self.language}.{extension}"

    def get_download_url(self, extension: str) -> str:
        return reverse("projects:yearly_report_download", kwargs={"pk": self.pk, "extension": extension})

    @property
    def pdf_url(self) -> str:
        return self.get_download_url("pdf")

    @property
    def docx_url(self) -> str:
        return self.get_download_url("docx")
