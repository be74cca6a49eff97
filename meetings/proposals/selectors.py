"""Reads of proposals shared by views, services, reminders and the admin."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from network.models import Institution, Member

from ..models import Meeting
from ..selectors import steering_members
from .models import Proposal, Vote
from .outcome import Figures


def proposals_visible(*, steering: bool, search: str = "") -> QuerySet[Proposal]:
    """The proposals a reader sees (the steering group's only for its seats and the secretariat:
    `steering`), open ones first by deadline, then closed ones newest first; with `vote_count`.
    `search` matches every word in the title or the text, in any case and accents (`uicontains`)."""
    proposals = Proposal.objects.all() if steering else Proposal.objects.open_to_all_members()
    for word in search.split():
        proposals = proposals.filter(Q(title__uicontains=word) | Q(text__uicontains=word))
    votes = Vote.objects.filter(proposal=OuterRef("pk")).order_by().values("proposal").annotate(n=Count("pk"))
    return proposals.annotate(
        vote_count=Coalesce(Subquery(votes.values("n"), output_field=IntegerField()), 0)
    ).order_by("-status", "deadline", "-pk")  # "open" > "closed": the open ones first


def votes_of(proposal: Proposal) -> QuerySet[Vote]:
    """Every vote with who cast it (and for which institution), as the proposal page lists them."""
    return proposal.votes.select_related("member__user", "institution").order_by("cast_at", "pk")


def eligible_voters(proposal: Proposal) -> QuerySet[Member]:
    """Who may vote: the seats (steering group), or every active member (one vote per institution)."""
    return steering_members() if proposal.is_restricted else Member.objects.active()


def eligible_count(proposal: Proposal) -> int:
    """Votes there are to cast: seats, or current member institutions."""
    if proposal.is_restricted:
        return steering_members().count()
    return Institution.objects.current_members().count()


def non_voters(proposal: Proposal) -> QuerySet[Member]:
    """Who may still vote and has not: seats without a vote; members of institutions without one."""
    if proposal.is_restricted:
        return steering_members().exclude(pk__in=proposal.votes.values("member_id"))
    voted = proposal.votes.filter(institution__isnull=False).values("institution_id")
    return Member.objects.active().exclude(institution_id__in=voted)


def has_voted(proposal: Proposal, member: Member) -> bool:
    """Has she (or, on a network proposal, her institution) voted? One query."""
    if proposal.is_restricted:
        return proposal.votes.filter(member=member).exists()
    return proposal.votes.filter(institution_id=member.institution_id).exists()


def figures(proposal: Proposal) -> Figures:
    """The figures now (an open proposal) or as recorded at closing."""
    if not proposal.is_open and proposal.tally:
        keys = ("agree", "abstain", "disagree", "block", "eligible", "quorum")
        return Figures(**{key: proposal.tally.get(key, 0) for key in keys})
    counts = dict(proposal.votes.order_by().values_list("choice").annotate(n=Count("pk")))
    return Figures(
        agree=counts.get(Vote.Choice.AGREE, 0),
        abstain=counts.get(Vote.Choice.ABSTAIN, 0),
        disagree=counts.get(Vote.Choice.DISAGREE, 0),
        block=counts.get(Vote.Choice.BLOCK, 0),
        eligible=eligible_count(proposal),
        quorum=proposal.quorum,
    )


def report_meetings(audience: str, now=None) -> QuerySet[Meeting]:
    """The meetings a proposal may be reported at: coming ones (not held, not cancelled) of the
    steering group for its proposals, network meetings otherwise; the next first."""
    kind = Meeting.Kind.STEERING if audience == Proposal.Audience.STEERING else Meeting.Kind.NETWORK
    now = now or timezone.now()
    return (
        Meeting.objects.filter(kind=kind)
        .exclude(status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED, Meeting.Status.CANCELLED])
        .filter(Q(starts_at__gt=now) | Q(starts_at__isnull=True, year__gte=timezone.localdate(now).year))
        .select_related("host")
        .order_by("year", "-season", F("starts_at").asc(nulls_last=True), "pk")
    )
