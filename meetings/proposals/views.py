"""Proposals' pages: permission -> form -> service -> message -> redirect (as meetings/views.py).

An object the reader may not see answers 404 (a steering-group proposal to anyone but its seats and
the secretariat), as does a page she has no use for (the voting page to someone not entitled to vote).
"""

import rules
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from network.mixins import MemberRequiredMixin

from . import selectors, services
from .forms import CloseForm, CommentForm, ProposalForm, StatementForm, VoteForm
from .models import Proposal
from .services import ProposalError


def _sees_steering(request) -> bool:
    return rules.has_perm("meetings.view_steering_meetings", request.user)


class ProposalListView(MemberRequiredMixin, ListView):
    """Open proposals first (soonest deadline first), then the closed ones; a search in title and text."""

    template_name = "meetings/proposals/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 25

    def get_queryset(self):
        return selectors.proposals_visible(
            steering=_sees_steering(self.request), search=self.request.GET.get("q", "")[:200]
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            q=self.request.GET.get("q", ""),
            query=query.urlencode(),
            can_propose=self.request.user.has_perm("meetings.put_proposal"),
            **kwargs,
        )


class ProposalMixin(MemberRequiredMixin):
    """The proposal of the URL, read on every request; 404 unless the reader has `permission` on it."""

    permission = "meetings.read_proposal"
    show_proposal = False  # the step's page repeats the proposal's facts and text (voting)
    closing = False  # the step's page explains what closing now means

    def get_proposal(self) -> Proposal:
        if not hasattr(self, "_proposal"):
            proposal = get_object_or_404(Proposal.objects.select_related("meeting"), pk=self.kwargs["pk"])
            user = self.request.user
            if not (user.has_perm("meetings.read_proposal", proposal) and user.has_perm(self.permission, proposal)):
                raise Http404
            self._proposal = proposal
        return self._proposal

    def get_context_data(self, **kwargs):
        return super().get_context_data(proposal=self.get_proposal(), **kwargs)

    def done(self, message: str, anchor: str = ""):
        messages.success(self.request, message)
        return HttpResponseRedirect(self.get_proposal().get_absolute_url() + (f"#{anchor}" if anchor else ""))

    def refused(self, error: ProposalError, form):
        form.add_error(None, error.message)
        return self.form_invalid(form)


class _Checked:
    """Checks the proposal before the page is built or the form read (after the member gate), for
    every method: a POST to a page that takes none is the site's 405, never a server error."""

    def dispatch(self, request, *args, **kwargs):
        self.get_proposal()
        return super().dispatch(request, *args, **kwargs)


def _my_vote(votes, member):
    """Her vote, and on a network proposal the vote her institution has (perhaps a colleague's)."""
    if member is None:
        return None, None
    mine = next((v for v in votes if v.member_id == member.pk), None)
    institution_vote = next((v for v in votes if v.institution_id and v.institution_id == member.institution_id), None)
    return mine, institution_vote


class ProposalDetailView(ProposalMixin, _Checked, TemplateView):
    template_name = "meetings/proposals/proposal_detail.html"

    def get_context_data(self, **kwargs):
        proposal = self.get_proposal()
        user = self.request.user
        member = getattr(user, "member", None)
        votes = list(selectors.votes_of(proposal))
        mine, institution_vote = _my_vote(votes, member)
        can_vote = user.has_perm("meetings.vote_on_proposal", proposal)
        initial = {"choice": mine.choice, "reason": mine.reason} if mine else {}
        return super().get_context_data(
            votes=votes,
            figures=selectors.figures(proposal),
            comments=list(proposal.comments.select_related("author")),
            my_vote=mine,
            institution_vote=institution_vote,
            entitled=user.has_perm("meetings.open_vote_page", proposal),
            can_vote=can_vote,
            vote_form=VoteForm(initial=initial) if can_vote else None,
            comment_form=CommentForm() if user.has_perm("meetings.comment_on_proposal", proposal) else None,
            can_close=user.has_perm("meetings.close_proposal", proposal),
            can_state=user.has_perm("meetings.state_outcome", proposal),
            decision=getattr(proposal, "decision", None) if not proposal.is_open else None,
            **kwargs,
        )


class _ProposersOnly:
    """After the member gate (an applicant gets her own page): 404 to whoever may not propose."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("meetings.put_proposal"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ProposalCreateView(MemberRequiredMixin, _ProposersOnly, FormView):
    form_class = ProposalForm
    template_name = "meetings/proposals/proposal_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "steering": _sees_steering(self.request)}

    def form_valid(self, form):
        try:
            proposal = services.proposal_create(by=self.request.user, **form.cleaned_data)
        except ProposalError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The proposal is open for votes; those entitled to vote are told."))
        return HttpResponseRedirect(proposal.get_absolute_url())


class ProposalVoteView(ProposalMixin, _Checked, FormView):
    """Her vote: a page of its own (the proposal page holds the same form); the service refuses a
    vote after the deadline, or one her institution has already cast through a colleague."""

    permission = "meetings.open_vote_page"
    form_class = VoteForm
    template_name = "meetings/proposals/proposal_step.html"
    show_proposal = True
    extra_context = {"heading": gettext_lazy("Your vote"), "button": gettext_lazy("Vote")}

    def get_initial(self):
        mine = self.get_proposal().votes.filter(member=self.request.user.member).first()
        return {"choice": mine.choice, "reason": mine.reason} if mine else {}

    def get_context_data(self, **kwargs):
        proposal, member = self.get_proposal(), self.request.user.member
        held = None
        if proposal.per_institution:  # whose vote counts, plainly: a colleague may hold it already
            held = (
                proposal.votes.filter(institution_id=member.institution_id)
                .exclude(member=member)
                .select_related("member__user", "institution")
                .first()
            )
        return super().get_context_data(institution_vote=held, **kwargs)

    def form_valid(self, form):
        try:
            services.vote_cast(proposal=self.get_proposal(), by=self.request.user, **form.cleaned_data)
        except ProposalError as error:
            return self.refused(error, form)
        return self.done(_("Your vote is recorded. You may change it until the deadline."), anchor="votes")


class ProposalCommentView(ProposalMixin, _Checked, FormView):
    permission = "meetings.comment_on_proposal"
    form_class = CommentForm
    template_name = "meetings/proposals/proposal_step.html"
    extra_context = {"heading": gettext_lazy("Comment"), "button": gettext_lazy("Add the comment")}

    def form_valid(self, form):
        try:
            services.comment_add(proposal=self.get_proposal(), by=self.request.user, **form.cleaned_data)
        except ProposalError as error:
            return self.refused(error, form)
        return self.done(_("Your comment is added."), anchor="comments")


class ProposalCloseView(ProposalMixin, _Checked, FormView):
    """The secretariat closes a proposal before its deadline ("close now")."""

    permission = "meetings.close_proposal"
    form_class = CloseForm
    template_name = "meetings/proposals/proposal_step.html"
    closing = True
    extra_context = {
        "heading": gettext_lazy("Close the proposal now"),
        "button": gettext_lazy("Close and record the outcome"),
    }

    def form_valid(self, form):
        try:
            closing = services.proposal_close(proposal=self.get_proposal(), by=self.request.user, **form.cleaned_data)
        except ProposalError as error:
            return self.refused(error, form)
        if not closing.closed_now:
            messages.info(self.request, _("The proposal was already closed."))
            return HttpResponseRedirect(closing.proposal.get_absolute_url())
        return self.done(
            _("The proposal is closed: %(outcome)s. The decision is in the register.")
            % {"outcome": closing.proposal.get_outcome_display()}
        )


class ProposalStatementView(ProposalMixin, _Checked, FormView):
    """The outcome statement after closing, by whoever proposed it or the secretariat."""

    permission = "meetings.state_outcome"
    form_class = StatementForm
    template_name = "meetings/proposals/proposal_step.html"
    extra_context = {"heading": gettext_lazy("Outcome statement"), "button": gettext_lazy("Save")}

    def get_initial(self):
        return {"statement": self.get_proposal().statement}

    def form_valid(self, form):
        try:
            services.proposal_state_outcome(proposal=self.get_proposal(), by=self.request.user, **form.cleaned_data)
        except ProposalError as error:
            return self.refused(error, form)
        return self.done(_("The outcome statement is saved with the decision."))
