import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import selectors, services
from meetings.models import Attendance, HostDecline, Meeting
from meetings.services import MeetingError
from meetings.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    ScheduledMeetingFactory,
    in_days,
)
from network.models import Institution
from network.tests.factories import InstitutionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def three_institutions():
    return [
        InstitutionFactory(name="Alfa", joined_on=datetime.date(2017, 3, 8)),
        InstitutionFactory(name="Beta", joined_on=datetime.date(2018, 1, 1)),
        InstitutionFactory(name="Gamma", joined_on=datetime.date(2019, 1, 1)),
    ]


# --- Rotation ---------------------------------------------------------------------------------


def test_rotation_plan_creates_proposed_slots_in_fair_order():
    alfa, beta, gamma = three_institutions()
    services.rotation_plan(count=4)
    meetings = list(Meeting.objects.order_by("year", "-season"))
    assert [m.host for m in meetings] == [alfa, beta, gamma, alfa]
    assert all(m.status == Meeting.Status.PROPOSED for m in meetings)
    assert meetings[0].slot == selectors.current_slot()


def test_rotation_plan_never_moves_confirmed_host():
    alfa, beta, gamma = three_institutions()
    services.rotation_plan(count=3)
    first = Meeting.objects.order_by("year", "-season").first()
    services.meeting_override_host(meeting=first, host=gamma, by=None)
    services.rotation_plan(count=3)
    hosts = [m.host for m in Meeting.objects.order_by("year", "-season")]
    assert hosts[0] == gamma
    assert hosts[1] != gamma
    assert set(hosts) == {alfa, beta, gamma}


def test_rotation_plan_skips_left_institutions():
    alfa, beta, gamma = three_institutions()
    Institution.objects.filter(pk=beta.pk).update(left_on=timezone.localdate() - datetime.timedelta(days=1))
    services.rotation_plan(count=4)
    assert beta not in {m.host for m in Meeting.objects.all()}


def test_rotation_plan_rejects_bad_count():
    with pytest.raises(MeetingError):
        services.rotation_plan(count=0)


def test_plan_rotation_command_dry_run_changes_nothing(capsys):
    three_institutions()
    call_command("plan_rotation", "--slots", "3", "--dry-run")
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("*") for line in lines) == 3  # three slots would change...
    assert Meeting.objects.count() == 0


def test_plan_rotation_command_saves_plan():
    three_institutions()
    call_command("plan_rotation", "--slots", "3")
    assert Meeting.objects.filter(status=Meeting.Status.PROPOSED).count() == 3


def test_plan_rotation_command_bad_input_fails_with_reason():
    with pytest.raises(CommandError, match="between 1 and 200"):
        call_command("plan_rotation", "--slots", "0")


def test_swap_hosts_recorded_in_history():
    alfa, beta, gamma = three_institutions()
    services.rotation_plan(count=3)
    first, _, third = Meeting.objects.order_by("year", "-season")
    services.meeting_swap_hosts(first=first, second=third, by=None)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.host, third.host) == (gamma, alfa)
    assert first.status == third.status == Meeting.Status.CONFIRMED
    assert first.history.first().history_change_reason.startswith("host swapped")


def test_override_host_refuses_consecutive_repeat():
    alfa, beta, gamma = three_institutions()
    services.rotation_plan(count=3)
    first, second, _ = Meeting.objects.order_by("year", "-season")
    assert first.host == alfa
    with pytest.raises(MeetingError, match="two meetings in a row"):
        services.meeting_override_host(meeting=second, host=alfa, by=None)
    second.refresh_from_db()
    assert second.host == beta


def test_two_meetings_for_one_slot_refused_by_database():
    MeetingFactory(year=2040, season=Meeting.Season.SPRING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(year=2040, season=Meeting.Season.SPRING)


# --- Hosting and status -----------------------------------------------------------------------


def test_accept_hosting_confirms():
    meeting = MeetingFactory()
    services.meeting_accept_hosting(meeting=meeting, by=None)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED


def test_decline_hosting_records_decline_and_replans_slot():
    alfa, beta, gamma = three_institutions()
    services.rotation_plan(count=2)
    first = Meeting.objects.order_by("year", "-season").first()
    assert first.host == alfa
    services.meeting_decline_hosting(meeting=first, by=None, reason="Renovering")
    first.refresh_from_db()
    assert HostDecline.objects.filter(meeting=first, institution=alfa, reason="Renovering").exists()
    assert first.host not in (alfa, None)
    assert first.status == Meeting.Status.PROPOSED


def test_illegal_status_move_refused():
    meeting = MeetingFactory(status=Meeting.Status.PROPOSED)
    with pytest.raises(MeetingError, match="cannot become"):
        services.meeting_mark_held(meeting=meeting, by=None)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PROPOSED


def test_cancel_then_schedule_refused():
    meeting = ScheduledMeetingFactory()
    services.meeting_cancel(meeting=meeting, by=None)
    with pytest.raises(MeetingError):
        services.meeting_schedule(meeting=meeting, by=None, starts_at=in_days(5), ends_at=in_days(6), venue="X")


def test_schedule_moves_confirmed_to_scheduled():
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    services.meeting_schedule(
        meeting=meeting,
        by=None,
        starts_at=in_days(40),
        ends_at=in_days(41, 15),
        venue="Aula",
        registration_deadline=in_days(30),
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.sequence == 0


def test_schedule_change_of_date_increments_sequence():
    meeting = ScheduledMeetingFactory()
    services.meeting_schedule(
        meeting=meeting,
        by=None,
        starts_at=in_days(35),
        ends_at=in_days(36),
        venue=meeting.venue,
        address=meeting.address,
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_schedule_proposed_refused():
    meeting = MeetingFactory()
    with pytest.raises(MeetingError, match="accept hosting"):
        services.meeting_schedule(meeting=meeting, by=None, starts_at=in_days(5), ends_at=in_days(6), venue="X")


@pytest.mark.parametrize(
    ("starts", "ends", "deadline", "message"),
    [
        (in_days(10), in_days(9), None, "end after it starts"),
        (in_days(10), in_days(11), in_days(12), "before the meeting starts"),
    ],
)
def test_schedule_bad_input_changes_nothing(starts, ends, deadline, message):
    meeting = ScheduledMeetingFactory()
    before = (meeting.starts_at, meeting.ends_at, meeting.registration_deadline)
    with pytest.raises(MeetingError, match=message):
        services.meeting_schedule(
            meeting=meeting, by=None, starts_at=starts, ends_at=ends, venue="X", registration_deadline=deadline
        )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at, meeting.registration_deadline) == before


def test_schedule_refused_when_agenda_would_fall_outside():
    meeting = ScheduledMeetingFactory()
    AgendaItemFactory(
        meeting=meeting, starts_at=meeting.starts_at, ends_at=meeting.starts_at + datetime.timedelta(hours=1)
    )
    with pytest.raises(MeetingError, match="outside the meeting"):
        services.meeting_schedule(meeting=meeting, by=None, starts_at=in_days(50), ends_at=in_days(51), venue="X")


def test_agenda_item_outside_meeting_refused():
    meeting = ScheduledMeetingFactory()
    with pytest.raises(MeetingError, match="within the meeting"):
        services.agenda_item_add(
            meeting=meeting, by=None, title="Middag", starts_at=meeting.ends_at + datetime.timedelta(hours=2)
        )
    assert not meeting.agenda_items.exists()


def test_agenda_items_get_increasing_positions():
    meeting = ScheduledMeetingFactory()
    first = services.agenda_item_add(meeting=meeting, by=None, title="Välkommen", starts_at=meeting.starts_at)
    second = services.agenda_item_add(meeting=meeting, by=None, title="Projekt", presenter="Anna Lind")
    assert (first.position, second.position) == (1, 2)


def test_publish_minutes_requires_minutes_document():
    meeting = ScheduledMeetingFactory(status=Meeting.Status.HELD)
    with pytest.raises(MeetingError, match="Upload the minutes"):
        services.meeting_publish_minutes(meeting=meeting, by=None)
    MeetingDocumentFactory(meeting=meeting, kind="minutes")
    services.meeting_publish_minutes(meeting=meeting, by=None)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_PUBLISHED


# --- Attendance -------------------------------------------------------------------------------


def test_rsvp_full_meeting_goes_to_waiting_list_and_is_promoted():
    meeting = ScheduledMeetingFactory(capacity=1)
    first, second, third = MemberFactory(), MemberFactory(), MemberFactory()
    services.attendance_respond(meeting=meeting, member=first, by=first.user, attending=True)
    waiting = services.attendance_respond(meeting=meeting, member=second, by=second.user, attending=True)
    services.attendance_respond(meeting=meeting, member=third, by=third.user, attending=True)
    assert waiting.status == Attendance.Status.WAITING
    services.attendance_respond(meeting=meeting, member=first, by=first.user, attending=False)
    statuses = dict(meeting.attendances.values_list("member_id", "status"))
    assert statuses == {
        first.pk: Attendance.Status.NOT_ATTENDING,
        second.pk: Attendance.Status.ATTENDING,
        third.pk: Attendance.Status.WAITING,
    }


def test_rsvp_raised_capacity_promotes():
    meeting = ScheduledMeetingFactory(capacity=1)
    AttendanceFactory(meeting=meeting)
    waiting = AttendanceFactory(meeting=meeting, status=Attendance.Status.WAITING, waitlisted_at=timezone.now())
    services.meeting_schedule(
        meeting=meeting,
        by=None,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        venue=meeting.venue,
        address=meeting.address,
        registration_deadline=meeting.registration_deadline,
        capacity=2,
    )
    waiting.refresh_from_db()
    assert waiting.status == Attendance.Status.ATTENDING


def test_rsvp_after_deadline_refused_for_member_allowed_for_staff(staff_user):
    meeting = ScheduledMeetingFactory(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    member = MemberFactory()
    with pytest.raises(MeetingError, match="deadline has passed"):
        services.attendance_respond(meeting=meeting, member=member, by=member.user, attending=True)
    assert not meeting.attendances.exists()
    services.attendance_respond(meeting=meeting, member=member, by=staff_user, attending=True)
    assert meeting.attendances.get().status == Attendance.Status.ATTENDING


def test_rsvp_cancelled_meeting_refused():
    meeting = ScheduledMeetingFactory(status=Meeting.Status.CANCELLED)
    member = MemberFactory()
    with pytest.raises(MeetingError, match="cancelled"):
        services.attendance_respond(meeting=meeting, member=member, by=member.user, attending=True)
    assert not meeting.attendances.exists()


def test_stand_in_takes_the_seat():
    meeting = ScheduledMeetingFactory(capacity=1)
    member = MemberFactory()
    colleague = MemberFactory(institution=member.institution)
    services.attendance_respond(meeting=meeting, member=member, by=member.user, attending=True)
    attendance = services.attendance_send_stand_in(meeting=meeting, member=member, stand_in=colleague, by=member.user)
    assert attendance.status == Attendance.Status.ATTENDING
    assert attendance.stand_in_for == member
    assert meeting.attendances.get(member=member).status == Attendance.Status.NOT_ATTENDING


def test_stand_in_from_other_institution_refused():
    meeting = ScheduledMeetingFactory()
    member, stranger = MemberFactory(), MemberFactory()
    with pytest.raises(MeetingError, match="own institution"):
        services.attendance_send_stand_in(meeting=meeting, member=member, stand_in=stranger, by=member.user)
    assert not meeting.attendances.exists()


def test_host_contacts_are_active_members_of_host():
    meeting = MeetingFactory()
    contact = MemberFactory(institution=meeting.host)
    MemberFactory()
    assert list(selectors.host_contacts(meeting)) == [contact]


def test_calendar_token_regenerate_changes_token():
    member = MemberFactory()
    old = member.calendar_token
    new = services.calendar_token_regenerate(member=member)
    member.refresh_from_db()
    assert member.calendar_token == new != old
