"""The demo's proposals: one open to all member institutions, one of the steering group closed with
its decision in the register; loading the demo again changes nothing."""

import pytest

import meetings.demo
import network.demo
from meetings.models import Decision, Meeting, Proposal

pytestmark = pytest.mark.django_db


def test_demo_has_an_open_network_proposal_and_a_closed_steering_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    network.demo.seed()
    meetings.demo.seed()
    meetings.demo.seed_proposals()
    counts = (Proposal.objects.count(), Decision.objects.count(), Meeting.objects.count())
    meetings.demo.seed_proposals()
    assert (Proposal.objects.count(), Decision.objects.count(), Meeting.objects.count()) == counts

    open_one = Proposal.objects.get(status="open")
    assert open_one.audience == "network" and open_one.votes.count() == 4
    assert not open_one.votes.filter(institution__short_name="KTH").exists()  # Anna Lind may still vote
    assert open_one.comments.exists()
    closed = Proposal.objects.get(status="closed")
    assert (closed.audience, closed.outcome) == ("steering", "agreed")
    decision = Decision.objects.get(proposal=closed)
    assert decision.meeting.kind == Meeting.Kind.STEERING
    assert "Tema för höstens nätverksmöte" in decision.text_sv and "Bifallet" in decision.text_sv
