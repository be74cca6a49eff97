"""Every meeting reminder kind: due at the right moment (time-machine), once, to the right people, in
their language, with a text part and the meeting's .ics. In-process sweep + send (a real worker:
test_reminders_worker.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Meeting
from meetings.reminders import slot_date
from meetings.tests.factories import AttendanceFactory, MeetingFactory, ScheduledMeetingFactory, in_days
from network.models import Delivery
from network.outbox.worker import delivery_send, reminders_sweep
from network.tests.factories import ApplicantFactory, InstitutionFactory, MemberFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# The clock of the tests whose meetings are in 2027 (their texts name the year): a moment before those
# meetings, so that the tests do not start failing once 2027 has come.
AUTUMN_2026 = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=STOCKHOLM)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def sweep(kind: str, moment: datetime.datetime | None = None) -> dict:
    """Run the sweep for one kind at `moment` and send what it queued; {recipient email: outcome}."""
    with time_machine.travel(moment or timezone.now(), tick=False):
        result = reminders_sweep(only=[kind])
        outcomes = {}
        for pk in result.ids:
            outcome = delivery_send(delivery_id=pk)
            outcomes[Delivery.objects.get(pk=pk).to_address] = outcome
    return {"created": result.created, **outcomes}


def one_mail_to(mailoutbox, member):
    (message,) = [m for m in mailoutbox if m.to == [member.email]]
    assert message.body.strip()  # the plain-text part
    assert message.alternatives[0][1] == "text/html"
    return message


def ics_of(message) -> str:
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    content = attachment[1]
    return content.decode() if isinstance(content, bytes) else content


# --- Host contacts ---------------------------------------------------------------------------------


@time_machine.travel(AUTUMN_2026, tick=False)
def test_host_proposed_asks_the_host_contacts_once_in_their_language(mailoutbox):
    host = InstitutionFactory()
    sv = MemberFactory(institution=host, language="sv", optional_reminders=False)  # not optional
    en = MemberFactory(institution=host, language="en")
    MemberFactory()  # another institution
    meeting = MeetingFactory(year=2027, season=Meeting.Season.AUTUMN, host=host)
    outcome = sweep("meeting_host_proposed")
    assert outcome == {"created": 2, sv.email: "sent", en.email: "sent"}
    assert "oktober 2027" in one_mail_to(mailoutbox, sv).subject
    message = one_mail_to(mailoutbox, en)
    assert "October 2027" in message.subject and "accept or decline" in message.subject
    assert meeting.get_absolute_url() in message.body
    assert sweep("meeting_host_proposed")["created"] == 0


def test_host_proposed_waits_until_the_slot_is_near_and_follows_a_new_host(mailoutbox):
    host = InstitutionFactory()
    contact = MemberFactory(institution=host)
    meeting = MeetingFactory(year=2028, season=Meeting.Season.AUTUMN, host=host)
    earliest = slot_date(meeting) - datetime.timedelta(days=548)
    assert sweep("meeting_host_proposed", earliest - HOUR)["created"] == 0
    assert sweep("meeting_host_proposed", earliest + HOUR) == {"created": 1, contact.email: "sent"}
    other = MemberFactory(institution=InstitutionFactory())
    Meeting.objects.filter(pk=meeting.pk).update(host=other.institution)
    assert sweep("meeting_host_proposed", earliest + 2 * HOUR) == {"created": 1, other.email: "sent"}


def test_schedule_request_6_4_and_3_months_before_the_slot_while_unscheduled(mailoutbox):
    host = InstitutionFactory()
    contact = MemberFactory(institution=host, language="en")
    meeting = MeetingFactory(year=2027, season=Meeting.Season.AUTUMN, host=host, status=Meeting.Status.CONFIRMED)
    anchor = slot_date(meeting)  # 15 October 2027
    for days in (182, 122, 91):
        assert sweep("meeting_schedule_request", anchor - datetime.timedelta(days=days) - HOUR)["created"] == 0
        assert sweep("meeting_schedule_request", anchor - datetime.timedelta(days=days) + HOUR) == {
            "created": 1,
            contact.email: "sent",
        }
    assert len(mailoutbox) == 3
    assert all("Please schedule your meeting" in m.subject for m in mailoutbox)
    assert Delivery.objects.filter(kind="meeting_schedule_request").count() == 3


def test_schedule_request_found_late_sends_only_the_latest_and_stops_once_scheduled(mailoutbox):
    host = InstitutionFactory()
    contact = MemberFactory(institution=host, optional_reminders=False)
    meeting = MeetingFactory(year=2027, season=Meeting.Season.AUTUMN, host=host, status=Meeting.Status.CONFIRMED)
    anchor = slot_date(meeting)
    # A host confirmed late (after the 4-month mark) gets one message, and opted out: skipped.
    assert sweep("meeting_schedule_request", anchor - datetime.timedelta(days=100)) == {
        "created": 1,
        contact.email: "skipped",
    }
    MemberFactory(institution=host)
    scheduled = {"status": Meeting.Status.SCHEDULED, "starts_at": anchor, "ends_at": anchor + HOUR}
    Meeting.objects.filter(pk=meeting.pk).update(**scheduled)
    assert sweep("meeting_schedule_request", anchor - datetime.timedelta(days=90))["created"] == 0
    assert mailoutbox == []


def test_minutes_request_7_days_after_the_meeting_unless_published(mailoutbox):
    meeting = ScheduledMeetingFactory()
    contact = MemberFactory(institution=meeting.host, language="en")
    due = meeting.ends_at + datetime.timedelta(days=7)
    assert sweep("meeting_minutes_request", due - HOUR)["created"] == 0
    assert sweep("meeting_minutes_request", due + HOUR) == {"created": 1, contact.email: "sent"}
    message = one_mail_to(mailoutbox, contact)
    assert "Please publish the minutes" in message.subject
    assert "BEGIN:VEVENT" in ics_of(message)
    assert sweep("meeting_minutes_request", due + 2 * HOUR)["created"] == 0

    published = ScheduledMeetingFactory(status=Meeting.Status.MINUTES_PUBLISHED)
    MemberFactory(institution=published.host)
    assert sweep("meeting_minutes_request", published.ends_at + datetime.timedelta(days=8))["created"] == 0


# --- Members: invitation, update, cancellation -------------------------------------------------------


def schedule(meeting, **changes):
    fields = {
        "starts_at": at(2027, 3, 10, 10),  # March: "mars" in Swedish
        "ends_at": at(2027, 3, 11, 15),
        "venue": "Aula Magna",
        "address": "Universitetsvägen 10",
        "registration_deadline": at(2027, 2, 20, 12),
    }
    fields.update(changes)
    return services.meeting_schedule(meeting=meeting, by=None, **fields)


@time_machine.travel(AUTUMN_2026, tick=False)
def test_invitation_goes_to_every_active_member_when_scheduled_opt_out_or_not(mailoutbox):
    meeting = MeetingFactory(year=2027, status=Meeting.Status.CONFIRMED)
    sv = MemberFactory(language="sv", optional_reminders=False)
    en = MemberFactory(language="en")
    ApplicantFactory()
    assert sweep("meeting_invitation")["created"] == 0  # not scheduled yet
    schedule(meeting)
    assert sweep("meeting_invitation") == {"created": 2, sv.email: "sent", en.email: "sent"}
    assert "mars 2027" in one_mail_to(mailoutbox, sv).subject
    message = one_mail_to(mailoutbox, en)
    assert message.subject.endswith("Invitation: Spring 2027, 10 March 2027")
    assert "Aula Magna" in message.body
    ics = ics_of(message)
    assert "SEQUENCE:0" in ics and meeting.uid in ics
    assert sweep("meeting_invitation")["created"] == 0


@time_machine.travel(AUTUMN_2026, tick=False)
def test_date_change_sends_an_update_and_skips_the_stale_one(mailoutbox):
    meeting = MeetingFactory(year=2027, status=Meeting.Status.CONFIRMED)
    member = MemberFactory(language="en")
    schedule(meeting)
    sweep("meeting_invitation")
    assert sweep("meeting_update")["created"] == 0  # nothing changed yet
    schedule(meeting, starts_at=at(2027, 3, 17, 10), ends_at=at(2027, 3, 18, 15))
    with time_machine.travel(timezone.now(), tick=False):
        (stale,) = reminders_sweep(only=["meeting_update"]).ids  # v1, not sent yet
    schedule(meeting, starts_at=at(2027, 5, 5, 10), ends_at=at(2027, 5, 6, 15))
    assert sweep("meeting_update")["created"] == 1
    assert delivery_send(delivery_id=stale) == "skipped"
    statuses = dict(Delivery.objects.filter(kind="meeting_update").values_list("object_key", "status"))
    assert statuses == {f"meetings.meeting:{meeting.pk}@v1": "skipped", f"meetings.meeting:{meeting.pk}@v2": "sent"}
    update = [m for m in mailoutbox if m.subject.startswith("[KLOSS-Net] Changed")]
    assert len(update) == 1 and "5 May 2027" in update[0].subject
    assert "SEQUENCE:2" in ics_of(update[0])
    assert sweep("meeting_update")["created"] == 0
    assert member.email in update[0].to


@time_machine.travel(AUTUMN_2026, tick=False)
def test_cancellation_tells_the_invited_and_registered_and_skips_other_kinds(mailoutbox):
    meeting = MeetingFactory(year=2027, status=Meeting.Status.CONFIRMED)
    invited = MemberFactory(language="en")
    schedule(meeting)
    sweep("meeting_invitation")
    registered = MemberFactory(language="en")  # joined later, registered before getting the invitation
    AttendanceFactory(meeting=meeting, member=registered)
    with time_machine.travel(timezone.now(), tick=False):
        (queued,) = reminders_sweep(only=["meeting_invitation"]).ids  # the newcomer's invitation
    services.meeting_cancel(meeting=meeting, by=None)
    assert delivery_send(delivery_id=queued) == "skipped"
    assert sweep("meeting_cancelled") == {"created": 2, invited.email: "sent", registered.email: "sent"}
    message = one_mail_to([m for m in mailoutbox if "Cancelled" in m.subject], invited)
    assert "STATUS:CANCELLED" in ics_of(message)
    assert sweep("meeting_cancelled")["created"] == 0


# --- Members: before the deadline and before the meeting ---------------------------------------------


def test_registration_closes_in_7_days_to_those_who_have_not_answered(mailoutbox):
    meeting = ScheduledMeetingFactory()
    silent = MemberFactory(language="en")
    opted_out = MemberFactory(optional_reminders=False)
    AttendanceFactory(meeting=meeting, member=MemberFactory(), status=Attendance.Status.NOT_ATTENDING)
    due = meeting.registration_deadline - datetime.timedelta(days=7)
    assert sweep("meeting_registration_closes", due - HOUR)["created"] == 0
    outcome = sweep("meeting_registration_closes", due + HOUR)
    assert outcome == {"created": 2, silent.email: "sent", opted_out.email: "skipped"}
    assert "Registration for" in one_mail_to(mailoutbox, silent).subject
    assert sweep("meeting_registration_closes", due + 2 * HOUR)["created"] == 0


def test_see_you_in_7_days_found_more_than_a_day_late_is_not_recorded(mailoutbox):
    meeting = ScheduledMeetingFactory()
    AttendanceFactory(meeting=meeting)
    assert sweep("meeting_week_before", meeting.starts_at - datetime.timedelta(days=5))["created"] == 0


def test_see_you_in_7_days_and_tomorrow_to_those_attending(mailoutbox):
    meeting = ScheduledMeetingFactory()
    attending = AttendanceFactory(meeting=meeting, member=MemberFactory(language="en")).member
    AttendanceFactory(meeting=meeting, status=Attendance.Status.NOT_ATTENDING)
    week = meeting.starts_at - datetime.timedelta(days=7)
    assert sweep("meeting_week_before", week - HOUR)["created"] == 0
    assert sweep("meeting_week_before", week + HOUR) == {"created": 1, attending.email: "sent"}
    assert sweep("meeting_tomorrow", week + HOUR)["created"] == 0
    day = meeting.starts_at - DAY
    assert sweep("meeting_tomorrow", day - HOUR)["created"] == 0
    assert sweep("meeting_tomorrow", day + HOUR) == {"created": 1, attending.email: "sent"}
    assert sweep("meeting_week_before", day + HOUR)["created"] == 0
    subjects = [m.subject for m in mailoutbox]
    assert subjects[0].startswith("[KLOSS-Net] See you in a week") and subjects[1].startswith("[KLOSS-Net] Tomorrow")
    assert all("BEGIN:VEVENT" in ics_of(m) for m in mailoutbox)


def test_reminder_of_a_moved_or_past_meeting_is_skipped_not_sent_late(mailoutbox):
    meeting = ScheduledMeetingFactory()
    member = AttendanceFactory(meeting=meeting, member=MemberFactory(optional_reminders=True)).member
    day = meeting.starts_at - DAY
    with time_machine.travel(day + HOUR, tick=False):
        (pk,) = reminders_sweep(only=["meeting_tomorrow"]).ids
    with time_machine.travel(meeting.starts_at + HOUR, tick=False):
        assert delivery_send(delivery_id=pk) == "skipped"  # the meeting has begun
    week_meeting = ScheduledMeetingFactory(starts_at=in_days(60), ends_at=in_days(61), registration_deadline=None)
    AttendanceFactory(meeting=week_meeting, member=member)
    with time_machine.travel(week_meeting.starts_at - datetime.timedelta(days=6, hours=12), tick=False):
        (pk,) = reminders_sweep(only=["meeting_week_before"]).ids
        Meeting.objects.filter(pk=week_meeting.pk).update(
            starts_at=week_meeting.starts_at - 2 * HOUR, ends_at=week_meeting.ends_at - 2 * HOUR
        )
        assert delivery_send(delivery_id=pk) == "skipped"  # moved: a new row follows the new date
        assert reminders_sweep(only=["meeting_week_before"]).created == 1
    assert mailoutbox == []


def test_off_the_waiting_list_when_a_seat_frees_up(mailoutbox):
    meeting = ScheduledMeetingFactory(capacity=1)
    first = MemberFactory()
    waiting = MemberFactory(language="en", optional_reminders=False)  # not an optional message
    services.attendance_respond(meeting=meeting, member=first, by=first.user, attending=True)
    services.attendance_respond(meeting=meeting, member=waiting, by=waiting.user, attending=True)
    assert sweep("meeting_waitlist_promoted")["created"] == 0
    services.attendance_respond(meeting=meeting, member=first, by=first.user, attending=False)
    assert meeting.attendances.get(member=waiting).status == Attendance.Status.ATTENDING
    assert sweep("meeting_waitlist_promoted") == {"created": 1, waiting.email: "sent"}
    message = one_mail_to(mailoutbox, waiting)
    assert "off the waiting list" in message.subject
    assert "BEGIN:VEVENT" in ics_of(message)
    assert sweep("meeting_waitlist_promoted")["created"] == 0
