"""Validation only: the services decide (and say why they refuse)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import DateTimeInput
from ..models import Meeting
from . import selectors
from .models import Proposal, Vote, default_quorum


class ProposalForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Put to"), choices=Proposal.Audience.choices, widget=forms.RadioSelect, initial="network"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What is proposed, and why. Those entitled to vote agree, abstain, disagree or block."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=DateTimeInput(),
        help_text=_("Swedish time (Europe/Stockholm), at least 24 hours from now. Votes may be changed until then."),
    )
    quorum = forms.IntegerField(
        label=_("Quorum (per cent)"),
        min_value=1,
        max_value=100,
        help_text=_("The share of those entitled to vote who must vote (abstaining counts) for a decision."),
    )
    meeting = forms.ModelChoiceField(
        label=_("Reported at the meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("The next meeting of its kind"),
        help_text=_("The decision is recorded in the register under this meeting and reported there."),
    )

    def __init__(self, *args, steering: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quorum"].initial = default_quorum()
        network = selectors.report_meetings(Proposal.Audience.NETWORK)
        if steering:
            coming = network | selectors.report_meetings(Proposal.Audience.STEERING)
            self.fields["meeting"].queryset = coming.order_by("year", "-season", "kind", "pk")
        else:
            self.fields["audience"].choices = [(Proposal.Audience.NETWORK, Proposal.Audience.NETWORK.label)]
            self.fields["meeting"].queryset = network
        self.fields["meeting"].label_from_instance = lambda meeting: meeting.display_title


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with your vote to everyone who sees the proposal."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(forms.Form):
    statement = forms.CharField(
        label=_("Outcome statement (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded with the decision, after the figures."),
    )


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("Outcome statement"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was decided and what happens next, in a few sentences: recorded with the decision."),
    )
