"""Meetings of the network: two a year (spring and autumn), hosted in turn by member institutions."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from network.language.collation import SWEDISH
from network.models import Institution, Member


class MeetingQuerySet(models.QuerySet):
    def network(self):
        """The spring and autumn network meetings: the rotation's slots."""
        return self.filter(kind=Meeting.Kind.NETWORK)

    def open_to_all_members(self):
        """Every kind but steering-group meetings (which only its seats and the secretariat see)."""
        return self.exclude(kind=Meeting.Kind.STEERING)

    def visible_in_calendar(self):
        """Meetings with a date (cancelled ones too: subscribers must see the cancellation)."""
        return self.filter(starts_at__isnull=False, ends_at__isnull=False)


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

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network meeting")
        STEERING = "steering", _("Steering-group meeting")
        OTHER = "other", _("Other gathering")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid (in person and online)")
        ONLINE = "online", _("Online")

    # Network meetings (spring and autumn, hosted in rotation) are one per slot; steering-group
    # meetings (its seats and the secretariat only) and other gatherings (a programme conference)
    # take no part in the rotation.
    kind = models.CharField(_("kind of meeting"), max_length=10, choices=Kind.choices, default=Kind.NETWORK)
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
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    video_link = models.URLField(_("video-call link"), max_length=500, blank=True)
    address = models.TextField(_("address"), blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    practical_information = models.TextField(_("practical information"), blank=True)
    # Incremented whenever the date, time or place changes: the .ics SEQUENCE, and what tells the
    # reminders that members must be told about a change.
    sequence = models.PositiveIntegerField(_("change counter"), default=0, editable=False)
    # When the minutes were published (services.meeting_publish_minutes): the participants' notice
    # (meetings/reminders.py, meeting_minutes_published) is due from this moment.
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True, editable=False)
    # Why the planner proposed this host (structured, rendered in the reader's language).
    rotation_reason = models.JSONField(_("rotation reason"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["year", "-season"]  # "spring" > "autumn" alphabetically: spring first in a year
        constraints = [
            models.UniqueConstraint(
                fields=["year", "season"],
                condition=Q(kind="network"),
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
        if self.kind != self.Kind.NETWORK:
            return f"{self.get_kind_display()}, {self.get_season_display().lower()} {self.year}"
        return f"{self.get_season_display()} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_network_meeting(self) -> bool:
        return self.kind == self.Kind.NETWORK

    @property
    def is_restricted(self) -> bool:
        """Steering-group meetings are seen by its seats and the secretariat only (rules.py)."""
        return self.kind == self.Kind.STEERING

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def slot(self) -> tuple[int, int]:
        """A sortable key of the slot: (year, 0 for spring / 1 for autumn)."""
        return (self.year, 0 if self.season == self.Season.SPRING else 1)

    @property
    def display_title(self) -> str:
        return self.title or str(self)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def uid(self) -> str:
        """The stable iCalendar UID."""
        return f"meeting-{self.pk}@kloss-net.se"


class HostDecline(models.Model):
    """An institution cannot host a slot: the planner skips it for that slot."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declines", verbose_name=_("meeting"))
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="host_declines", verbose_name=_("institution")
    )
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declined by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("declined"), auto_now_add=True)

    class Meta:
        verbose_name = _("declined hosting")
        verbose_name_plural = _("declined hostings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "institution"],
                name="hostdecline_once_per_slot",
                violation_error_message=_("This institution has already declined this meeting."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} / {self.meeting}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # "Approval of the previous minutes": the minutes this item approves (meetings/minutes/).
    approves_minutes = models.ForeignKey(
        "meetings.Minutes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approval_items",
        verbose_name=_("approves the minutes"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="agendaitem_ends_after_start",
                violation_error_message=_("An agenda item must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        """The admin inline's check; the site's form goes through services.agenda_item_add."""
        from django.core.exceptions import ValidationError  # only needed here

        meeting = self.meeting if self.meeting_id else None
        times = [t for t in (self.starts_at, self.ends_at) if t is not None]
        has_span = meeting is not None and meeting.starts_at and meeting.ends_at
        if has_span and any(not (meeting.starts_at <= t <= meeting.ends_at) for t in times):
            raise ValidationError(_("An agenda item must be within the meeting's start and end."))


class AttendanceQuerySet(models.QuerySet):
    def attending(self):
        return self.filter(status=Attendance.Status.ATTENDING)

    def waiting(self):
        return self.filter(status=Attendance.Status.WAITING).order_by("waitlisted_at", "pk")


class Attendance(models.Model):
    """A member's answer to a meeting's invitation (RSVP)."""

    class Status(models.TextChoices):
        ATTENDING = "attending", _("Attending")
        WAITING = "waiting", _("On the waiting list")
        NOT_ATTENDING = "not_attending", _("Not attending")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="meeting_attendances", verbose_name=_("member")
    )
    status = models.CharField(_("answer"), max_length=20, choices=Status.choices)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    stand_in_for = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stand_ins",
        verbose_name=_("stand-in for"),
    )
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    # Marked by the host or the secretariat after the meeting: None = not marked yet.
    attended = models.BooleanField(_("was there"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "status", "responded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_once_per_member",
                violation_error_message=_("This member has already answered for this meeting."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.meeting}: {self.get_status_display()}"


def _document_path(instance: "MeetingDocument", filename: str) -> str:
    # A random name on disk: the original name is kept in a field and only sent on download.
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class MeetingDocument(models.Model):
    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        PRESENTATION = "presentation", _("Presentation")
        MINUTES = "minutes", _("Minutes")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["kind", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:document_download", kwargs={"pk": self.pk})


class ThemeQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Theme.Status.ACCEPTED)

    def active(self):
        return self.accepted().filter(is_active=True)


class Theme(models.Model):
    """A theme the network chose at a meeting; decisions and actions may concern one, and projects
    (the app above) are started under one."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")

    name_sv = models.CharField(_("name (Swedish)"), max_length=200, unique=True, db_collation=SWEDISH)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    chosen_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chosen_themes",
        verbose_name=_("chosen at meeting"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") and self.name_en else self.name_sv

    @property
    def description(self) -> str:
        if (get_language() or "sv").startswith("en") and self.description_en:
            return self.description_en
        return self.description_sv


def _in_language(sv: str, en: str) -> str:
    """The text in the reader's language, or the other one when only one was written."""
    if (get_language() or "sv").startswith("en"):
        return en or sv
    return sv or en


class Decision(models.Model):
    """What the network decided at a meeting (in Swedish, English or both)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_sv = models.TextField(_("decision (Swedish)"), blank=True)
    text_en = models.TextField(_("decision (English)"), blank=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("theme"),
    )
    # Where in the minutes it was taken (meetings/minutes/): recorded in place under its agenda item.
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A decision made between meetings: the proposal it closed, with its votes (meetings/proposals/).
    proposal = models.OneToOneField(
        "meetings.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("decided by proposal"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_sv="") | ~Q(text_en=""),
                name="decision_has_text",
                violation_error_message=_("Write the decision in Swedish, English or both."),
            )
        ]

    def __str__(self) -> str:
        return Truncator(self.text).chars(80)

    @property
    def text(self) -> str:
        return _in_language(self.text_sv, self.text_en)


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Action.Status.OPEN)

    def owned_by(self, member: Member):
        """Hers, or her institution's. A member without an institution (the secretariat's own record)
        owns only hers: "no institution" is not an institution (`owner_institution_id=None` would match
        every action a member owns)."""
        if member.institution_id is None:
            return self.filter(owner_member=member)
        return self.filter(Q(owner_member=member) | Q(owner_institution_id=member.institution_id))


class Action(models.Model):
    """What someone (a member or an institution) is to do after a meeting, by a meeting or a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("agreed at"))
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("decision"),
    )
    text = models.TextField(_("action"))
    owner_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("owner (member)"),
    )
    owner_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("owner (institution)"),
    )
    due_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_due",
        verbose_name=_("due by meeting"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("theme"),
    )
    # Where in the minutes it was agreed (meetings/minutes/): recorded in place under its agenda item.
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("agenda item"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_member__isnull=True, owner_institution__isnull=False)
                | Q(owner_member__isnull=False, owner_institution__isnull=True),
                name="action_one_owner",
                violation_error_message=_("An action has one owner: a member or an institution."),
            ),
            models.CheckConstraint(
                condition=Q(due_meeting__isnull=False) | Q(due_on__isnull=False),
                name="action_is_due",
                violation_error_message=_("Give the meeting or the date the action is due by."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="action_status_due"),
        ]

    def __str__(self) -> str:
        return Truncator(self.text).chars(80)

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", kwargs={"pk": self.meeting_id}) + f"#action-{self.pk}"

    @property
    def owner(self):
        return self.owner_member or self.owner_institution

    @property
    def owner_name(self) -> str:
        if self.owner_member_id:
            return self.owner_member.full_name
        return self.owner_institution.name if self.owner_institution_id else ""

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


# Date polls (issue 27) live in their own room; exported here as `meetings.DatePoll` and friends.
# The minutes as a document of the site (issue 27) live in their own room; imported here so that they
# are models of this app (`meetings.Minutes`).
from .minutes.models import Minutes, MinutesComment, MinutesItem, MinutesVersion  # noqa: E402, F401
from .polls.models import DatePoll, DatePollAnswer, DatePollSlot  # noqa: E402,F401
from .proposals.models import Proposal, ProposalComment, Vote  # noqa: E402,F401 - meetings.Proposal (issue 27)
