import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Meeting
from meetings.tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    ScheduledMeetingFactory,
    host_contact_of,
    winter_day_ahead,
)
from network.tests.factories import InstitutionFactory, MemberFactory

pytestmark = pytest.mark.django_db

MEETING_DAY = winter_day_ahead()  # 10 March, a few years ahead: CET (UTC+1)


def day(offset: int = 0) -> str:
    """The meeting day moved by `offset` days, as the form's date field takes it."""
    return (MEETING_DAY + datetime.timedelta(days=offset)).isoformat()


def login(client, member):
    client.force_login(member.user)
    return client


def schedule_data(**overrides):
    data = {
        "title": "Vårmöte",
        "starts_at": f"{day()}T10:00",
        "ends_at": f"{day(1)}T15:00",
        "venue": "Aula",
        "address": "Campusvägen 1",
        "registration_deadline": f"{day(-18)}T23:59",
        "capacity": "40",
        "practical_information": "Lunch ingår.",
    }
    data.update(overrides)
    return data


def test_meeting_list_shows_upcoming_and_past(member_client):
    upcoming = ScheduledMeetingFactory(title="Kommande möte")
    past = ScheduledMeetingFactory(
        title="Första mötet",
        year=2017,
        status=Meeting.Status.MINUTES_PUBLISHED,
        starts_at=datetime.datetime(2017, 3, 8, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2017, 3, 8, 16, tzinfo=datetime.UTC),
    )
    response = member_client.get(reverse("meetings:meeting_list"))
    upcoming_part, past_part = response.content.decode().split('id="past"')
    assert upcoming.title in upcoming_part and past.title in past_part


def test_meeting_list_shows_the_coming_meetings_first_and_pages_the_past_ten_at_a_time(member_client):
    coming = ScheduledMeetingFactory(title="Kommande möte")
    for year in range(2005, 2017):  # twelve past meetings
        ScheduledMeetingFactory(
            title=f"Möte {year}",
            year=year,
            status=Meeting.Status.MINUTES_PUBLISHED,
            starts_at=datetime.datetime(year, 3, 8, 9, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(year, 3, 8, 16, tzinfo=datetime.UTC),
        )
    first = member_client.get(reverse("meetings:meeting_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    upcoming_part, past_part = first.split('id="past"')
    assert coming.title in upcoming_part and "Möte" not in upcoming_part.replace(coming.title, "")
    assert [f"Möte {year}" in past_part for year in range(2016, 2004, -1)] == [True] * 10 + [False] * 2
    assert '<nav aria-label="Pages" class="pagination">' in first and "Page 1 of 2" in first
    second = member_client.get(reverse("meetings:meeting_list"), {"page": 2}, HTTP_ACCEPT_LANGUAGE="en")
    page = second.content.decode()
    assert "Möte 2006" in page and "Möte 2005" in page and "Möte 2007" not in page
    assert coming.title not in page  # the coming meetings head the first page only
    # On a phone each cell says which column it is (the stacked cards of static/css/site.css).
    assert 'data-label="Host"' in first and 'data-label="Venue"' in first and 'data-label="Status"' in first


def test_host_contact_schedules_meeting_in_stockholm_time(client):
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    login(client, host_contact_of(meeting))
    response = client.post(reverse("meetings:meeting_schedule", args=[meeting.pk]), schedule_data())
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.starts_at == datetime.datetime(MEETING_DAY.year, 3, 10, 9, 0, tzinfo=datetime.UTC)  # 10:00 CET
    assert meeting.ends_at.date() == MEETING_DAY + datetime.timedelta(days=1)


def test_non_host_cannot_edit_meeting(member_client):
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    response = member_client.post(reverse("meetings:meeting_schedule", args=[meeting.pk]), schedule_data())
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.starts_at is None and meeting.status == Meeting.Status.CONFIRMED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": f"{day(-1)}T10:00"}, "The meeting must end after it starts."),
        ({"registration_deadline": f"{day(2)}T10:00"}, "The registration deadline must be before the meeting starts."),
    ],
)
def test_schedule_form_bad_input_shows_message_and_changes_nothing(client, overrides, message):
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    login(client, host_contact_of(meeting))
    with timezone.override("Europe/Stockholm"):
        client.cookies["django_language"] = "en"
        response = client.post(
            reverse("meetings:meeting_schedule", args=[meeting.pk]),
            schedule_data(**overrides),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at is None


def test_schedule_form_error_shown_in_default_language(client):
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    login(client, host_contact_of(meeting))
    response = client.post(
        reverse("meetings:meeting_schedule", args=[meeting.pk]), schedule_data(ends_at=f"{day(-1)}T10:00")
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_host_declines_and_slot_goes_to_another_institution(client):
    meeting = MeetingFactory(year=timezone.localdate().year + 1)
    other = InstitutionFactory()
    host = meeting.host
    login(client, host_contact_of(meeting))
    response = client.post(reverse("meetings:meeting_hosting", args=[meeting.pk]), {"decision": "decline"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.host == other
    assert meeting.declines.get().institution == host


def test_host_accepts(client):
    meeting = MeetingFactory()
    login(client, host_contact_of(meeting))
    client.post(reverse("meetings:meeting_hosting", args=[meeting.pk]), {"decision": "accept"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED


def test_agenda_item_outside_meeting_refused_in_form(client):
    meeting = ScheduledMeetingFactory()
    login(client, host_contact_of(meeting))
    late = timezone.localtime(meeting.ends_at + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("meetings:agenda_item_add", args=[meeting.pk]),
        {"title": "Middag", "starts_at": late},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert not AgendaItem.objects.exists()


def test_rsvp_member_registers_and_appears_on_page(client):
    meeting = ScheduledMeetingFactory()
    member = MemberFactory()
    login(client, member)
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]), {"attending": "yes", "dietary_needs": "Vegetarisk"}
    )
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert member.full_name in page
    assert meeting.attendances.get().dietary_needs == "Vegetarisk"


def test_rsvp_after_deadline_refused_with_message(client):
    meeting = ScheduledMeetingFactory(registration_deadline=timezone.now() - datetime.timedelta(days=1))
    login(client, MemberFactory())
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]), {"attending": "yes"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "deadline has passed" in response.content.decode()
    assert not meeting.attendances.exists()


def test_rsvp_to_cancelled_meeting_refused(client):
    meeting = ScheduledMeetingFactory(status=Meeting.Status.CANCELLED)
    login(client, MemberFactory())
    response = client.post(reverse("meetings:attendance", args=[meeting.pk]), {"attending": "yes"})
    assert response.status_code == 200
    assert not meeting.attendances.exists()


def test_stand_in_form_offers_only_colleagues(client):
    meeting = ScheduledMeetingFactory()
    member = MemberFactory()
    colleague = MemberFactory(institution=member.institution)
    stranger = MemberFactory()
    login(client, member)
    page = client.get(reverse("meetings:stand_in", args=[meeting.pk])).content.decode()
    assert colleague.full_name in page and stranger.full_name not in page
    client.post(reverse("meetings:stand_in", args=[meeting.pk]), {"stand_in": stranger.pk})
    assert not meeting.attendances.filter(member=stranger).exists()
    client.post(reverse("meetings:stand_in", args=[meeting.pk]), {"stand_in": colleague.pk})
    assert meeting.attendances.get(member=colleague).stand_in_for == member
    # Everyone sees on the meeting page whom she stands in for.
    other = MemberFactory()
    login(client, other)
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{colleague.full_name}, {colleague.institution.display_short} (stand-in for {member.full_name})" in page


def test_participant_csv_for_host(client):
    meeting = ScheduledMeetingFactory()
    AttendanceFactory(meeting=meeting, dietary_needs="Glutenfri")
    AttendanceFactory(meeting=meeting, status=Attendance.Status.NOT_ATTENDING)
    login(client, host_contact_of(meeting))
    response = client.get(reverse("meetings:participant_csv", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Glutenfri" in body
    assert len(body.strip().splitlines()) == 3


def test_mark_held_and_cancel_by_host(client):
    meeting = ScheduledMeetingFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
        registration_deadline=None,
    )
    login(client, host_contact_of(meeting))
    client.post(reverse("meetings:meeting_status", args=[meeting.pk]), {"action": "cancel"})
    client.post(reverse("meetings:meeting_status", args=[meeting.pk]), {"action": "held"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED  # held after cancelled is refused


def test_calendar_page_regenerates_token(member_client, member):
    old = member.calendar_token
    member_client.post(reverse("meetings:calendar"))
    member.refresh_from_db()
    assert member.calendar_token != old
    assert member_client.get(reverse("meetings:calendar_feed", args=[old])).status_code == 404


def test_rotation_plan_page_lists_coming_slots(member_client):
    meeting = MeetingFactory(year=timezone.localdate().year + 2)
    page = member_client.get(reverse("meetings:rotation_plan")).content.decode()
    assert meeting.host.name in page


def test_institution_page_shows_hosting_history(member_client):
    meeting = ScheduledMeetingFactory(status=Meeting.Status.HELD, year=2019)
    page = member_client.get(reverse("network:institution_detail", args=[meeting.host.slug])).content.decode()
    assert str(meeting) in page


def test_meeting_page_shows_host_tools_only_to_host(client):
    meeting = ScheduledMeetingFactory()
    login(client, host_contact_of(meeting))
    assert (
        reverse("meetings:meeting_schedule", args=[meeting.pk])
        in client.get(meeting.get_absolute_url()).content.decode()
    )
    login(client, MemberFactory())
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:meeting_schedule", args=[meeting.pk]) not in page
    assert reverse("meetings:attendance", args=[meeting.pk]) in page


def test_agenda_item_added_by_host_shown_in_order(client):
    meeting = ScheduledMeetingFactory()
    login(client, host_contact_of(meeting))
    start = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M")
    url = reverse("meetings:agenda_item_add", args=[meeting.pk])
    client.post(url, {"title": "Projektrapporter", "presenter": "Anna Lind"})
    client.post(url, {"title": "Välkommen", "starts_at": start, "position": "0"})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.index("Välkommen") < page.index("Projektrapporter") and "Anna Lind" in page


# --- The host's next steps, as the page asks meetings/rules.py ----------------------------------

HOST_TOOLS = {
    "hosting": "meetings:meeting_hosting",
    "schedule": "meetings:meeting_schedule",
    "agenda": "meetings:agenda_item_add",
    "upload": "meetings:document_upload",
    "attendance": "meetings:attendance_mark",
}
HOST_TOOLS_BY_STATUS = {
    "proposed": {"hosting", "upload", "cancel"},
    "confirmed": {"hosting", "schedule", "agenda", "upload", "cancel"},
    "scheduled": {"schedule", "agenda", "upload", "held", "cancel"},
    "held": {"upload", "attendance", "publish_minutes"},
    "minutes_published": {"upload", "attendance"},
    "cancelled": set(),
}


@pytest.mark.parametrize("status", sorted(HOST_TOOLS_BY_STATUS))
def test_meeting_page_offers_the_host_the_next_steps_of_its_status(client, status):
    meeting = MeetingFactory(status=status)
    html = login(client, host_contact_of(meeting)).get(meeting.get_absolute_url()).content.decode()
    assert 'id="host-tools"' in html  # the host's panel is there in every status
    shown = {name for name, url in HOST_TOOLS.items() if reverse(url, args=[meeting.pk]) in html}
    shown |= {action for action in ("held", "publish_minutes", "cancel") if f'name="action" value="{action}"' in html}
    assert shown == HOST_TOOLS_BY_STATUS[status]


@pytest.mark.parametrize("status, decisions", [("confirmed", False), ("scheduled", True), ("cancelled", True)])
def test_meeting_page_shows_decisions_from_scheduling_on(client, status, decisions):
    meeting = MeetingFactory(status=status)
    html = login(client, host_contact_of(meeting)).get(meeting.get_absolute_url()).content.decode()
    assert meeting.display_title in html
    assert (reverse("meetings:decision_add", args=[meeting.pk]) in html) is decisions


def test_home_asks_the_host_to_answer_a_proposed_meeting_and_to_schedule_a_confirmed_one(client):
    proposed = MeetingFactory(status=Meeting.Status.PROPOSED)
    confirmed = MeetingFactory(status=Meeting.Status.CONFIRMED, host=proposed.host, year=proposed.year + 1)
    html = login(client, host_contact_of(proposed)).get(reverse("home")).content.decode()
    assert 'id="hosting-heading"' in html
    assert reverse("meetings:meeting_hosting", args=[proposed.pk]) in html
    assert reverse("meetings:meeting_schedule", args=[proposed.pk]) not in html
    assert reverse("meetings:meeting_schedule", args=[confirmed.pk]) in html
    assert reverse("meetings:meeting_hosting", args=[confirmed.pk]) not in html


def test_meeting_page_lists_who_is_coming_by_institution_and_counts_the_waiting_list(member_client):
    """Who is coming, by institution then last name, and the waiting list as a count only (names of
    those waiting are the host's: the participant list); one who declined is not shown."""
    meeting = ScheduledMeetingFactory(capacity=2)
    uppsala, lund = InstitutionFactory(name="Uppsala universitet"), InstitutionFactory(name="Lunds universitet")
    coming = [
        AttendanceFactory(
            meeting=meeting, member=MemberFactory(institution=uppsala, user__first_name="Eva", user__last_name="Ek")
        ),
        AttendanceFactory(
            meeting=meeting, member=MemberFactory(institution=lund, user__first_name="Bo", user__last_name="Berg")
        ),
    ]
    waiting = [
        AttendanceFactory(
            meeting=meeting,
            member=MemberFactory(user__first_name="Väntar", user__last_name=f"Plats{i}"),
            status=Attendance.Status.WAITING,
            waitlisted_at=timezone.now(),
        )
        for i in range(3)
    ]
    declined = AttendanceFactory(
        meeting=meeting,
        member=MemberFactory(user__first_name="Avböjer", user__last_name="Deltagande"),
        status=Attendance.Status.NOT_ATTENDING,
    )

    page = member_client.get(meeting.get_absolute_url()).content.decode()

    people = page.split("Vilka kommer")[1]  # the site's language, Swedish
    names = [a.member.full_name for a in (coming[1], coming[0])]  # Lund before Uppsala
    assert people.index(names[0]) < people.index(names[1])
    assert "3 personer står på väntelistan." in people
    assert all(a.member.full_name not in people for a in [*waiting, declined])
