"""Closing a proposal twice at once (the periodic task and the secretariat's "close now", or two
beat ticks) records one decision; a vote submitted twice at once is counted once. Real concurrent
transactions need PostgreSQL (its row locks); the database's unique constraints catch the race
where there are none (the second test runs on both databases)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from meetings.models import Decision, Proposal
from meetings.proposals import services
from meetings.tests.factories import ScheduledMeetingFactory, in_days
from network.tests.factories import MemberFactory


def _open_proposal(days: int = 3) -> Proposal:
    meeting = ScheduledMeetingFactory(host=None, starts_at=in_days(40), ends_at=in_days(40, 16))
    return Proposal.objects.create(
        title="Samtidigt",
        text="Två stänger på en gång.",
        deadline=timezone.now() + datetime.timedelta(days=days),
        meeting=meeting,
    )


def _at_once(count: int, work) -> list:
    """Run `work()` in `count` threads released together; their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work()
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_closing_twice_at_once_records_one_decision(require_postgres):
    item = _open_proposal()
    MemberFactory()
    after = item.deadline + datetime.timedelta(minutes=1)
    results = _at_once(2, lambda: services.proposal_close(proposal=Proposal(pk=item.pk), now=after))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.closed_now for r in results) == [False, True]
    assert Decision.objects.filter(proposal=item).count() == 1
    item.refresh_from_db()
    assert item.status == "closed"


@pytest.mark.django_db(transaction=True)
def test_a_vote_submitted_twice_at_once_counts_once(require_postgres):
    item = _open_proposal()
    voter = MemberFactory()
    results = _at_once(2, lambda: services.vote_cast(proposal=item, by=voter.user, choice="agree"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert item.votes.count() == 1


@pytest.mark.django_db
def test_a_close_that_loses_the_race_to_the_decision_changes_nothing():
    """Without row locks both runs may find the proposal open; the decision's unique link to the
    proposal lets one of them record it, and the other gives way quietly."""
    item = _open_proposal()
    first = Decision.objects.create(meeting=item.meeting, text_sv="Den andra körningen hann före.", proposal=item)
    closing = services.proposal_close(proposal=item, now=item.deadline + datetime.timedelta(minutes=1))
    assert (closing.closed_now, closing.decision) == (False, first)
    assert Decision.objects.filter(proposal=item).count() == 1
