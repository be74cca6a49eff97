"""Wording a member reads: one Swedish word for the minutes on the page and in the email, the action
status "Öppen" (not the verb "Öppna"), whole action lines in the plain-text emails, and a held
meeting's page saying what happened."""

import datetime

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Action, Meeting, MeetingDocument
from meetings.tests.factories import AttendanceFactory, MeetingDocumentFactory, ScheduledMeetingFactory, in_days
from meetings.tests.test_decision_reminders import follow_up_world, held_meeting
from meetings.tests.test_reminders import HOUR, one_mail_to, sweep
from network.tests.factories import MemberFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}


def published(django_capture_on_commit_callbacks, **attendance):
    meeting = held_meeting(title="Vårmötet i Umeå")
    member = AttendanceFactory(meeting=meeting, member=MemberFactory(language="sv"), **attendance).member
    Action.objects.create(
        meeting=meeting, text="Skicka strategin på remiss", owner_member=member, due_on=in_days(60).date()
    )
    Action.objects.create(
        meeting=meeting, text="Boka lokal", owner_member=member, due_meeting=ScheduledMeetingFactory()
    )
    MeetingDocumentFactory(meeting=meeting, kind=MeetingDocument.Kind.MINUTES, title="Vårmötet 2027")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_minutes(meeting=meeting, by=StaffUserFactory())
    return meeting, member


def test_the_minutes_have_one_swedish_word_on_the_page_and_in_the_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, member = published(django_capture_on_commit_callbacks)
    client.force_login(member.user)
    page = client.get(meeting.get_absolute_url(), **SV).content.decode()
    email = one_mail_to(mailoutbox, member)
    assert "Vårmötet 2027</a> (Protokoll," in page  # the document's kind
    assert "Protokoll publicerat" in page  # the meeting's status
    assert "Protokollet" in email.subject + email.body and "Protokollet" in email.alternatives[0][0]
    for text in (page, email.subject, email.body, email.alternatives[0][0]):
        assert "innesanteckning" not in text


def test_an_open_action_reads_oppen_and_opening_a_round_is_still_a_verb(member_client, staff_client):
    meeting = held_meeting()
    Action.objects.create(meeting=meeting, text="Boka lokal", owner_member=MemberFactory(), due_on=in_days(30).date())
    register = member_client.get(reverse("meetings:action_register"), **SV).content.decode()
    assert "Boka lokal" in register
    assert "<td>Öppen</td>" in register and "<td>Öppna</td>" not in register
    round_form = staff_client.get(reverse("projects:round_create"), **SV).content.decode()
    assert '<button type="submit">Öppna</button>' in round_form


def test_plain_text_action_lines_are_whole_in_the_minutes_email(mailoutbox, django_capture_on_commit_callbacks):
    _meeting, member = published(django_capture_on_commit_callbacks)
    lines = one_mail_to(mailoutbox, member).body.splitlines()
    action_lines = [line for line in lines if line.startswith("- ")]
    assert len(action_lines) == 2
    for line in action_lines:
        assert line.endswith(")"), line  # the bracket closes on the line it opens
    assert not [line for line in lines if line.strip().startswith(")")]
    assert any(line.startswith("- Skicka strategin på remiss (") and ", senast " in line for line in action_lines)


def test_plain_text_action_lines_are_whole_in_the_reminder_of_actions(mailoutbox):
    spring, autumn = follow_up_world()
    owner = MemberFactory(language="sv")
    Action.objects.create(meeting=spring, text="Skriv rapporten", owner_member=owner, due_meeting=autumn)
    Action.objects.create(meeting=spring, text="Boka lokal", owner_member=owner, due_on=datetime.date(2031, 9, 1))
    sweep("meeting_action_due", autumn.starts_at - datetime.timedelta(days=14) + HOUR)
    lines = one_mail_to(mailoutbox, owner).body.splitlines()
    action_lines = [line for line in lines if line.startswith("- ")]
    assert len(action_lines) == 2
    assert all(line.endswith(")") for line in action_lines), action_lines
    assert not [line for line in lines if line.strip().startswith("(") or line.strip().startswith(")")]


def test_a_held_meeting_says_it_was_held_not_that_registration_is_not_open(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, member = published(django_capture_on_commit_callbacks)
    client.force_login(member.user)
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The meeting has been held." in page
    assert "Who registered" in page and member.full_name in page
    assert "Registration is not open yet" not in page and "Who is coming" not in page
    # A meeting still to be scheduled keeps its wording.
    proposed = ScheduledMeetingFactory(status=Meeting.Status.CONFIRMED, starts_at=None, ends_at=None)
    page = client.get(proposed.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Registration is not open yet." in page and "Who is coming" in page
