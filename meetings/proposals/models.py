"""Proposals, their votes and comments (see the package docstring). Imported by meetings/models.py."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Institution, Member


def default_quorum() -> int:
    """The share of votes (per cent of those entitled to vote) a proposal needs unless it says otherwise."""
    return getattr(settings, "PROPOSAL_QUORUM_PERCENT", 50)


class ProposalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Proposal.Status.OPEN)

    def open_to_all_members(self):
        """Every proposal but the steering group's (which only its seats and the secretariat see)."""
        return self.exclude(audience=Proposal.Audience.STEERING)

    def due_to_close(self, now=None):
        return self.open().filter(deadline__lte=now or timezone.now())


class Proposal(models.Model):
    """A question put to the steering group or to the member institutions, decided by a deadline."""

    class Audience(models.TextChoices):
        STEERING = "steering", _("The steering group")
        NETWORK = "network", _("All member institutions")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for votes")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        NOT_AGREED = "not_agreed", _("Not agreed")
        BLOCKED = "blocked", _("Blocked")
        NO_QUORUM = "no_quorum", _("No quorum")

    audience = models.CharField(_("put to"), max_length=10, choices=Audience.choices, default=Audience.NETWORK)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposal"))
    deadline = models.DateTimeField(_("deadline"))
    quorum = models.PositiveSmallIntegerField(
        _("quorum (per cent)"),
        default=default_quorum,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of those entitled to vote who must vote (abstaining counts) for a decision."),
    )
    # A decision made between meetings is reported at the next meeting: its row in the register is
    # under this meeting (of the steering group for its proposals, a network meeting otherwise).
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("reported at"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    statement = models.TextField(_("outcome statement"), blank=True)
    # The figures at closing (seats and member institutions change afterwards): agree, abstain,
    # disagree, block, votes, eligible, needed.
    tally = models.JSONField(_("figures at closing"), default=dict, blank=True, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        app_label = "meetings"
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["status", "-deadline", "-pk"]  # "closed" < "open": the list orders itself
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum__gte=1, quorum__lte=100),
                name="proposal_quorum_is_a_share",
                violation_error_message=_("The quorum is a share between 1 and 100 per cent."),
            ),
            models.CheckConstraint(
                condition=Q(status="open", outcome="") | Q(status="closed") & ~Q(outcome=""),
                name="proposal_outcome_when_closed",
                violation_error_message=_("A closed proposal has an outcome, an open one none."),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="proposal_status_deadline")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:proposal_detail", kwargs={"pk": self.pk})

    @property
    def is_restricted(self) -> bool:
        return self.audience == self.Audience.STEERING

    @property
    def per_institution(self) -> bool:
        """One vote per member institution (network matters), not one per seat."""
        return self.audience == self.Audience.NETWORK

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def deadline_passed(self) -> bool:
        return timezone.now() >= self.deadline


class Vote(models.Model):
    """A voter's position on a proposal; changed (not added to) until the deadline."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("Agree")
        ABSTAIN = "abstain", _("Abstain")
        DISAGREE = "disagree", _("Disagree")
        BLOCK = "block", _("Block")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes", verbose_name=_("proposal"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="proposal_votes", verbose_name=_("voter"))
    # Network proposals: the institution whose one vote this is (blank on a steering-group proposal,
    # where every seat votes for itself). Unique per proposal: a second member of the institution
    # cannot add a vote, whatever reaches the database.
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal_votes",
        verbose_name=_("for institution"),
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    reason = models.TextField(_("reason"), blank=True)
    cast_at = models.DateTimeField(_("cast"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        app_label = "meetings"
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["proposal", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member"],
                name="vote_once_per_member",
                violation_error_message=_("This member has already voted on this proposal."),
            ),
            # NULLs are distinct on both databases: steering-group votes (no institution) pass.
            models.UniqueConstraint(
                fields=["proposal", "institution"],
                name="vote_once_per_institution",
                violation_error_message=_("This institution has already voted on this proposal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.proposal}: {self.get_choice_display()}"


class ProposalComment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="comments", verbose_name=_("proposal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        app_label = "meetings"
        verbose_name = _("comment on a proposal")
        verbose_name_plural = _("comments on proposals")
        ordering = ["proposal", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} – {self.proposal}"
