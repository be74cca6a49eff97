"""The proposals' list and a proposal's page cost the same number of queries at two data sizes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Proposal, ProposalComment, Vote
from meetings.tests.factories import ScheduledMeetingFactory, in_days
from meetings.tests.test_queries import cheap_members
from network.tests.factories import InstitutionFactory, MemberFactory, SteeringGroupSeatFactory, login

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def proposals(count: int, votes_each: int) -> list[Proposal]:
    """`count` network proposals (every second one closed), each with `votes_each` votes (one per
    institution) and as many comments."""
    meeting = ScheduledMeetingFactory(host=None, starts_at=in_days(40), ends_at=in_days(40, 16))
    institutions = InstitutionFactory.create_batch(votes_each)
    voters = cheap_members(votes_each, institutions)
    made = Proposal.objects.bulk_create(
        [
            Proposal(
                title=f"Förslag {i}",
                text="Text",
                deadline=timezone.now() + datetime.timedelta(days=5 + i),
                meeting=meeting,
                status="closed" if i % 2 else "open",
                outcome="agreed" if i % 2 else "",
            )
            for i in range(count)
        ]
    )
    Vote.objects.bulk_create(
        [
            Vote(proposal=p, member=m, institution_id=m.institution_id, choice=["agree", "block"][j % 2], reason="Skäl")
            for p in made
            for j, m in enumerate(voters)
        ]
    )
    ProposalComment.objects.bulk_create(
        [ProposalComment(proposal=p, author=m.user, text="Kommentar") for p in made for m in voters]
    )
    return made


@pytest.fixture
def seat_client(client):
    member = SteeringGroupSeatFactory(member=MemberFactory()).member
    login(client, member.user)
    return client


def test_proposal_list_costs_constant_queries(seat_client):
    proposals(3, 2)
    url = reverse("meetings:proposal_list")
    small = count_queries(seat_client, url), count_queries(seat_client, url + "?q=förslag")
    proposals(60, 5)
    large = count_queries(seat_client, url), count_queries(seat_client, url + "?q=förslag")
    print(f"proposal_list queries (page, searched): {small} (3 proposals) / {large} (63 proposals, 300 votes)")
    assert small == large


def test_proposal_page_costs_constant_queries(seat_client):
    small_one = proposals(1, 2)[0]
    big_one = proposals(1, 40)[0]
    small = count_queries(seat_client, small_one.get_absolute_url())
    large = count_queries(seat_client, big_one.get_absolute_url())
    print(f"proposal_detail queries: {small} (2 votes, 2 comments) / {large} (40 votes, 40 comments)")
    assert small == large
