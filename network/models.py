"""Institutions, members and how we reach them. The base layer: imports no other app of ours."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from network.language.collation import SWEDISH


class UserManager(BaseUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. Everything about the person in the network lives on `Member`."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # Swedish order (A-Z, then Å, Ä, Ö) in the directory and every list of people: network/language/collation.py.
    first_name = models.CharField(_("first name"), max_length=150, blank=True, db_collation=SWEDISH)
    last_name = models.CharField(_("last name"), max_length=150, blank=True, db_collation=SWEDISH)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        # The directory's order (member_directory): 25 rows by index instead of sorting everyone.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="user_directory_order")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def has_perm(self, perm, obj=None) -> bool:
        """Django answers True to any permission of an active superuser without asking a backend,
        which would give the secretariat staff rights on the site without a second factor: the
        site's own permissions (the apps' rules.py) are decided by their predicates for superusers
        too. Everything else (everyone else, Django's model permissions) keeps Django's answer."""
        import rules  # django-rules' registry of the apps' permissions

        if self.is_active and self.is_superuser and rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class InstitutionQuerySet(models.QuerySet):
    def current_members(self, on=None):
        """Institutions that are members of the network on the given date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(joined_on__isnull=False, joined_on__lte=on).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=on)
        )


class Institution(models.Model):
    """A higher-education institution; a member of the network between `joined_on` and `left_on`."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        UNIVERSITY_COLLEGE = "college", _("University college")
        ART_COLLEGE = "art_college", _("University college of the arts")

    name = models.CharField(_("name"), max_length=200, unique=True, db_collation=SWEDISH)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True, help_text=_("e.g. KTH, LiU"))
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNIVERSITY)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    left_on = models.DateField(_("left the network on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Its identity provider in SWAMID; the rest (endpoints, certificates, scopes) comes from the
    # federation's signed metadata (network/federation/).
    idp_entity_id = models.CharField(
        _("identity provider (SAML entity ID)"),
        max_length=500,
        blank=True,
        help_text=_("As in SWAMID's metadata, e.g. https://login.example.se/idp/shibboleth. Blank when none."),
    )

    objects = InstitutionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=False, left_on__gt=models.F("joined_on")),
                name="institution_left_after_joined",
                violation_error_message=_("An institution must join before it leaves."),
            ),
            # An identity provider is one institution's (its users become applicants there).
            models.UniqueConstraint(
                fields=["idp_entity_id"],
                condition=~Q(idp_entity_id=""),
                name="institution_unique_idp_entity_id",
                violation_error_message=_("Another institution already has this identity provider."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.short_name or self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:institution_detail", kwargs={"slug": self.slug})

    def is_member_on(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.joined_on and self.joined_on <= on and (self.left_on is None or self.left_on > on))

    @property
    def is_member(self) -> bool:
        return self.is_member_on()

    @property
    def display_short(self) -> str:
        return self.short_name or self.name


class InstitutionDomain(models.Model):
    """An email domain of an institution: suggests the institution at signup (`mau.se`)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="domains", verbose_name=_("institution")
    )
    domain = models.CharField(_("email domain"), max_length=100, unique=True, help_text=_("e.g. mau.se"))

    class Meta:
        verbose_name = _("email domain")
        verbose_name_plural = _("email domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class MemberQuerySet(models.QuerySet):
    def active(self):
        """Approved members whose institution is a member of the network today: who may use the intranet."""
        today = timezone.localdate()
        return self.filter(
            status=Member.Status.APPROVED,
            user__is_active=True,
            institution__joined_on__lte=today,
        ).filter(Q(institution__left_on__isnull=True) | Q(institution__left_on__gt=today))

    def applicants(self):
        return self.filter(status=Member.Status.APPLICANT)


def _new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Member(models.Model):
    """A person in the network: an applicant until the secretariat approves her."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email not verified")
        APPLICANT = "applicant", _("Waiting for approval")
        APPROVED = "approved", _("Member")
        REJECTED = "rejected", _("Rejected")
        LEFT = "left", _("Left the network")

    class Role(models.TextChoices):
        VICE_RECTOR = "vice_rector", _("Vice-rector / pro-vice-chancellor")
        DEPUTY_VC = "deputy_vc", _("Deputy vice-chancellor")
        HEAD_OFFICE = "head_office", _("Head of collaboration office")
        COORDINATOR = "coordinator", _("Collaboration coordinator")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member", verbose_name=_("user")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("institution"),
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("e.g. Vicerektor för samverkan"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    optional_reminders = models.BooleanField(
        _("optional reminders"),
        default=True,
        help_text=_("Reminders before deadlines and meetings. Invitations are always sent."),
    )
    calendar_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=_new_calendar_token, editable=False
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    privacy_version = models.CharField(_("privacy notice version accepted"), max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()
    # Who changed what and when (the admin's history); the calendar token stays out of it.
    history = HistoricalRecords(excluded_fields=["calendar_token"])

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["status", "institution"])]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("network:member_detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_active_member(self) -> bool:
        """May this person use the intranet today? (approved, active login, institution a member)"""
        return (
            self.status == self.Status.APPROVED
            and self.user.is_active
            and self.institution is not None
            and self.institution.is_member
        )


class LeadershipTermQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class LeadershipTerm(models.Model):
    """Which institution leads the network, from `starts_on` to `ends_on` (inclusive; open-ended when blank).

    Terms never overlap. SQLite cannot express that as a constraint, so it is guarded in two layers:
    `leadership_term_create` checks for overlap under a row lock (every database), and on PostgreSQL
    migration 0003 adds an exclusion constraint on the date range, which no concurrent writer or admin
    edit can bypass. The portable constraints below (end after start, one term per start date) hold on both.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="leadership_terms", verbose_name=_("institution")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Leave blank while the term runs."))

    objects = LeadershipTermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leadership term")
        verbose_name_plural = _("leadership terms")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="leadershipterm_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            ),
            models.UniqueConstraint(fields=["starts_on"], name="leadershipterm_unique_start"),
        ]

    def __str__(self) -> str:
        end = self.ends_on.isoformat() if self.ends_on else "…"
        return f"{self.institution} {self.starts_on.isoformat()}–{end}"

    def overlapping(self):
        """Other terms whose dates overlap this one's (both ends inclusive, blank end = open)."""
        others = LeadershipTerm.objects.exclude(pk=self.pk)
        if self.ends_on:
            others = others.filter(starts_on__lte=self.ends_on)
        return others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on))


class SteeringGroupSeatQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class SteeringGroupSeat(models.Model):
    """A member's seat on the steering group (styrgrupp), as chair or member, from when to when."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="steering_seats", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

    objects = SteeringGroupSeatQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("steering group seat")
        verbose_name_plural = _("steering group seats")
        ordering = ["role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="steeringgroupseat_ends_after_start",
                violation_error_message=_("A seat must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_role_display()})"


from network.api.models import ApiToken  # noqa: E402,F401
from network.federation.models import FederationState, IdentityProvider  # noqa: E402,F401
from network.messages.models import Message, MessageRecipient  # noqa: E402,F401
from network.outbox.models import Delivery  # noqa: E402,F401
from network.webhooks.models import WebhookSubscription  # noqa: E402,F401

from .audit import AuditEvent  # noqa: E402,F401
