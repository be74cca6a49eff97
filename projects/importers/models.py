"""Where an output came from, who its authors are among the members, and batch import jobs.

Imported by projects/models.py (at its end), so Django registers these in the projects app."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    DOI = "doi", _("DOI (doi.org)")
    SWEPUB = "swepub", _("Swepub")
    LIBRIS = "libris", _("ISBN (LIBRIS)")


class OutputSource(models.Model):
    """An imported output's source record: which source, which identifier there, when and by whom."""

    output = models.OneToOneField(
        "projects.Output", on_delete=models.CASCADE, related_name="source_record", verbose_name=_("output")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    identifier = models.CharField(_("identifier at the source"), max_length=200)
    imported_at = models.DateTimeField(_("imported"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    job = models.ForeignKey(
        "projects.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )

    class Meta:
        verbose_name = _("output source")
        verbose_name_plural = _("output sources")
        indexes = [models.Index(fields=["source", "identifier"], name="output_source_identifier")]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.identifier}"

    @property
    def link(self) -> str:
        """The record at its source, for a person to check."""
        if self.source == Source.DOI:
            return f"https://doi.org/{self.identifier}"
        if self.source == Source.SWEPUB:
            return f"https://bibliometri.swepub.kb.se/api/v1/bibliometrics/publications/{self.identifier}"
        return f"https://libris.kb.se/hitlist?q=isbn:{self.identifier}"


class OutputAuthor(models.Model):
    """An author of an imported output, as the source named her, and the member she is when a person
    confirmed it (ORCID or name and institution proposed the member; nobody is linked unconfirmed)."""

    output = models.ForeignKey(
        "projects.Output", on_delete=models.CASCADE, related_name="author_links", verbose_name=_("output")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True)
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authorships",
        verbose_name=_("member"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A batch import cannot ask: the member it proposes waits here until a person confirms her.
    proposed = models.ForeignKey(
        "network.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("proposed")
    )
    proposal_reason = models.CharField(max_length=10, blank=True)  # matching.REASONS

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["output", "position"]
        constraints = [models.UniqueConstraint(fields=["output", "position"], name="output_author_position")]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """A batch import for a project: a list of identifiers, run by a Celery task item by item, each
    item's result kept (the page shows the progress as the items end)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("project")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} – {self.get_source_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("projects:import_job", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.DONE


class ImportJobItem(models.Model):
    """One identifier of a batch and what became of it."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CREATED = "created", _("Imported")
        DUPLICATE = "duplicate", _("Already registered")
        FAILED = "failed", _("Not imported")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    identifier = models.CharField(_("identifier"), max_length=200)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.PENDING)
    error_code = models.CharField(max_length=20, blank=True)  # client.SourceError's code, translated when shown
    output = models.ForeignKey(
        "projects.Output", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("output")
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job item")
        verbose_name_plural = _("import job items")
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="import_job_item_position")]

    def __str__(self) -> str:
        return self.identifier
