"""The member home page: every panel shows what the member needs, in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.tests.factories import AttendanceFactory, MeetingFactory, ScheduledMeetingFactory, in_days
from network import cache
from network.tests.factories import (
    ApplicantFactory,
    InstitutionFactory,
    LeadershipTermFactory,
    MemberFactory,
    SteeringGroupSeatFactory,
    login,
)
from projects.tests.factories import OutputFactory, ParticipationFactory, ProjectFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _world(member, size: int):
    """`size` of everything the home page lists, around `member`."""
    today = timezone.localdate()
    meeting = ScheduledMeetingFactory(year=today.year + 1, season=Meeting.Season.SPRING, host=member.institution)
    AttendanceFactory(meeting=meeting, member=member)
    for i in range(size):
        MeetingFactory(year=today.year + 2 + i, host=member.institution)
        participation = ParticipationFactory(member=member, is_coordinator=i % 2 == 0)
        OutputFactory(project=participation.project)
        MemberFactory()
        ApplicantFactory()
        SteeringGroupSeatFactory(member=MemberFactory())
    RoundFactory.create_batch(2)
    LeadershipTermFactory(institution=member.institution)
    return meeting


def test_home_shows_next_meeting_with_her_answer(member_client, member):
    meeting = _world(member, 1)
    response = member_client.get(reverse("home"))
    body = response.content.decode()
    assert meeting.get_absolute_url() in body
    assert reverse("meetings:attendance", args=[meeting.pk]) in body
    assert response.context["next_meeting"].my_attendance.member == member


def test_home_asks_for_an_answer_when_she_has_not_answered(member_client):
    meeting = ScheduledMeetingFactory(starts_at=in_days(10), ends_at=in_days(10, 16))
    response = member_client.get(reverse("home"))
    assert response.context["next_meeting"].meeting == meeting
    assert response.context["next_meeting"].my_attendance is None
    assert reverse("meetings:attendance", args=[meeting.pk]) in response.content.decode()


def test_home_host_contact_sees_hosting_actions(member_client, member):
    today = timezone.localdate()
    proposed = MeetingFactory(year=today.year + 3, host=member.institution)
    MeetingFactory(year=today.year + 4)  # another institution's: not hers
    response = member_client.get(reverse("home"))
    body = response.content.decode()
    assert response.context["home"].hosted_meetings == [proposed]
    assert reverse("meetings:meeting_hosting", args=[proposed.pk]) in body


def test_home_member_of_other_institution_gets_no_hosting_panel(member_client):
    MeetingFactory(year=timezone.localdate().year + 3, host=InstitutionFactory())
    response = member_client.get(reverse("home"))
    assert response.context["home"].hosted_meetings == []
    assert response.status_code == 200 and 'id="network-heading"' in response.content.decode()  # her home page
    assert "hosting-heading" not in response.content.decode()


def test_home_lists_her_projects_and_the_reports_they_owe(member_client, member):
    participation = ParticipationFactory(member=member, is_coordinator=True)
    ProjectFactory(title="Någon annans projekt")
    round_ = RoundFactory(deadline=timezone.localdate() + datetime.timedelta(days=10))
    response = member_client.get(reverse("home"))
    body = response.content.decode()
    assert participation.project.title in body
    owed = response.context["home"].reports_owed
    assert [(o.project, o.round) for o in owed] == [(participation.project, round_)]
    assert reverse("projects:report_edit", args=[round_.pk, participation.project.pk]) in body
    assert "Någon annans projekt" not in body


def test_home_shows_latest_outputs_newest_first(member_client):
    old = OutputFactory(title="Gammal rapport")
    new = OutputFactory(title="Ny rapport")
    response = member_client.get(reverse("home"))
    assert list(response.context["home"].latest_outputs())[:2] == [new, old]
    assert "Ny rapport" in response.content.decode()


def test_home_shows_lead_institution_and_steering_group(member_client, member):
    today = timezone.localdate()
    LeadershipTermFactory(
        institution=member.institution, starts_on=today.replace(day=1), ends_on=today + datetime.timedelta(days=400)
    )
    seat = SteeringGroupSeatFactory(member=MemberFactory())
    body = member_client.get(reverse("home")).content.decode()
    assert member.institution.get_absolute_url() in body
    assert seat.member.get_absolute_url() in body


def test_home_member_sees_no_staff_counts(member_client):
    ApplicantFactory()
    response = member_client.get(reverse("home"))
    assert response.context["home"].staff is None
    assert response.status_code == 200 and 'id="network-heading"' in response.content.decode()  # her home page
    assert reverse("network:approval_list") not in response.content.decode()


def test_home_staff_sees_what_waits(client, staff_user):
    ApplicantFactory.create_batch(2)
    MeetingFactory(year=timezone.localdate().year + 5)
    RoundFactory(deadline=timezone.localdate() - datetime.timedelta(days=3))
    ProjectFactory()
    login(client, staff_user)
    response = client.get(reverse("home"))
    staff = response.context["home"].staff
    assert (staff.applications, staff.meetings_without_date, staff.overdue_reports) == (2, 1, 1)
    body = response.content.decode()
    assert reverse("network:approval_list") in body
    assert reverse("projects:round_list") in body


def test_home_anonymous_goes_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("staff", [False, True], ids=["member", "staff"])
def test_home_query_count_constant(client, member, staff):
    if staff:
        member.user.is_staff = True
        member.user.save()
    client.force_login(member.user)
    _world(member, 1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("home")).status_code == 200
    _world_more = 6
    today = timezone.localdate()
    for i in range(_world_more):
        MeetingFactory(year=today.year + 20 + i, host=member.institution)
        participation = ParticipationFactory(member=member)
        OutputFactory(project=participation.project)
        SteeringGroupSeatFactory(member=MemberFactory())
        ApplicantFactory()
    RoundFactory.create_batch(3)
    cache.clear_all()  # rows written by factories, not by a service: the page is built again from them
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("home"))
    assert len(response.context["home"].participations) == 7
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(large) <= 15, [q["sql"] for q in large.captured_queries]


def test_detail_pages_have_a_breadcrumb_home_first(member_client, member):
    from projects.tests.factories import ReportFactory

    meeting = ScheduledMeetingFactory()
    output = OutputFactory()
    report = ReportFactory(project=output.project)
    report.state = report.State.SUBMITTED
    report.save()
    pages = {
        member.institution.get_absolute_url(): member.institution.name,
        member.get_absolute_url(): member.full_name,
        meeting.get_absolute_url(): meeting.display_title,
        output.project.get_absolute_url(): output.project.title,
        output.get_absolute_url(): output.title,
        report.get_absolute_url(): output.project.title,
    }
    for url, label in pages.items():
        body = member_client.get(url).content.decode()
        nav = body[body.index('class="breadcrumb"') :]
        nav = nav[: nav.index("</nav>")]
        assert f'href="{reverse("home")}"' in nav, url
        assert label in nav, url


def test_home_of_the_secretariat_without_an_institution_shows_only_what_is_hers(client, staff_user):
    from meetings.models import Action

    secretariat = MemberFactory(user=staff_user, institution=None)
    network = ScheduledMeetingFactory(starts_at=in_days(20), ends_at=in_days(20, 16))
    ScheduledMeetingFactory(kind=Meeting.Kind.STEERING, host=None, title="Styrgruppsmöte utan värd")
    due = in_days(30).date()
    Action.objects.create(meeting=network, text="Sekretariatets egen åtgärd", owner_member=secretariat, due_on=due)
    Action.objects.create(meeting=network, text="En annan medlems åtgärd", owner_member=MemberFactory(), due_on=due)
    Action.objects.create(
        meeting=network, text="Ett lärosätes åtgärd", owner_institution=InstitutionFactory(), due_on=due
    )
    login(client, staff_user)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sekretariatets egen åtgärd" in body  # hers: her open actions are shown
    assert "En annan medlems åtgärd" not in body and "Ett lärosätes åtgärd" not in body
    assert response.context["home"].hosted_meetings == []
    assert 'id="hosting-heading"' not in body  # a meeting without a host is not hers to host


def test_home_shows_her_institutions_steering_group_actions_only_to_those_who_see_the_meeting(client):
    from meetings.models import Action

    institution = InstitutionFactory()
    colleague = MemberFactory(institution=institution)
    seat = SteeringGroupSeatFactory(member=MemberFactory(institution=institution), starts_on=datetime.date(2020, 1, 1))
    steering = ScheduledMeetingFactory(kind=Meeting.Kind.STEERING, host=None)
    network = ScheduledMeetingFactory()
    due = in_days(30).date()
    Action.objects.create(meeting=steering, text="Styrgruppens uppdrag", owner_institution=institution, due_on=due)
    Action.objects.create(meeting=network, text="Nätverkets uppdrag", owner_institution=institution, due_on=due)
    client.force_login(colleague.user)
    body = client.get(reverse("home")).content.decode()
    assert "Nätverkets uppdrag" in body and "Styrgruppens uppdrag" not in body
    client.force_login(seat.member.user)
    body = client.get(reverse("home")).content.decode()
    assert "Nätverkets uppdrag" in body and "Styrgruppens uppdrag" in body


def test_home_offers_the_answer_to_members_and_not_to_staff_without_a_member_row(client, staff_user, member):
    meeting = ScheduledMeetingFactory(starts_at=in_days(10), ends_at=in_days(10, 16))
    answer = reverse("meetings:attendance", args=[meeting.pk])
    login(client, staff_user)
    body = client.get(reverse("home")).content.decode()
    assert meeting.get_absolute_url() in body and answer not in body  # the next meeting, without an answer
    client.force_login(member.user)
    assert answer in client.get(reverse("home")).content.decode()
