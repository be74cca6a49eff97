"""Joint development projects (each under a theme: meetings.Theme), reporting rounds, reports and outputs (results)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models import Theme
from network.language.collation import SWEDISH
from network.models import Institution, Member

from .validators import validate_doi, validate_isbn


class ProjectQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Project.Status.ACTIVE)

    def for_institution(self, institution):
        return self.filter(Q(lead_institution=institution) | Q(institutions=institution)).distinct()


class Project(models.Model):
    """A joint development project of several member institutions under a theme."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DISCONTINUED = "discontinued", _("Discontinued")

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("theme"))
    title = models.CharField(_("title"), max_length=200, db_collation=SWEDISH)
    summary = models.TextField(_("summary"))
    goals = models.TextField(_("goals"), blank=True)
    lead_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("lead institution")
    )
    institutions = models.ManyToManyField(
        Institution, related_name="projects", blank=True, verbose_name=_("participating institutions")
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[institutions])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["title"], name="project_title"),  # the project list: 25 rows in title order
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="project_ends_after_start",
                violation_error_message=_("A project must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", kwargs={"pk": self.pk})


class Participation(models.Model):
    """A member in a project; coordinators edit the project and submit its reports."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="project_participations", verbose_name=_("member")
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-is_coordinator", "member__user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "member"],
                name="participation_once",
                violation_error_message=_("This member already takes part in the project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.project}"


class ExternalPartner(models.Model):
    """An organisation outside higher education the project works with."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        AGENCY = "agency", _("Government agency")
        REGION = "region", _("Region or municipality")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("external partner")
        verbose_name_plural = _("external partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectLink(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"))

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ReportingRound(models.Model):
    """A round of reports, due a few weeks before a meeting: every active project owes one report."""

    title = models.CharField(_("title"), max_length=200)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporting_rounds",
        verbose_name=_("meeting"),
    )
    deadline = models.DateField(_("deadline"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-deadline"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:round_detail", kwargs={"pk": self.pk})

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline


class Report(models.Model):
    """A project's report in a round: a draft by the participants, submitted by a coordinator."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Progress(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DELAYED = "delayed", _("Delayed")

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reports")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    progress = models.TextField(_("progress"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Progress.choices, default=Progress.ON_TRACK)
    status_reason = models.TextField(_("reason"), blank=True, help_text=_("Required unless the project is on track."))
    learned = models.TextField(_("what we learned"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    outputs_since_last = models.TextField(_("outputs since the last report"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["project__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "project"],
                name="report_one_per_round",
                violation_error_message=_("This project already has a report in this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("projects:report_detail", kwargs={"pk": self.pk})

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def is_late(self) -> bool:
        if not self.submitted_at:
            return False
        return timezone.localtime(self.submitted_at).date() > self.round.deadline


def output_upload_to(instance, filename: str) -> str:
    return f"outputs/{timezone.now():%Y/%m}/{filename}"


class Output(models.Model):
    """A result of a project: a report, an article, an event, a spin-out project..."""

    class Type(models.TextChoices):
        REPORT = "report", _("Report")
        ARTICLE = "article", _("Research article")
        BOOK = "book", _("Book or chapter")
        SPIN_OUT = "spin_out", _("Spin-out project")
        EVENT = "event", _("Event")
        POLICY = "policy", _("Policy input")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("project"))
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    title = models.CharField(_("title"), max_length=300, db_collation=SWEDISH)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[validate_doi])
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True, validators=[validate_isbn])
    url = models.URLField(_("address"), blank=True)
    file = models.FileField(_("file"), upload_to=output_upload_to, blank=True)
    spin_out = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spun_out_from",
        verbose_name=_("new project"),
        help_text=_("For a spin-out: the project it became."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["-year", "title"]
        indexes = [
            # The catalogue's order (-year, title, pk), whole and filtered by type: a page of 25 read
            # from the index instead of sorting every output. Also serve filters by year or by type.
            models.Index(fields=["-year", "title", "id"], name="output_catalogue"),
            models.Index(fields=["type", "-year", "title", "id"], name="output_catalogue_type"),
            models.Index(fields=["-created_at"], name="output_latest"),  # the home page's latest results
            # The dashboard's outputs per year and per type: one index-only scan, grouped in order.
            models.Index(fields=["year", "type"], name="output_year_type"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:output_detail", kwargs={"pk": self.pk})


def uptake_evidence_upload_to(instance, filename: str) -> str:
    return f"uptake/{timezone.now():%Y/%m}/{filename}"


class UptakeQuerySet(models.QuerySet):
    def of_project_as_a_whole(self):
        return self.filter(output__isnull=True)


class Uptake(models.Model):
    """What one institution did with a shared result: an output, or a project as a whole.

    The network's answer to "what happens with the results?" (Pure's "Impact" record: a level,
    evidence, a period). Everyone in the network reads it; only the institution's members and staff
    change it (projects.rules). One record per institution and result; its later follow-up is kept
    on the record and its history."""

    class Level(models.TextChoices):
        # Ordered from the least to the most: the coverage view and the yearly report rank by it.
        INFORMED = "informed", _("Informed")
        TRIED = "tried", _("Tried")
        ADOPTED = "adopted", _("Adopted")
        CHANGED = "changed", _("Changed practice or policy")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="uptakes", verbose_name=_("institution")
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="uptakes", verbose_name=_("project"))
    output = models.ForeignKey(
        Output,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="uptakes",
        verbose_name=_("output"),
        help_text=_("Leave empty when the institution took up the project as a whole."),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    description = models.TextField(_("what was done"))
    responsible = models.CharField(
        _("responsible locally"), max_length=200, blank=True, help_text=_("Who is responsible at the institution.")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    evidence_file = models.FileField(_("evidence (file)"), upload_to=uptake_evidence_upload_to, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True, help_text=_("What came of it, written later."))
    followed_up_on = models.DateField(_("followed up"), null=True, blank=True)
    round = models.ForeignKey(
        ReportingRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uptakes",
        verbose_name=_("reporting round"),
        help_text=_("The round that asked for it, if any."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = UptakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("uptake")
        verbose_name_plural = _("uptake")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "output"], condition=Q(output__isnull=False), name="uptake_one_per_output"
            ),
            models.UniqueConstraint(
                fields=["institution", "project"], condition=Q(output__isnull=True), name="uptake_one_per_project"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="uptake_period_order"
            ),
        ]
        indexes = [models.Index(fields=["project", "institution"], name="uptake_project_institution")]

    def __str__(self) -> str:
        return f"{self.institution}: {self.output or self.project}"

    def clean(self) -> None:
        super().clean()
        if self.output_id and self.project_id and self.output.project_id != self.project_id:
            raise ValidationError({"output": _("This output belongs to another project.")})

    @property
    def result(self):
        """The result taken up: the output, or the project as a whole."""
        return self.output or self.project


# The yearly report's model lives in its own room (projects/yearly/); Django finds models here.
from .yearly.models import YearlyReport  # noqa: E402, F401
