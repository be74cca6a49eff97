"""Kinds of meeting: steering-group meetings for its seats and the secretariat only (documents
included), other gatherings outside the rotation, and online or hybrid meetings with a video link."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from meetings import selectors, services
from meetings.ics import meetings_calendar
from meetings.models import Action, Decision, Meeting, MeetingDocument
from meetings.tests.factories import (
    MeetingDocumentFactory,
    MeetingFactory,
    ScheduledMeetingFactory,
    in_days,
    winter_day_ahead,
)
from meetings.tests.test_reminders import sweep
from network.tests.factories import MemberFactory, StaffUserFactory, SteeringGroupSeatFactory, activate_totp, login
from tests.support.html import offered

pytestmark = pytest.mark.django_db


def staff_with_mfa():
    staff = StaffUserFactory()
    activate_totp(staff)
    return staff


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    login(client, user)  # as a real login: staff's second factor recorded
    return client


def steering_meeting(**kwargs) -> Meeting:
    return ScheduledMeetingFactory(kind=Meeting.Kind.STEERING, host=None, title="Styrgruppsmöte i november", **kwargs)


@pytest.fixture
def seat():
    return SteeringGroupSeatFactory(starts_on=datetime.date(2020, 1, 1)).member


def test_steering_meeting_page_documents_and_ics_for_its_seats_and_staff_only(member, seat):
    meeting = steering_meeting()
    document = MeetingDocumentFactory(meeting=meeting)
    urls = [
        meeting.get_absolute_url(),
        reverse("meetings:meeting_ics", args=[meeting.pk]),
        reverse("meetings:document_download", args=[document.pk]),
        reverse("meetings:attendance", args=[meeting.pk]),
    ]
    outsider, insider, staff = client_of(member.user), client_of(seat.user), client_of(staff_with_mfa())
    for url in urls:
        assert outsider.get(url).status_code == 404, url
        assert insider.get(url).status_code == 200, url
    assert staff.get(urls[0]).status_code == 200
    page = insider.get(urls[0]).content.decode()
    assert "Steering-group meeting" in page and "for the steering group and the secretariat" in page


def test_a_former_seat_no_longer_sees_the_steering_meeting(member):
    former = SteeringGroupSeatFactory(starts_on=datetime.date(2018, 1, 1), ends_on=datetime.date(2019, 12, 31)).member
    assert client_of(former.user).get(steering_meeting().get_absolute_url()).status_code == 404


def test_meeting_list_calendar_and_registers_hide_steering_meetings_from_other_members(member, seat):
    meeting = steering_meeting()
    network = ScheduledMeetingFactory(title="Nätverksmöte i Lund")
    held = steering_meeting(status=Meeting.Status.HELD, starts_at=in_days(-5), ends_at=in_days(-5, 15))
    Decision.objects.create(meeting=held, text_sv="Hemligt styrgruppsbeslut")
    Action.objects.create(meeting=held, text="Styrgruppens åtgärd", owner_member=seat, due_on=in_days(30).date())
    outsider, insider = client_of(member.user), client_of(seat.user)
    listing = outsider.get(reverse("meetings:meeting_list")).content.decode()  # fills the shared fragment
    assert network.title in listing and meeting.title not in listing
    assert meeting.title in insider.get(reverse("meetings:meeting_list")).content.decode()
    for name, text, count in (
        ("meetings:decision_register", "Hemligt", "0 decisions"),
        ("meetings:action_register", "Styrgruppens", "0 actions"),
    ):
        response = outsider.get(reverse(name))
        assert response.status_code == 200 and count in response.content.decode()  # the register answered
        assert text not in response.content.decode()
        assert text in insider.get(reverse(name)).content.decode()
    export = outsider.get(reverse("meetings:decision_export"), {"format": "csv"})
    assert export.status_code == 200 and "Decision (Swedish)" in export.content.decode()  # the header row
    assert "Hemligt" not in export.content.decode()
    feed = reverse("meetings:calendar_feed", kwargs={"token": member.calendar_token})
    own_feed = reverse("meetings:calendar_feed", kwargs={"token": seat.calendar_token})
    outsider_feed = Client().get(feed)
    assert outsider_feed.status_code == 200 and network.uid in outsider_feed.content.decode()  # her meetings are there
    assert meeting.uid not in outsider_feed.content.decode()
    assert meeting.uid in Client().get(own_feed).content.decode()


def test_register_filters_offer_steering_meetings_and_their_owners_to_its_seats_and_staff_only(member, seat):
    held = steering_meeting(status=Meeting.Status.HELD, starts_at=in_days(-5), ends_at=in_days(-5, 15))
    network = ScheduledMeetingFactory(
        title="Nätverksmöte i Lund", status=Meeting.Status.HELD, starts_at=in_days(-9), ends_at=in_days(-9, 15)
    )
    steering_owner, network_owner = MemberFactory(), MemberFactory()  # owners of one action each
    Action.objects.create(meeting=held, text="Styrgruppens åtgärd", owner_member=steering_owner, due_on=in_days(9))
    Action.objects.create(meeting=network, text="Nätverkets åtgärd", owner_member=network_owner, due_on=in_days(9))
    insider, staff, outsider = client_of(seat.user), client_of(staff_with_mfa()), client_of(member.user)
    for name in ("meetings:decision_register", "meetings:action_register"):
        # The seat first: the lists she fills in the cache are not the other members' lists.
        for reader in (insider, outsider, staff):
            response = reader.get(reverse(name))
            assert response.status_code == 200
            choices = offered(response.content.decode())
            sees_steering = reader is not outsider
            assert str(network.pk) in choices.values("meeting"), (name, reader)  # the page offers meetings
            assert (str(held.pk) in choices.values("meeting")) == sees_steering, (name, reader)
            page = response.content.decode()
            assert ("Styrgruppsmöte i november" in page) == sees_steering, (name, reader)
            if name == "meetings:action_register":
                assert str(network_owner.pk) in choices.values("owner")
                assert (str(steering_owner.pk) in choices.values("owner")) == sees_steering, (name, reader)


def test_register_export_by_a_steering_meeting_for_staff_and_nothing_for_other_members(member):
    held = steering_meeting(status=Meeting.Status.HELD, starts_at=in_days(-5), ends_at=in_days(-5, 15))
    Decision.objects.create(meeting=held, text_sv="Hemligt styrgruppsbeslut")
    query = {"format": "csv", "meeting": held.pk}
    url = reverse("meetings:decision_export")
    assert "Hemligt" in client_of(staff_with_mfa()).get(url, query).content.decode()
    outsider = client_of(member.user).get(url, query)
    assert outsider.status_code == 200 and "Hemligt" not in outsider.content.decode()


def test_an_open_meetings_action_cannot_be_due_by_a_steering_meeting(seat):
    coming = steering_meeting()
    later_network = ScheduledMeetingFactory(title="Nätverksmöte i Umeå")
    network = ScheduledMeetingFactory(status=Meeting.Status.HELD, starts_at=in_days(-9), ends_at=in_days(-9, 15))
    at_steering = steering_meeting(status=Meeting.Status.HELD, starts_at=in_days(-5), ends_at=in_days(-5, 15))
    staff = client_of(staff_with_mfa())
    due = offered(staff.get(reverse("meetings:action_add", args=[network.pk])).content.decode()).values("due_meeting")
    assert str(later_network.pk) in due and str(coming.pk) not in due
    due = offered(staff.get(reverse("meetings:action_add", args=[at_steering.pk])).content.decode()).values(
        "due_meeting"
    )
    assert str(coming.pk) in due and str(later_network.pk) in due  # the steering group's own: as before


def test_steering_seats_record_decisions_at_their_meetings_only(seat):
    meeting = steering_meeting(status=Meeting.Status.HELD, starts_at=in_days(-5), ends_at=in_days(-5, 15))
    network = ScheduledMeetingFactory(status=Meeting.Status.HELD, starts_at=in_days(-9), ends_at=in_days(-9, 15))
    assert seat.user.has_perm("meetings.record_decisions", meeting)
    assert not seat.user.has_perm("meetings.record_decisions", network)
    client = client_of(seat.user)
    response = client.post(reverse("meetings:decision_add", args=[meeting.pk]), {"text_sv": "Budgeten fastställs."})
    assert response.status_code == 302 and meeting.decisions.get().text_sv == "Budgeten fastställs."


def test_steering_meeting_invitation_goes_to_its_seats_only(mailoutbox, seat):
    other = MemberFactory()
    meeting = steering_meeting()
    outcome = sweep("meeting_invitation")
    assert outcome.get(seat.email) == "sent" and other.email not in outcome
    assert [m.to for m in mailoutbox] == [[seat.email]]
    assert meeting.display_title in mailoutbox[0].subject or "Styrgruppsmöte" in mailoutbox[0].body


def test_steering_actions_are_not_followed_up_at_network_meetings(seat):
    held = steering_meeting(status=Meeting.Status.HELD, starts_at=in_days(-20), ends_at=in_days(-20, 15))
    network = ScheduledMeetingFactory()
    later_steering = steering_meeting()
    Action.objects.create(meeting=held, text="Intern", owner_member=seat, due_on=in_days(1).date())
    assert list(selectors.actions_to_follow_up(network)) == []
    assert [a.text for a in selectors.actions_to_follow_up(later_steering)] == ["Intern"]


def test_other_kinds_share_a_slot_with_the_network_meeting_and_stay_out_of_the_rotation():
    network = MeetingFactory(year=2099, season=Meeting.Season.SPRING)
    conference = MeetingFactory(year=2099, season=Meeting.Season.SPRING, kind=Meeting.Kind.OTHER, host=None)
    assert str(conference) == "Other gathering, spring 2099"
    planned = {row.slot: row.meeting for row in selectors.rotation_preview(count=1, first=(2099, 0))}
    assert planned[(2099, 0)] == network
    assert conference not in selectors.rotation_plan_page()


def test_schedule_online_meeting_needs_a_video_link():
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    kwargs = {"meeting": meeting, "by": None, "starts_at": in_days(20), "ends_at": in_days(20, 15), "venue": ""}
    with pytest.raises(services.MeetingError, match="video-call link"):
        services.meeting_schedule(**kwargs, format=Meeting.Format.ONLINE)
    with pytest.raises(services.MeetingError, match="venue"):
        services.meeting_schedule(**kwargs, format=Meeting.Format.IN_PERSON)
    scheduled = services.meeting_schedule(
        **kwargs, format=Meeting.Format.ONLINE, video_link="https://meet.example.se/kloss"
    )
    assert scheduled.status == Meeting.Status.SCHEDULED


def test_host_schedules_a_hybrid_meeting_and_the_link_is_on_the_page_in_the_ics_and_emails(mailoutbox, member):
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    host = client_of(MemberFactory(institution=meeting.host).user)
    data = {
        "starts_at": f"{winter_day_ahead().isoformat()}T10:00",
        "ends_at": f"{winter_day_ahead().isoformat()}T15:00",
        "format": "hybrid",
        "venue": "Aula",
        "video_link": "",
    }
    url = reverse("meetings:meeting_schedule", args=[meeting.pk])
    page = host.post(url, data).content.decode()
    assert "Give the video-call link of an online or hybrid meeting." in page
    assert host.post(url, {**data, "video_link": "https://meet.example.se/kloss-vt31"}).status_code == 302
    page = client_of(member.user).get(meeting.get_absolute_url()).content.decode()
    assert "https://meet.example.se/kloss-vt31" in page and "Join the meeting online" in page
    meeting.refresh_from_db()
    ics = meetings_calendar([meeting], name="test").decode()
    assert "CONFERENCE" in ics and "meet.example.se/kloss-vt31" in ics
    sweep("meeting_invitation")
    invitation = next(m for m in mailoutbox if m.to == [member.email])
    assert "https://meet.example.se/kloss-vt31" in invitation.body


def test_url_matrix_documents_of_a_steering_meeting_are_kept_from_members(member):
    document = MeetingDocumentFactory(meeting=steering_meeting(), kind=MeetingDocument.Kind.MINUTES)
    assert client_of(member.user).get(document.get_absolute_url()).status_code == 404


def test_institution_page_lists_the_meetings_it_hosts_but_no_steering_group_meeting(member, seat):
    institution = member.institution
    hosted = ScheduledMeetingFactory(host=institution, title="Nätverksmöte hos oss")
    steering = steering_meeting()
    Meeting.objects.filter(pk=steering.pk).update(host=institution)  # a steering-group meeting it hosts
    for reader in (client_of(seat.user), client_of(member.user)):  # one page for every member
        page = reader.get(institution.get_absolute_url())
        assert page.status_code == 200
        links = offered(page.content.decode()).links
        assert hosted.get_absolute_url() in links and steering.get_absolute_url() not in links
