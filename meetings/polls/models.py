"""A date poll, its proposed slots and the invited members' answers per slot.

Times are stored aware (UTC in the database) and entered and shown in Europe/Stockholm."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.language.dates import span
from network.models import Member


class DatePoll(models.Model):
    """Dates proposed for a meeting that has none yet; closed by choosing one of its slots."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="date_polls", verbose_name=_("meeting")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("note to the invited"), blank=True)
    # Answers are taken (and changed) until then, or until the poll is closed if that is earlier.
    answers_until = models.DateTimeField(_("answers until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    chosen_slot = models.ForeignKey(
        "meetings.DatePollSlot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen time"),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status="open"),
                name="datepoll_one_open_per_meeting",
                violation_error_message=_("This meeting already has an open date poll."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Date poll for %(meeting)s") % {"meeting": self.meeting})

    def get_absolute_url(self) -> str:
        return reverse("meetings:date_poll", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class DatePollSlot(models.Model):
    """One proposed time: a start and an end (possibly on another day)."""

    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="slots", verbose_name=_("date poll"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("proposed time")
        verbose_name_plural = _("proposed times")
        ordering = ["starts_at", "ends_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="datepollslot_ends_after_start",
                violation_error_message=_("A proposed time must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["poll", "starts_at", "ends_at"],
                name="datepollslot_once_per_poll",
                violation_error_message=_("This time is already proposed."),
            ),
        ]

    def __str__(self) -> str:
        return span(self.starts_at, self.ends_at)  # the one date format of pages and emails


class DatePollAnswer(models.Model):
    """A member's answer for one slot; one per member and slot (a second submission replaces it)."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        IF_NEED_BE = "if_need_be", _("If need be")
        NO = "no", _("No")

    slot = models.ForeignKey(DatePollSlot, on_delete=models.CASCADE, related_name="answers", verbose_name=_("time"))
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="date_poll_answers", verbose_name=_("member")
    )
    choice = models.CharField(_("answer"), max_length=10, choices=Choice.choices)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("date poll answer")
        verbose_name_plural = _("date poll answers")
        ordering = ["slot", "member", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "member"],
                name="datepollanswer_once_per_slot",
                violation_error_message=_("This member has already answered for this time."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.slot}: {self.get_choice_display()}"
