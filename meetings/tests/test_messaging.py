"""What meetings adds to messages to members (meetings/messaging.py): the answer-to-a-meeting filter,
and the host contact writing to her meeting's people only (meetings:meeting_message)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance
from meetings.tests.factories import AttendanceFactory, ScheduledMeetingFactory
from network.messages import messaging
from network.models import Delivery, Member, Message
from network.outbox.worker import object_key_of
from network.tests.factories import InstitutionFactory, MemberFactory, login

pytestmark = pytest.mark.django_db


def answered(meeting, status):
    return AttendanceFactory(meeting=meeting, status=status).member


def invited(meeting, member=None):
    member = member or MemberFactory()
    Delivery.objects.create(
        kind="meeting_invitation",
        object_key=object_key_of(meeting),
        recipient=member,
        due_at=timezone.now(),
        status=Delivery.Status.SENT,
    )
    return member


@pytest.fixture
def meeting(db):
    return ScheduledMeetingFactory()


@pytest.fixture
def people(meeting):
    return {
        "attending": answered(meeting, Attendance.Status.ATTENDING),
        "waiting": answered(meeting, Attendance.Status.WAITING),
        "not_attending": answered(meeting, Attendance.Status.NOT_ATTENDING),
        "silent_invited": invited(meeting),
        "silent_uninvited": MemberFactory(),
    }


def recipients(filters, scope=None) -> set[Member]:
    return set(messaging.message_recipients(filters=filters, scope=scope))


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("attending", {"attending"}),
        ("waiting", {"waiting"}),
        ("not_attending", {"not_attending"}),
        ("not_answered", {"silent_invited", "silent_uninvited"}),
    ],
)
def test_secretariat_filter_by_answer_selects_exactly(meeting, people, answer, expected):
    other = ScheduledMeetingFactory()
    AttendanceFactory(meeting=other, member=people["silent_uninvited"])  # an answer to another meeting
    found = recipients({"meeting_answer": {"meeting": meeting.pk, "answer": answer}})
    assert found == {people[name] for name in expected}


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("", {"attending", "waiting", "not_attending", "silent_invited"}),
        ("attending", {"attending"}),
        ("not_answered", {"silent_invited"}),
    ],
)
def test_host_scope_is_limited_to_the_invited_and_registered(meeting, people, answer, expected):
    filters = {"meeting_answer": {"answer": answer}} if answer else {}
    assert recipients(filters, scope=meeting) == {people[name] for name in expected}


def test_host_scope_ignores_the_secretariats_filters(meeting, people):
    # A hand-made POST cannot widen the audience: the scope offers only its own filter.
    outsider = MemberFactory()
    filters = {"institutions": {"institutions": [outsider.institution_id]}}
    assert outsider not in recipients(filters, scope=meeting)


@pytest.mark.parametrize("size", [3, 25])
def test_recipients_of_a_meeting_answer_are_one_query(meeting, size):
    for _ in range(size):
        answered(meeting, Attendance.Status.ATTENDING)
    with CaptureQueriesContext(connection) as queries:
        found = [
            (m.email, m.institution.name)
            for m in messaging.message_recipients(filters={"meeting_answer": {"answer": "attending"}}, scope=meeting)
        ]
    assert (len(found), len(queries)) == (size, 1)


# --- The host's page ----------------------------------------------------------------------------


@pytest.fixture
def host(meeting):
    return MemberFactory(institution=meeting.host)


@pytest.fixture
def host_client(client, host):
    client.force_login(host.user)
    client.cookies["django_language"] = "en"
    return client


def test_meeting_page_links_the_host_to_writing_a_message(client, meeting, host, member):
    url = reverse("meetings:meeting_message", args=[meeting.pk])
    client.force_login(host.user)
    assert url in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(member.user)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200 and meeting.venue in response.content.decode()
    assert url not in response.content.decode()


def test_host_form_offers_only_the_answer_filter(host_client, meeting, people):
    page = host_client.get(reverse("meetings:meeting_message", args=[meeting.pk])).content.decode()
    assert 'name="answer"' in page
    assert 'name="institutions"' not in page and 'name="meeting"' not in page and 'name="roles"' not in page
    assert "4 members will get this message." in page  # invited or answered, the uninvited one left out


def test_host_sends_to_those_attending_only(
    host_client, host, meeting, people, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("meetings:meeting_message", args=[meeting.pk])
    data = {"answer": "attending", "subject_sv": "Parkering", "body_sv": "Parkera vid huvudentrén."}
    preview = host_client.post(url, {"action": "preview", **data})
    assert "1 recipient" in preview.content.decode()
    assert people["attending"].full_name in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = host_client.post(url, {"action": "send", "token": str(uuid.uuid4()), "expected": "1", **data})
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == message.get_absolute_url()
    assert (message.created_by, message.scope) == (host.user, meeting)
    assert [m.to for m in mailoutbox] == [[people["attending"].email]]
    # Her record of it: she may open it.
    assert host_client.get(message.get_absolute_url()).status_code == 200


def test_host_cannot_write_to_arbitrary_members(host_client, people):
    response = host_client.post(
        reverse("network:message_create"),
        {"action": "send", "token": str(uuid.uuid4()), "subject_sv": "Hej", "body_sv": "Hej"},
    )
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_host_of_another_meeting_gets_404(client, meeting):
    other_host = MemberFactory(institution=InstitutionFactory())
    client.force_login(other_host.user)
    url = reverse("meetings:meeting_message", args=[meeting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "send", "token": str(uuid.uuid4())}).status_code == 404
    assert not Message.objects.exists()


def test_secretariat_meeting_filter_needs_meeting_and_answer_together(client, staff_user, meeting):
    login(client, staff_user)
    client.cookies["django_language"] = "en"
    MemberFactory()
    url = reverse("network:message_create")
    text = {"action": "preview", "subject_sv": "Hej", "body_sv": "Hej"}
    page = client.post(url, {"meeting": meeting.pk, **text}).content.decode()
    assert "Choose which answer to the meeting the recipients gave." in page
    page = client.post(url, {"answer": "attending", **text}).content.decode()
    assert "Choose the meeting the answer is about." in page
    assert not Message.objects.exists()


def test_secretariat_preview_describes_the_meeting_filter(client, staff_user, meeting, people):
    login(client, staff_user)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("network:message_create"),
        {"action": "preview", "meeting": meeting.pk, "answer": "waiting", "subject_sv": "Hej", "body_sv": "Hej"},
    )
    page = response.content.decode()
    assert f"Answer to {meeting.display_title}: On the waiting list" in page
    assert people["waiting"].full_name in page and people["attending"].full_name not in page
