import datetime

import pytest
from django.urls import reverse

from meetings.models import Attendance, Meeting
from meetings.tests.factories import AttendanceFactory, MeetingFactory, ScheduledMeetingFactory, winter_day_ahead
from network.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_admin_planner_previews_without_saving(staff_client):
    InstitutionFactory.create_batch(3)
    response = staff_client.get(reverse("admin:meetings_meeting_planner") + "?slots=4", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "hosted 0 times" in response.content.decode()
    assert not Meeting.objects.exists()


def test_admin_planner_applies_plan(staff_client):
    InstitutionFactory.create_batch(3)
    staff_client.post(reverse("admin:meetings_meeting_planner"), {"action": "apply", "slots": "4"})
    assert Meeting.objects.filter(status=Meeting.Status.PROPOSED).count() == 4


def test_admin_planner_swap_recorded_in_history(staff_client):
    first, second = MeetingFactory(year=2090), MeetingFactory(year=2092)
    hosts = (first.host, second.host)
    staff_client.post(
        reverse("admin:meetings_meeting_planner"), {"action": "swap", "first": first.pk, "second": second.pk}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.host, second.host) == (hosts[1], hosts[0])
    history = staff_client.get(reverse("admin:meetings_meeting_history", args=[first.pk])).content.decode()
    assert "host swapped" in history


def test_admin_planner_refusal_shows_message(staff_client):
    first = MeetingFactory(year=2090, season="spring")
    second = MeetingFactory(year=2090, season="autumn")
    response = staff_client.post(
        reverse("admin:meetings_meeting_planner"),
        {"action": "override", "meeting": second.pk, "host": first.host.pk},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "two meetings in a row" in response.content.decode()
    second.refresh_from_db()
    assert second.host != first.host


def test_admin_planner_denied_to_members(member_client):
    response = member_client.get(reverse("admin:meetings_meeting_planner"))
    assert response.status_code == 302
    assert not Meeting.objects.exists()


def test_admin_plan_action(staff_client):
    InstitutionFactory.create_batch(3)
    meeting = MeetingFactory(year=2099)
    staff_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "plan_next_eight", "_selected_action": [meeting.pk]},
    )
    assert Meeting.objects.filter(year__lt=2099).count() == 8


def test_admin_meeting_list_filters(staff_client):
    ScheduledMeetingFactory(year=2091)
    response = staff_client.get(reverse("admin:meetings_meeting_changelist") + "?status__exact=scheduled&year=2091")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_admin_meeting_change_page_has_inlines(staff_client):
    meeting = ScheduledMeetingFactory()
    response = staff_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200
    prefixes = {formset.formset.prefix for formset in response.context["inline_admin_formsets"]}
    assert {"agenda_items", "documents", "declines"} <= prefixes


def test_admin_duplicate_slot_refused_with_message(staff_client):
    MeetingFactory(year=2095, season="spring")
    response = staff_client.post(
        reverse("admin:meetings_meeting_add"),
        {
            "kind": "network",
            "format": "in_person",
            "year": "2095",
            "season": "spring",
            "status": "proposed",
            **{
                f"{p}-{k}": v
                for p in ("agenda_items", "documents", "declines")
                for k, v in {
                    "TOTAL_FORMS": "0",
                    "INITIAL_FORMS": "0",
                    "MIN_NUM_FORMS": "0",
                    "MAX_NUM_FORMS": "1000",
                }.items()
            },
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "There is already a meeting for this season and year." in response.content.decode()
    assert Meeting.objects.filter(year=2095).count() == 1


def test_admin_attendance_csv_export(staff_client):
    attendance = AttendanceFactory(dietary_needs="Vegansk")
    AttendanceFactory(status=Attendance.Status.WAITING, waitlisted_at=datetime.datetime.now(datetime.UTC))
    response = staff_client.post(
        reverse("admin:meetings_attendance_changelist"),
        {"action": "export_csv", "_selected_action": [attendance.pk]},
    )
    body = response.content.decode("utf-8-sig")
    assert "Vegansk" in body and len(body.strip().splitlines()) == 2


def test_admin_date_change_of_scheduled_meeting_increments_sequence(staff_client):
    meeting = ScheduledMeetingFactory()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {
        "kind": "network",
        "format": "in_person",
        "video_link": "",
        "year": meeting.year,
        "season": meeting.season,
        "title": "",
        "venue": "Ny aula",
        "address": meeting.address,
        "starts_at_0": winter_day_ahead().isoformat(),
        "starts_at_1": "10:00",
        "ends_at_0": winter_day_ahead().isoformat(),
        "ends_at_1": "16:00",
        "registration_deadline_0": "",
        "registration_deadline_1": "",
        "capacity": "",
        "practical_information": "",
        **{
            f"{p}-{k}": v
            for p in ("agenda_items", "documents", "declines")
            for k, v in {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        },
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert (meeting.venue, meeting.sequence) == ("Ny aula", 1)
