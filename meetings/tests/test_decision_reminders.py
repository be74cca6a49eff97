"""The minutes-published notice (with the decisions) and the owners' reminder before the meeting that
follows up their actions: due at their moment, once, to the right people, in their language."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import services
from meetings.models import Action, Attendance, Decision, Meeting, MeetingDocument
from meetings.tests.factories import AttendanceFactory, MeetingDocumentFactory, ScheduledMeetingFactory, in_days
from meetings.tests.test_reminders import DAY, HOUR, at, one_mail_to, sweep
from network.models import Delivery
from network.outbox.worker import delivery_send, reminders_sweep
from network.tests.factories import InstitutionFactory, MemberFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def held_meeting(**kwargs) -> Meeting:
    return ScheduledMeetingFactory(
        status=Meeting.Status.HELD, starts_at=in_days(-3), ends_at=in_days(-2, 15), registration_deadline=None, **kwargs
    )


# --- Minutes published -------------------------------------------------------------------------------


def test_publishing_minutes_tells_the_participants_with_the_decisions(mailoutbox, django_capture_on_commit_callbacks):
    meeting = held_meeting(title="Vårmötet i Umeå")
    sv = AttendanceFactory(meeting=meeting, member=MemberFactory(language="sv", optional_reminders=False)).member
    en = AttendanceFactory(meeting=meeting, member=MemberFactory(language="en")).member
    absent = AttendanceFactory(meeting=meeting, status=Attendance.Status.NOT_ATTENDING).member
    no_show = AttendanceFactory(meeting=meeting, attended=False).member
    Decision.objects.create(
        meeting=meeting, position=1, text_sv="Nätverket antar strategin.", text_en="The network adopts the strategy."
    )
    Decision.objects.create(meeting=meeting, position=2, text_sv="Nästa möte hålls i Lund.")
    Action.objects.create(
        meeting=meeting, text="Skicka strategin på remiss", owner_member=en, due_on=in_days(60).date()
    )
    MeetingDocumentFactory(meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    with django_capture_on_commit_callbacks(execute=True):  # the sweep of this kind, run eagerly in tests
        services.meeting_publish_minutes(meeting=meeting, by=StaffUserFactory())
    assert {m.to[0] for m in mailoutbox} == {sv.email, en.email}
    assert absent.email not in {m.to[0] for m in mailoutbox} and no_show.email not in {m.to[0] for m in mailoutbox}
    english = one_mail_to(mailoutbox, en)
    assert "The minutes of Vårmötet i Umeå are published" in english.subject
    assert "The network adopts the strategy." in english.body
    assert "Nästa möte hålls i Lund." in english.body  # no English text: the Swedish one
    assert "Skicka strategin på remiss" in english.alternatives[0][0]
    swedish = one_mail_to(mailoutbox, sv)
    assert "Nätverket antar strategin." in swedish.body and "The network adopts" not in swedish.body
    # Recorded as deliveries, once: a second sweep finds nothing new.
    assert Delivery.objects.filter(kind="meeting_minutes_published", status="sent").count() == 2
    assert sweep("meeting_minutes_published")["created"] == 0


def test_minutes_published_through_the_upload_form_also_tells(mailoutbox, django_capture_on_commit_callbacks):
    meeting = held_meeting()
    member = AttendanceFactory(meeting=meeting, member=MemberFactory(language="en")).member
    with django_capture_on_commit_callbacks(execute=True):
        services.document_upload(
            meeting=meeting,
            by=StaffUserFactory(),
            kind=MeetingDocument.Kind.MINUTES,
            title="Protokoll",
            uploaded_file=SimpleUploadedFile("protokoll.txt", b"Protokoll\n", content_type="text/plain"),
            publish_minutes=True,
        )
    assert one_mail_to(mailoutbox, member)


def test_meetings_published_before_the_notice_existed_are_not_announced(mailoutbox):
    meeting = held_meeting()
    AttendanceFactory(meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTES_PUBLISHED)  # no moment recorded
    assert sweep("meeting_minutes_published")["created"] == 0


def test_minutes_notice_found_after_its_window_is_not_sent(mailoutbox):
    meeting = held_meeting()
    AttendanceFactory(meeting=meeting)
    published = at(2031, 3, 1, 12)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.MINUTES_PUBLISHED, minutes_published_at=published
    )
    assert sweep("meeting_minutes_published", published + 31 * DAY)["created"] == 0
    assert sweep("meeting_minutes_published", published + HOUR)["created"] == 1


# --- Owners reminded before the follow-up meeting ------------------------------------------------------


def follow_up_world():
    """An action agreed in spring 2031, due by the autumn meeting (2 October 2031, 10:00)."""
    spring = ScheduledMeetingFactory(
        year=2031, status=Meeting.Status.MINUTES_PUBLISHED, starts_at=at(2031, 4, 10, 10), ends_at=at(2031, 4, 10, 16)
    )
    autumn = ScheduledMeetingFactory(
        year=2031,
        season=Meeting.Season.AUTUMN,
        starts_at=at(2031, 10, 2, 10),
        ends_at=at(2031, 10, 2, 16),
        registration_deadline=at(2031, 9, 20, 12),
    )
    return spring, autumn


def test_owners_are_reminded_14_days_before_the_meeting_that_follows_up_their_actions(mailoutbox):
    spring, autumn = follow_up_world()
    owner = MemberFactory(language="en")
    institution = InstitutionFactory()
    colleagues = MemberFactory.create_batch(2, institution=institution, language="sv")
    Action.objects.create(meeting=spring, text="Write the survey report", owner_member=owner, due_meeting=autumn)
    Action.objects.create(
        meeting=spring, text="Second action of hers", owner_member=owner, due_on=datetime.date(2031, 9, 1)
    )
    Action.objects.create(meeting=spring, text="Boka lokal", owner_institution=institution, due_meeting=autumn)
    Action.objects.create(meeting=spring, text="Later", owner_member=MemberFactory(), due_on=datetime.date(2032, 1, 1))
    offset = datetime.timedelta(days=14)
    assert sweep("meeting_action_due", autumn.starts_at - offset - HOUR)["created"] == 0
    result = sweep("meeting_action_due", autumn.starts_at - offset + HOUR)
    assert result["created"] == 3  # her, and both colleagues of the owning institution; not "Later"
    assert sweep("meeting_action_due", autumn.starts_at - offset + 2 * HOUR)["created"] == 0
    message = one_mail_to(mailoutbox, owner)
    assert "Your 2 actions are followed up at Autumn 2031" in message.subject
    assert "Write the survey report" in message.body and "Second action of hers" in message.body
    assert "Boka lokal" not in message.body
    swedish = one_mail_to(mailoutbox, colleagues[0])
    assert "Boka lokal" in swedish.body and "Write the survey report" not in swedish.body


def test_owner_who_closed_her_action_is_not_reminded(mailoutbox):
    spring, autumn = follow_up_world()
    owner = MemberFactory()
    action = Action.objects.create(meeting=spring, text="Klar redan", owner_member=owner, due_meeting=autumn)
    moment = autumn.starts_at - datetime.timedelta(days=13)
    with time_machine.travel(moment, tick=False):
        result = reminders_sweep(only=["meeting_action_due"])
        services.action_set_status(action=action, by=None, status=Action.Status.DONE)
        assert [delivery_send(delivery_id=pk) for pk in result.ids] == ["skipped"]
    assert mailoutbox == []


def test_a_moved_meeting_reminds_again_for_its_new_date(mailoutbox):
    spring, autumn = follow_up_world()
    owner = MemberFactory()
    Action.objects.create(meeting=spring, text="Följ upp", owner_member=owner, due_meeting=autumn)
    assert sweep("meeting_action_due", autumn.starts_at - 10 * DAY)["created"] == 1
    Meeting.objects.filter(pk=autumn.pk).update(starts_at=at(2031, 10, 9, 10), ends_at=at(2031, 10, 9, 16))
    assert sweep("meeting_action_due", at(2031, 9, 26, 12))["created"] == 1
    assert Delivery.objects.filter(kind="meeting_action_due", recipient=owner).count() == 2
