"""The proposals' permissions as plain predicates: who sees, votes, proposes and closes."""

import datetime

import pytest
import time_machine

from meetings.models import Proposal
from meetings.proposals import services
from meetings.tests.test_proposals import proposal, seat
from network.models import Member
from network.tests.factories import ApplicantFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_a_steering_group_proposal_is_seen_by_its_seats_and_the_secretariat(staff_user):
    item = proposal(Proposal.Audience.STEERING)
    assert seat().user.has_perm("meetings.read_proposal", item)
    assert staff_user.has_perm("meetings.read_proposal", item)
    assert not MemberFactory().user.has_perm("meetings.read_proposal", item)
    assert not ApplicantFactory().user.has_perm("meetings.read_proposal", item)


def test_who_may_vote_on_each_kind_of_proposal(staff_user):
    network, steering = proposal(), proposal(Proposal.Audience.STEERING)
    member, chair = MemberFactory(), seat()
    assert member.user.has_perm("meetings.vote_on_proposal", network)
    assert not member.user.has_perm("meetings.vote_on_proposal", steering)
    assert chair.user.has_perm("meetings.vote_on_proposal", steering)
    assert chair.user.has_perm("meetings.vote_on_proposal", network)  # for her institution
    assert not staff_user.has_perm("meetings.vote_on_proposal", network)  # no Member row: never votes
    departed = MemberFactory(status=Member.Status.LEFT)
    assert not departed.user.has_perm("meetings.vote_on_proposal", network)


def test_the_vote_closes_at_the_deadline_and_belongs_to_the_first_of_an_institution():
    item = proposal(days=2)
    first = MemberFactory()
    colleague = MemberFactory(institution=first.institution)
    services.vote_cast(proposal=item, by=first.user, choice="agree")
    assert first.user.has_perm("meetings.vote_on_proposal", item)  # she may change it
    assert not colleague.user.has_perm("meetings.vote_on_proposal", item)
    assert colleague.user.has_perm("meetings.open_vote_page", item)  # the page tells her who holds it
    with time_machine.travel(item.deadline + datetime.timedelta(seconds=1), tick=False):
        assert not first.user.has_perm("meetings.vote_on_proposal", item)


def test_seats_and_the_secretariat_propose_and_only_the_secretariat_closes(staff_user):
    item = proposal()
    chair, member = seat(), MemberFactory()
    assert chair.user.has_perm("meetings.put_proposal") and staff_user.has_perm("meetings.put_proposal")
    assert not member.user.has_perm("meetings.put_proposal")
    assert staff_user.has_perm("meetings.close_proposal", item)
    assert not chair.user.has_perm("meetings.close_proposal", item)
    services.proposal_close(proposal=item, by=staff_user)
    item.refresh_from_db()
    assert not staff_user.has_perm("meetings.close_proposal", item)
    assert not member.user.has_perm("meetings.comment_on_proposal", item)
