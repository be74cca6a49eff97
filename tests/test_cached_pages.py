"""Pages kept in the cache (network/cache/) show every change at once, to everyone, and never
show one person what belongs to another: each test fills the cache first, changes the data the way
a user or the secretariat would (a service, the admin; a row written by hand says `cache.changed`,
as every write path must), and reads the page again."""

import datetime

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from meetings import services as meeting_services
from meetings.fragments import MEETING_LIST
from meetings.models import Meeting
from meetings.tests.factories import AgendaItemFactory, ScheduledMeetingFactory, host_contact_of, in_days
from network import cache
from network import services as network_services
from network.models import Member
from network.tests.factories import (
    ApplicantFactory,
    InstitutionFactory,
    MemberFactory,
    StaffUserFactory,
    SteeringGroupSeatFactory,
    activate_totp,
    login,
    post_institution_change,
)
from projects import services as project_services
from projects.models import Output
from projects.tests.factories import OutputFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def client_of(member) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member.user)
    return client


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_directory_shows_an_approved_applicant_at_once(member):
    reader = client_of(member)
    applicant = ApplicantFactory(institution=member.institution, user__last_name="Nyström")
    directory = page(reader, reverse("network:member_list"))
    assert member.full_name in directory  # the directory, without the applicant
    assert "Nyström" not in directory
    network_services.member_approve(member=applicant, by=StaffUserFactory())
    assert "Nyström" in page(reader, reverse("network:member_list"))
    assert "Nyström" in page(reader, member.institution.get_absolute_url())


def test_directory_count_and_pages_follow_the_data(member):
    reader = client_of(member)
    assert "1 member" in page(reader, reverse("network:member_list"))
    cache.changed(*MemberFactory.create_batch(30, institution=member.institution))
    body = page(reader, reverse("network:member_list"))
    assert "31 members" in body and "Page 1 of 2" in body
    assert "Page 2 of 2" in page(reader, reverse("network:member_list"), page=2)


def test_directory_filters_are_kept_apart(member):
    MemberFactory(user__last_name="Åberg")
    MemberFactory(user__last_name="Öhman")
    reader = client_of(member)
    first = page(reader, reverse("network:member_list"), q="Åberg")
    second = page(reader, reverse("network:member_list"), q="Öhman")
    assert "Åberg" in first and "Öhman" not in first
    assert "Öhman" in second and "Åberg" not in second
    assert 'value="Öhman"' in second  # the form shows her own search, not the cached one


def test_fragments_follow_the_language(member):
    client = Client()
    client.force_login(member.user)
    assert "Medlemsförteckning" in page(client, reverse("network:member_list"))
    assert "Member directory" in client.get(reverse("network:member_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_meeting_page_shows_a_new_answer_to_everyone(member):
    meeting = ScheduledMeetingFactory()
    other = MemberFactory(user__last_name="Kommerström")
    reader = client_of(member)
    before = page(reader, meeting.get_absolute_url())
    assert meeting.venue in before  # the meeting page, without her answer
    assert "Kommerström" not in before
    answering = client_of(other)
    assert "Answer the invitation" in page(answering, meeting.get_absolute_url())
    response = answering.post(reverse("meetings:attendance", args=[meeting.pk]), {"attending": "yes"})
    assert response.status_code == 302
    assert "Kommerström" in page(reader, meeting.get_absolute_url())
    own = page(answering, meeting.get_absolute_url())
    assert "Change your answer" in own and "You answered" in own
    # ... and her answer is hers alone: the reader has still not answered.
    assert "Answer the invitation" in page(reader, meeting.get_absolute_url())


def test_meeting_page_of_a_host_has_her_own_buttons_after_a_member_filled_the_cache(member):
    meeting = ScheduledMeetingFactory()
    AgendaItemFactory(meeting=meeting, title="Välkommen")
    as_member = page(client_of(member), meeting.get_absolute_url())
    assert "Välkommen" in as_member  # the item, without the host's button
    assert "Remove “Välkommen”" not in as_member
    # Her remove button carries her own CSRF token: the form works (a client that checks CSRF).
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    strict.force_login(host_contact_of(meeting).user)
    body = page(strict, meeting.get_absolute_url())
    assert "Remove “Välkommen”" in body
    item = meeting.agenda_items.get()
    token = body.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
    response = strict.post(
        reverse("meetings:agenda_item_delete", args=[meeting.pk, item.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    after = page(client_of(member), meeting.get_absolute_url())
    assert meeting.venue in after  # the meeting page, without the item
    assert "Välkommen" not in after


def test_meeting_page_follows_a_new_date(member):
    meeting = ScheduledMeetingFactory(status=Meeting.Status.SCHEDULED)
    reader = client_of(member)
    page(reader, meeting.get_absolute_url())
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=90)
    meeting_services.meeting_schedule(
        meeting=meeting,
        by=StaffUserFactory(),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        venue="Ny lokal, Uppsala",
    )
    assert "Ny lokal, Uppsala" in page(reader, meeting.get_absolute_url())
    assert "Ny lokal, Uppsala" in page(reader, reverse("meetings:meeting_list"))


def test_meeting_list_pages_past_meetings(member):
    for year in range(1990, 2020):
        ScheduledMeetingFactory(
            year=year,
            status=Meeting.Status.MINUTES_PUBLISHED,
            starts_at=datetime.datetime(year, 3, 8, 9, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(year, 3, 8, 16, tzinfo=datetime.UTC),
            title=f"Möte {year}",
        )
    reader = client_of(member)
    first = page(reader, reverse("meetings:meeting_list"))
    assert "Möte 2019" in first and "Möte 1990" not in first and "Page 1 of 3" in first  # 10 a page
    last = page(reader, reverse("meetings:meeting_list"), page=3)
    assert "Möte 1990" in last and "Möte 2019" not in last
    assert reader.get(reverse("meetings:meeting_list"), {"page": 9}).status_code == 404


def test_calendar_feed_follows_changes_and_answers_not_modified(member):
    meeting = ScheduledMeetingFactory(venue="Aula Magna")
    url = reverse("meetings:calendar_feed", kwargs={"token": member.calendar_token})
    anonymous = Client()
    first = anonymous.get(url)
    assert first.status_code == 200 and b"Aula Magna" in first.content
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    meeting.venue = "Studenternas hus"
    meeting.save()
    cache.changed(meeting, fields=["venue"])
    changed = anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and b"Studenternas hus" in changed.content


def test_catalogue_and_dashboard_show_a_new_output(member):
    project = ProjectFactory(theme__name_en="Livslångt lärande")
    OutputFactory(project=project, type=Output.Type.REPORT, year=2024)
    reader = client_of(member)
    assert "1 result" in page(reader, reverse("projects:output_list"))
    dashboard = page(reader, reverse("projects:dashboard"))
    project_services.output_create(
        project=project, by=StaffUserFactory(), type=Output.Type.BOOK, title="Boken om samverkan", year=2025
    )
    catalogue = page(reader, reverse("projects:output_list"))
    assert "Boken om samverkan" in catalogue and "2 results" in catalogue
    assert page(reader, reverse("projects:dashboard")) != dashboard
    assert "Boken om samverkan" in page(reader, project.get_absolute_url())
    assert "Boken om samverkan" in page(reader, reverse("home"))


def test_project_page_shows_a_new_participant_and_her_buttons(member):
    project = ProjectFactory()
    reader = client_of(member)
    body = page(reader, project.get_absolute_url())
    assert project.title in body  # the project page, without her buttons
    assert "Register an output" not in body
    project_services.participant_add(project=project, by=StaffUserFactory(), member=member)
    body = page(reader, project.get_absolute_url())
    assert member.full_name in body and "Register an output" in body


def test_project_list_filters_keep_their_pages(member):
    project = ProjectFactory(title="Alfa")
    ProjectFactory.create_batch(30, theme=project.theme)
    ProjectFactory(title="Annat tema")
    reader = client_of(member)
    body = page(reader, reverse("projects:project_list"), theme=project.theme_id)
    assert "Annat tema" not in body
    assert f"theme={project.theme_id}&amp;page=2" in body


def test_home_shows_a_new_answer_and_a_new_lead(member):
    meeting = ScheduledMeetingFactory()
    reader = client_of(member)
    assert "You have not answered yet." in page(reader, reverse("home"))
    meeting_services.attendance_respond(meeting=meeting, member=member, by=member.user, attending=True)
    assert "You answered" in page(reader, reverse("home"))
    lead = InstitutionFactory(name="Luleå tekniska universitet")
    network_services.leadership_term_create(institution=lead, starts_on=timezone.localdate())
    assert "Luleå tekniska universitet" in page(reader, reverse("home"))


def test_a_seat_on_the_steering_group_shows_its_meetings_on_her_home_at_once(member):
    soon, hours = timezone.now() + datetime.timedelta(days=3), datetime.timedelta(hours=6)
    later = soon + datetime.timedelta(days=7)
    ScheduledMeetingFactory(title="Nätverksmötet", starts_at=later, ends_at=later + hours)
    ScheduledMeetingFactory(title="Styrgruppens möte", kind=Meeting.Kind.STEERING, starts_at=soon, ends_at=soon + hours)
    reader = client_of(member)
    body = page(reader, reverse("home"))
    assert "Nätverksmötet" in body and "Styrgruppens möte" not in body
    network_services.steering_seat_create(member=member, role="member", starts_on=timezone.localdate())
    assert "Styrgruppens möte" in page(reader, reverse("home"))  # now her next meeting


def test_a_profile_edit_shows_in_the_directory_and_on_her_institution_page(member):
    reader = client_of(MemberFactory())
    directory = page(reader, reverse("network:member_list"))
    assert member.full_name in directory  # she is listed, with her old title
    assert "Forskningsstrateg" not in directory
    institution_page = page(reader, member.institution.get_absolute_url())
    assert member.full_name in institution_page
    assert "Forskningsstrateg" not in institution_page
    response = client_of(member).post(
        reverse("network:profile_edit"), {"title": "Forskningsstrateg", "phone": "", "language": "sv"}
    )
    assert response.status_code == 302
    assert "Forskningsstrateg" in page(reader, reverse("network:member_list"))
    assert "Forskningsstrateg" in page(reader, member.institution.get_absolute_url())


def test_a_submitted_report_shows_on_its_project_page(member):
    from projects.tests.factories import ParticipationFactory, ReportFactory

    report = ReportFactory()
    ParticipationFactory(project=report.project, member=member, is_coordinator=True)
    reader = client_of(MemberFactory())
    assert "Draft" in page(reader, report.project.get_absolute_url())
    project_services.report_save_draft(report=report, by=member.user, progress="Allt går enligt plan.")
    assert "Draft" in page(reader, report.project.get_absolute_url())
    project_services.report_submit(report=report, by=member.user)
    body = page(reader, report.project.get_absolute_url())
    assert "Submitted" in body and "Draft" not in body


def test_an_agenda_item_and_a_decision_show_to_members_at_once(member):
    meeting = ScheduledMeetingFactory()
    reader = client_of(member)
    staff = StaffUserFactory()
    before = page(reader, meeting.get_absolute_url())
    assert meeting.venue in before  # the meeting page, without the item
    assert "Välkommen och inledning" not in before
    meeting_services.agenda_item_add(meeting=meeting, by=staff, title="Välkommen och inledning")
    assert "Välkommen och inledning" in page(reader, meeting.get_absolute_url())

    last_week = timezone.now() - datetime.timedelta(days=7)
    held = ScheduledMeetingFactory(
        status=Meeting.Status.HELD, starts_at=last_week, ends_at=last_week + datetime.timedelta(hours=6)
    )
    register = page(reader, reverse("meetings:decision_register"))
    assert "0 decisions" in register  # the register, still empty
    assert "Nätverket antar verksamhetsplanen" not in register
    held_page = page(reader, held.get_absolute_url())
    assert held.venue in held_page
    assert "Nätverket antar verksamhetsplanen" not in held_page
    meeting_services.decision_record(
        meeting=held, by=staff, text_sv="Nätverket antar verksamhetsplanen", text_en="Nätverket antar verksamhetsplanen"
    )
    assert "Nätverket antar verksamhetsplanen" in page(reader, reverse("meetings:decision_register"))
    assert "Nätverket antar verksamhetsplanen" in page(reader, held.get_absolute_url())
    meeting_services.action_record(
        meeting=held,
        by=staff,
        text="Skicka planen till rektorerna",
        owner_member=member,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert "Skicka planen till rektorerna" in page(reader, reverse("meetings:action_register"))
    assert "Skicka planen till rektorerna" in page(reader, reverse("home"))


def test_an_institution_renamed_in_the_admin_shows_on_every_page(member, staff_client):
    meeting = ScheduledMeetingFactory(host=member.institution)
    reader = client_of(member)
    urls = (
        meeting.get_absolute_url(),
        reverse("meetings:meeting_list"),
        reverse("network:member_list"),
        reverse("home"),
    )
    for url in urls:
        before = page(reader, url)
        assert member.institution.name in before, url  # where the new name is to show, the old one is
        assert "Kungliga Nya Högskolan" not in before
    response = post_institution_change(staff_client, member.institution, name="Kungliga Nya Högskolan")
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    for url in urls:
        assert "Kungliga Nya Högskolan" in page(reader, url), url


# --- Permission inputs are never cached across requests: every change of her account counts at
# once, even one written by hand (no service, no `cache.changed`) ---------------------------------


def test_a_member_who_leaves_loses_the_intranet_on_her_next_request(member):
    client = client_of(member)
    page(client, reverse("network:member_list"))
    network_services.member_leave(member=member)
    assert client.get(reverse("network:member_list")).status_code in (302, 403)


def test_a_member_whose_institution_leaves_loses_the_intranet(member):
    client = client_of(member)
    page(client, reverse("home"))
    institution = member.institution
    institution.left_on = timezone.localdate() - datetime.timedelta(days=1)
    institution.save()
    assert client.get(reverse("home")).status_code == 403


def test_a_new_password_ends_other_sessions(member):
    client = client_of(member)
    page(client, reverse("home"))
    user = member.user
    user.set_password("ett helt nytt lösenord 2026")
    user.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_staff_who_lose_the_flag_lose_the_admin(staff_client, staff_user):
    assert staff_client.get(reverse("admin:index")).status_code == 200
    staff_user.is_staff = False
    staff_user.save()
    assert staff_client.get(reverse("admin:index")).status_code == 302


def test_deleted_account_sessions_are_gone_from_the_cache_too(member):
    client = client_of(member)
    page(client, reverse("home"))
    session_key = client.session.session_key
    network_services.account_delete(user=member.user)
    from importlib import import_module

    from django.conf import settings

    assert not import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).exists(session_key)
    assert client.get(reverse("home")).status_code == 302
    assert Member.objects.get(pk=member.pk).status == Member.Status.LEFT


def test_institution_page_shows_a_renamed_theme(member):
    project = ProjectFactory(lead_institution=member.institution, theme__name_en="Livslångt lärande")
    reader = client_of(member)
    assert "Livslångt lärande" in page(reader, member.institution.get_absolute_url())
    theme = project.theme
    theme.name_en = "Lärande hela livet"
    theme.save()
    cache.changed(theme)  # as the admin does
    body = page(reader, member.institution.get_absolute_url())
    assert "Lärande hela livet" in body and project.title in body
    assert "Livslångt lärande" not in body


def test_every_institution_page_follows_a_new_network_lead(member):
    old, new = InstitutionFactory(name="Gamla lärosätet"), InstitutionFactory(name="Nya lärosätet")
    today = timezone.localdate()
    term = network_services.leadership_term_create(institution=old, starts_on=today - datetime.timedelta(days=400))
    reader = client_of(member)
    assert "Gamla lärosätet" in page(reader, member.institution.get_absolute_url())  # "led by"
    assert "Leads the network now" in page(reader, old.get_absolute_url())
    term.ends_on = today - datetime.timedelta(days=1)
    term.save()
    cache.changed(term)  # as the admin does
    network_services.leadership_term_create(institution=new, starts_on=today)
    body = page(reader, member.institution.get_absolute_url())
    assert "Nya lärosätet" in body and "Gamla lärosätet" not in body
    old_page = page(reader, old.get_absolute_url())
    assert "Nya lärosätet" in old_page and "Leads the network now" not in old_page


def test_meeting_page_checks_its_permissions_on_the_meeting_as_it_is_now(member):
    meeting = ScheduledMeetingFactory()
    reader = client_of(member)
    body = page(reader, meeting.get_absolute_url())
    assert meeting.venue in body and "For the host" not in body
    # Written past the services (nothing says `cache.changed`): the permissions still see it at once.
    Meeting.objects.filter(pk=meeting.pk).update(host=member.institution)
    assert "For the host" in page(reader, meeting.get_absolute_url())
    Meeting.objects.filter(pk=meeting.pk).update(kind="steering")
    assert reader.get(meeting.get_absolute_url()).status_code == 404
    seat = MemberFactory()
    SteeringGroupSeatFactory(member=seat)
    assert meeting.venue in page(client_of(seat), meeting.get_absolute_url())  # its seats still see it


def test_home_next_meeting_follows_the_staff_rights_of_the_session():
    steering = ScheduledMeetingFactory(kind="steering", host=None, starts_at=in_days(10), ends_at=in_days(10, 15))
    network = ScheduledMeetingFactory(starts_at=in_days(20), ends_at=in_days(20, 15))
    staff = MemberFactory(user__is_staff=True)
    activate_totp(staff.user)
    without_factor = client_of(staff)  # signed in without the second factor: her member rights only
    body = page(without_factor, reverse("home"))
    assert network.get_absolute_url() in body and steering.get_absolute_url() not in body
    with_factor = Client(HTTP_ACCEPT_LANGUAGE="en")
    login(with_factor, staff.user)
    body = page(with_factor, reverse("home"))
    assert steering.get_absolute_url() in body and network.get_absolute_url() not in body
    assert steering.get_absolute_url() not in page(without_factor, reverse("home"))


def test_pages_across_midnight_show_a_meeting_just_over_as_past(member):
    """Built at 23:59:59 and read at 00:00:01: the same keys (a page or a test across midnight sees
    no change of key), and what the new day shows."""
    midnight = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)
    meeting = ScheduledMeetingFactory(
        title="Kvällsmötet",
        starts_at=midnight - datetime.timedelta(hours=6),
        ends_at=midnight,
        registration_deadline=midnight - datetime.timedelta(days=1),
    )
    later = ScheduledMeetingFactory(title="Vårmötet")  # in a month: upcoming on both days
    reader = client_of(member)
    url = reverse("meetings:meeting_list")

    def list_key() -> str:  # the list's key as an English reader's
        with translation.override("en"):
            return MEETING_LIST.key(cache.query_key(RequestFactory().get(url)), "steering=False")

    def sections(body: str) -> tuple[str, str]:
        upcoming, past = body.split('id="past"')
        return upcoming, past

    with time_machine.travel(midnight - datetime.timedelta(seconds=1), tick=False):
        key = list_key()
        upcoming, past = sections(page(reader, url))
        assert "Kvällsmötet" in upcoming and "Kvällsmötet" not in past
        assert meeting.get_absolute_url() in page(reader, reverse("home"))  # the next meeting
    with time_machine.travel(midnight + datetime.timedelta(seconds=1), tick=False):
        assert list_key() == key
        upcoming, past = sections(page(reader, url))
        assert "Kvällsmötet" in past and "Kvällsmötet" not in upcoming
        assert "Vårmötet" in upcoming
        home = page(reader, reverse("home"))
        assert later.get_absolute_url() in home and meeting.get_absolute_url() not in home
