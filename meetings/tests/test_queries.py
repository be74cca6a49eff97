"""The list and the meeting page cost the same number of queries at 5 and at 100 meetings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Attendance, Meeting
from meetings.tests.factories import AgendaItemFactory, MeetingDocumentFactory, ScheduledMeetingFactory
from network import cache
from network.models import Member, User
from network.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def cheap_members(count: int, institutions) -> list[Member]:
    """Many members fast: no password hashing, one INSERT per table."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(email=f"bulk{start + i}@example.se", first_name="Bulk", last_name=f"Nr {start + i}")
            for i in range(count)
        ]
    )
    return Member.objects.bulk_create(
        [
            Member(user=user, institution=institutions[i % len(institutions)], status=Member.Status.APPROVED)
            for i, user in enumerate(users)
        ]
    )


def make_world(meetings: int, attendances: int):
    institutions = InstitutionFactory.create_batch(5)
    members = cheap_members(max(10, attendances // meetings + 1), institutions)
    made = [
        ScheduledMeetingFactory(host=institutions[i % 5], status=[Meeting.Status.SCHEDULED, Meeting.Status.HELD][i % 2])
        for i in range(meetings)
    ]
    rows = []
    for i in range(attendances):
        meeting = made[i % meetings]
        member = members[(i // meetings) % len(members)]
        rows.append(
            Attendance(
                meeting=meeting, member=member, status=Attendance.Status.ATTENDING, responded_at=meeting.created_at
            )
        )
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    for meeting in made[:3]:
        AgendaItemFactory.create_batch(3, meeting=meeting)
        MeetingDocumentFactory.create_batch(2, meeting=meeting)
    return made


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_meeting_list_query_count_constant(member_client):
    make_world(5, 15)
    small = count_queries(member_client, reverse("meetings:meeting_list"))
    make_world(95, 285)
    assert Meeting.objects.count() == 100
    cache.clear_all()  # rows written by factories, not by a service: built again from them
    large = count_queries(member_client, reverse("meetings:meeting_list"))
    print(f"meeting_list queries: {small} (5 meetings) / {large} (100 meetings, 300 attendances)")
    assert small == large


def test_meeting_detail_query_count_constant(member_client):
    small_meeting = make_world(1, 5)[0]
    small = count_queries(member_client, small_meeting.get_absolute_url())
    big_meeting = make_world(1, 300)[0]
    assert big_meeting.attendances.count() >= 30
    large = count_queries(member_client, big_meeting.get_absolute_url())
    print(f"meeting_detail queries: {small} (5 attendances) / {large} ({big_meeting.attendances.count()} attendances)")
    assert small == large


def add_decisions(meeting, later, count: int) -> None:
    """`count` decisions and actions at `meeting`, owned by members and institutions, due by `later`."""
    from meetings.models import Action, Decision

    owners = list(Member.objects.select_related("institution")[:count])
    Decision.objects.bulk_create(
        [Decision(meeting=meeting, position=i, text_sv=f"Beslut {i}", text_en=f"Decision {i}") for i in range(count)]
    )
    Action.objects.bulk_create(
        [
            Action(
                meeting=meeting,
                text=f"Åtgärd {i}",
                owner_member=owner if i % 2 else None,
                owner_institution=None if i % 2 else owner.institution,
                due_meeting=later,
            )
            for i, owner in enumerate(owners)
        ]
    )


def test_meeting_page_with_decisions_and_follow_up_costs_constant_queries(member_client):
    # Both pages of both sizes have actions to follow up and actions agreed, owned by members and by
    # institutions: the owning members come in one query of their own (selectors._actions), so a
    # list in which no member owns anything would need one query less whatever its size.
    earlier, small_meeting, small_next = make_world(3, 10)
    add_decisions(earlier, small_meeting, 2)
    add_decisions(small_meeting, small_next, 2)
    small = (
        count_queries(member_client, small_meeting.get_absolute_url()),
        count_queries(member_client, small_next.get_absolute_url()),
    )
    earlier, big_meeting, big_next = make_world(3, 300)
    add_decisions(earlier, big_meeting, 60)
    add_decisions(big_meeting, big_next, 60)
    large = (
        count_queries(member_client, big_meeting.get_absolute_url()),
        count_queries(member_client, big_next.get_absolute_url()),
    )
    print(f"meeting page with decisions / with its follow-up: {small} (2 actions) / {large} (60 actions)")
    assert small == large


def test_action_register_costs_constant_queries(member_client):
    meetings = make_world(5, 15)
    add_decisions(meetings[0], meetings[1], 5)
    url = reverse("meetings:action_register")

    def cold(url):
        cache.clear_all()  # as after a change: the page, its count and its filters' choices are built
        return count_queries(member_client, url)

    small = cold(url), cold(url + "?status=open&q=tgärd")
    meetings = make_world(95, 285)
    for meeting, later in zip(meetings[:-1:2], meetings[1::2], strict=False):
        add_decisions(meeting, later, 4)
    large = cold(url), cold(url + "?status=open&q=tgärd")
    print(f"action register queries (page, filtered): {small} (5 actions) / {large} (~190 actions)")
    assert small == large
