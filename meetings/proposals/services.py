"""Every write of proposals: keyword-only, atomic; a refused move raises ProposalError (translated).

Side effects are listed per service; mail goes through the outbox (network/outbox/mail.py), in the
reader's language (reminders.py registers the kinds and their templates).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network import cache
from network.language.dates import moment
from network.outbox.mail import mail_enqueue
from network.outbox.worker import object_key_of

from ..models import Decision, Meeting
from ..services import MeetingError, _acting_user
from . import selectors
from .models import Proposal, ProposalComment, Vote
from .outcome import Figures
from .rules import is_entitled_to_vote


class ProposalError(MeetingError):
    """A refused move on a proposal, with a translated message for the user."""


# The shortest time a proposal is open for votes: members must have a chance to read it.
MINIMUM_OPEN = datetime.timedelta(hours=24)


def _meeting_to_report_at(audience: str, meeting: Meeting | None) -> Meeting:
    """The chosen meeting, which must be a coming one of the audience's kind; none chosen: the next."""
    coming = selectors.report_meetings(audience)
    found = coming.first() if meeting is None else coming.filter(pk=meeting.pk).first()
    if found is not None:
        return found
    steering = audience == Proposal.Audience.STEERING
    if meeting is None and steering:
        raise ProposalError(
            _("There is no coming steering-group meeting to report the decision at: the secretariat adds one first.")
        )
    if meeting is None:
        raise ProposalError(_("There is no coming network meeting to report the decision at."))
    if steering:
        raise ProposalError(_("A steering-group proposal is reported at a coming steering-group meeting."))
    raise ProposalError(_("A proposal to the member institutions is reported at a coming network meeting."))


@transaction.atomic
def proposal_create(
    *,
    by,
    audience: str,
    title: str,
    text: str,
    deadline: datetime.datetime,
    meeting: Meeting | None = None,
    quorum: int | None = None,
    now: datetime.datetime | None = None,
) -> Proposal:
    """Put a proposal to the steering group or to the member institutions, to be reported at
    `meeting` (a coming meeting of the steering group, or a network meeting; None: the next one).

    Side effects: the notice "a new proposal, vote by ..." to everyone entitled to vote (outbox).
    """
    now = now or timezone.now()
    title, text = title.strip(), text.strip()
    if audience not in Proposal.Audience.values:
        raise ProposalError(_("Choose whom the proposal is put to."))
    if not title or not text:
        raise ProposalError(_("Give the proposal a title and a text."))
    if deadline < now + MINIMUM_OPEN:
        raise ProposalError(_("The deadline must be at least 24 hours from now, so that everyone can vote."))
    if quorum is None:
        quorum = Proposal._meta.get_field("quorum").get_default()
    if not 1 <= quorum <= 100:
        raise ProposalError(_("The quorum is a share between 1 and 100 per cent."))
    meeting = _meeting_to_report_at(audience, meeting)
    proposal = Proposal.objects.create(
        audience=audience,
        title=title,
        text=text,
        deadline=deadline,
        quorum=quorum,
        meeting=meeting,
        proposed_by=_acting_user(by),
    )
    mail_enqueue(
        kind="proposal_opened",
        to=selectors.eligible_voters(proposal).select_related("user"),
        obj=proposal,
        expires_at=proposal.deadline,
    )
    return proposal


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _check_open(proposal: Proposal, now: datetime.datetime) -> None:
    if not proposal.is_open or now >= proposal.deadline:
        raise ProposalError(_("The deadline has passed: votes are no longer taken."))


@transaction.atomic
def vote_cast(*, proposal: Proposal, by, choice: str, reason: str = "", now: datetime.datetime | None = None) -> Vote:
    """Her vote (agree, abstain, disagree, block) with an optional reason; a second submission
    changes the same vote, never adds one (the database's unique constraints hold it too).

    On a network proposal the vote is her institution's: refused when a colleague holds it.
    """
    now = now or timezone.now()
    proposal = _lock(proposal)
    _check_open(proposal, now)
    if choice not in Vote.Choice.values:
        raise ProposalError(_("Choose agree, abstain, disagree or block."))
    if not is_entitled_to_vote(by, proposal):
        raise ProposalError(_("You are not entitled to vote on this proposal."))
    member = by.member
    institution_id = None if proposal.is_restricted else member.institution_id
    reason = reason.strip()
    vote = proposal.votes.filter(member=member).first()
    if vote is None:
        _check_institution_free(proposal, member)
        try:
            with transaction.atomic():  # a savepoint: a concurrent double submission fails alone
                return Vote.objects.create(
                    proposal=proposal,
                    member=member,
                    institution_id=institution_id,
                    choice=choice,
                    reason=reason,
                    cast_at=now,
                )
        except IntegrityError:
            # The same vote arrived twice at once (a double click on a database without row
            # locks): counted once, the second submission changes it. A colleague's: refused.
            vote = proposal.votes.filter(member=member).first()
            if vote is None:
                _check_institution_free(proposal, member)
                raise
    vote.choice, vote.reason = choice, reason
    vote.save(update_fields=["choice", "reason", "updated_at"])
    return vote


def _check_institution_free(proposal: Proposal, member) -> None:
    if proposal.is_restricted:
        return
    holder = (
        proposal.votes.filter(institution_id=member.institution_id)
        .exclude(member=member)
        .select_related("member__user", "institution")
        .first()
    )
    if holder is not None:
        raise ProposalError(
            _("%(person)s has already cast the vote of %(institution)s.")
            % {"person": holder.member.full_name, "institution": holder.institution}
        )


@transaction.atomic
def comment_add(*, proposal: Proposal, by, text: str) -> ProposalComment:
    """A comment on an open proposal (no mail: the proposal page shows them)."""
    proposal = _lock(proposal)
    if not proposal.is_open:
        raise ProposalError(_("The proposal is closed: comments are no longer taken."))
    text = text.strip()
    if not text:
        raise ProposalError(_("Write a comment."))
    return ProposalComment.objects.create(proposal=proposal, author=_acting_user(by), text=text)


def _report_meeting(proposal: Proposal, now: datetime.datetime) -> Meeting:
    """The meeting the decision is reported at: the proposal's, unless it was cancelled or has
    begun meanwhile; then the next coming one of its kind (or, if there is none, still its own)."""
    meeting = proposal.meeting
    gone = meeting.status == Meeting.Status.CANCELLED or (meeting.starts_at is not None and meeting.starts_at <= now)
    if gone:
        return selectors.report_meetings(proposal.audience, now=now).first() or meeting
    return meeting


def decision_texts(proposal: Proposal, figures: Figures, statement: str) -> tuple[str, str]:
    """The decision in Swedish and in English: the question, the outcome, the figures, the statement."""
    texts = []
    for language in ("sv", "en"):
        with translation.override(language):
            head = _("Decided between meetings on the proposal “%(title)s” (deadline %(deadline)s): %(outcome)s.") % {
                "title": proposal.title,
                "deadline": moment(proposal.deadline),
                "outcome": Proposal.Outcome(figures.outcome).label,
            }
            counts = (
                _(
                    "%(agree)d agree, %(abstain)d abstain, %(disagree)d disagree, %(block)d block: "
                    "%(votes)d of %(eligible)d votes cast, %(needed)d needed for the quorum (%(quorum)d %%)."
                )
                % figures.as_dict()
            )
            texts.append("\n\n".join(part for part in (f"{head} {counts}", statement) if part))
    return texts[0], texts[1]


@dataclass
class Closing:
    proposal: Proposal
    decision: Decision | None
    closed_now: bool  # False: it was closed already (by the other run, or earlier)


def proposal_close(
    *, proposal: Proposal, by=None, statement: str = "", now: datetime.datetime | None = None
) -> Closing:
    """Close the proposal and record its outcome once: at its deadline (`by` None: the periodic
    task) or earlier by the secretariat ("close now"). A second run, concurrent or later, changes
    nothing (the proposal's row lock, and the decision's unique link to the proposal).

    Side effects: a Decision in the register (under the meeting it is reported at) linked to the
    proposal; the figures kept on the proposal; the notice of the outcome to everyone entitled to
    vote and to whoever proposed it (outbox).
    """
    try:
        with transaction.atomic():
            return _close(proposal=proposal, by=by, statement=statement.strip(), now=now or timezone.now())
    except IntegrityError:
        # The decision exists: another run closed it between our read and our write (no row locks).
        proposal = Proposal.objects.get(pk=proposal.pk)
        return Closing(proposal, Decision.objects.filter(proposal=proposal).first(), closed_now=False)


def _close(*, proposal: Proposal, by, statement: str, now: datetime.datetime) -> Closing:
    proposal = _lock(proposal)
    if not proposal.is_open:
        return Closing(proposal, Decision.objects.filter(proposal=proposal).first(), closed_now=False)
    if _acting_user(by) is None and now < proposal.deadline:
        raise ProposalError(_("The proposal is open until its deadline."))
    figures = selectors.figures(proposal)
    proposal.meeting = _report_meeting(proposal, now)
    proposal.status = Proposal.Status.CLOSED
    proposal.outcome = figures.outcome
    proposal.statement = statement
    proposal.tally = figures.as_dict()
    proposal.closed_at = now
    proposal.closed_by = _acting_user(by)
    proposal.save(update_fields=["meeting", "status", "outcome", "statement", "tally", "closed_at", "closed_by"])
    text_sv, text_en = decision_texts(proposal, figures, statement)
    position = (Decision.objects.filter(meeting=proposal.meeting).aggregate(m=Max("position"))["m"] or 0) + 1
    decision = Decision.objects.create(
        meeting=proposal.meeting,
        position=position,
        text_sv=text_sv,
        text_en=text_en,
        proposal=proposal,
        recorded_by=_acting_user(by),
    )
    cache.changed(decision)
    proposer = getattr(proposal.proposed_by, "member", None) if proposal.proposed_by_id else None
    to = [*selectors.eligible_voters(proposal).select_related("user"), *([proposer] if proposer else [])]
    mail_enqueue(kind="proposal_closed", to=to, obj=proposal, object_key=f"{object_key_of(proposal)}@closed")
    return Closing(proposal, decision, closed_now=True)


@transaction.atomic
def proposal_state_outcome(*, proposal: Proposal, by, statement: str) -> Proposal:
    """The outcome statement written after closing (Loomio's): by whoever proposed it or the
    secretariat, most often after the periodic task closed it with the figures alone.

    Side effects: the decision's Swedish and English texts are written again with the statement.
    """
    proposal = _lock(proposal)
    if proposal.is_open:
        raise ProposalError(_("The outcome statement is written once the proposal is closed."))
    statement = statement.strip()
    if not statement:
        raise ProposalError(_("Write the outcome statement."))
    proposal.statement = statement
    proposal.save(update_fields=["statement"])
    decision = Decision.objects.select_for_update().filter(proposal=proposal).first()
    if decision is not None:
        decision.text_sv, decision.text_en = decision_texts(proposal, selectors.figures(proposal), statement)
        if _acting_user(by) is not None:
            decision._history_user = by
        decision.save(update_fields=["text_sv", "text_en", "updated_at"])
        cache.changed(decision)
    return proposal


def proposals_close_due(*, now: datetime.datetime | None = None) -> int:
    """Close every open proposal whose deadline has passed (the periodic task); how many it closed.
    Each in its own transaction: one that fails does not hold up the others."""
    now = now or timezone.now()
    closed = 0
    for pk in Proposal.objects.due_to_close(now).values_list("pk", flat=True):
        closed += proposal_close(proposal=Proposal(pk=pk), now=now).closed_now
    return closed
