"""Each write invalidates what it changed, and nothing else (network/cache/ and each app's
fragments.py): the keys of the declared fragments are read before and after the write, and exactly
the expected ones change; every other fragment stays warm. That the pages then show the change to
everyone is tests/test_cached_pages.py."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from kloss_site.fragments import HOME_NEXT_MEETING, HOME_PERSONAL, HOME_SHARED, HOME_STAFF
from meetings import fragments as mf
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.tests.factories import AttendanceFactory, MeetingFactory, ScheduledMeetingFactory
from network import cache
from network import fragments as nf
from network import services as network_services
from network.models import Institution
from network.tests.factories import ApplicantFactory, InstitutionFactory, MemberFactory, StaffUserFactory
from projects import fragments as pf
from projects import services as project_services
from projects.models import Output
from projects.tests.factories import ParticipationFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db


class World:
    """Two institutions, a member of each (A and B), a coming meeting hosted by A's institution and
    one by B's, a meeting held last week, a project of A's (with her report's draft) and one of B's."""

    def __init__(self):
        self.i1, self.i2 = InstitutionFactory(), InstitutionFactory()
        self.a = MemberFactory(institution=self.i1)
        self.b = MemberFactory(institution=self.i2)
        self.m = ScheduledMeetingFactory(host=self.i1)
        self.m2 = ScheduledMeetingFactory(host=self.i2)
        last_week = timezone.now() - datetime.timedelta(days=7)
        self.held = MeetingFactory(
            host=self.i2,
            status=Meeting.Status.HELD,
            starts_at=last_week,
            ends_at=last_week + datetime.timedelta(hours=6),
        )
        self.p = ProjectFactory(lead_institution=self.i1)
        ParticipationFactory(project=self.p, member=self.a, is_coordinator=True)
        self.p2 = ProjectFactory(lead_institution=self.i2)
        self.report = ReportFactory(project=self.p)
        self.staff = StaffUserFactory()

    def fragments(self) -> dict[str, str]:
        """Every declared fragment of these objects, by a readable label: its current key."""
        m, a, b = self.m.pk, self.a.pk, self.b.pk
        keys = {
            "meeting_head": mf.MEETING_HEAD.key(meeting=m),
            "meeting_agenda": mf.MEETING_AGENDA.key(meeting=m),
            "meeting_decisions": mf.MEETING_DECISIONS.key(meeting=m),
            "meeting_people": mf.MEETING_PEOPLE.key(meeting=m),
            "meeting_answer[A]": mf.MEETING_ANSWER.key(meeting=m, member=a),
            "meeting_answer[B]": mf.MEETING_ANSWER.key(meeting=m, member=b),
            "meeting_head[m2]": mf.MEETING_HEAD.key(meeting=self.m2.pk),
            "meeting_people[m2]": mf.MEETING_PEOPLE.key(meeting=self.m2.pk),
            "meeting_decisions[held]": mf.MEETING_DECISIONS.key(meeting=self.held.pk),
            "meeting_list": mf.MEETING_LIST.key(),
            "calendar_feed": mf.CALENDAR_FEED.key(),
            "action_register": mf.ACTION_REGISTER.key(),
            "decision_register": mf.DECISION_REGISTER.key(),
            "institution[1]": nf.INSTITUTION.key(institution=self.i1.pk),
            "institution[2]": nf.INSTITUTION.key(institution=self.i2.pk),
            "directory": nf.DIRECTORY.key(),
            "project_head[p]": pf.PROJECT_HEAD.key(project=self.p.pk),
            "project_outputs[p]": pf.PROJECT_OUTPUTS.key(project=self.p.pk),
            "project_head[p2]": pf.PROJECT_HEAD.key(project=self.p2.pk),
            "project_list": pf.PROJECT_LIST.key(),
            "catalogue": pf.CATALOGUE.key(),
            "dashboard": pf.DASHBOARD.key(),
            "dashboard_participation": pf.DASHBOARD_PARTICIPATION.key(),
            "home_next_meeting[A]": HOME_NEXT_MEETING.key(member=a),
            "home_next_meeting[B]": HOME_NEXT_MEETING.key(member=b),
            "home_personal[A]": HOME_PERSONAL.key(member=a, institution=self.i1.pk),
            "home_personal[B]": HOME_PERSONAL.key(member=b, institution=self.i2.pk),
            "home_shared": HOME_SHARED.key(),
            "home_staff": HOME_STAFF.key(),
        }
        return keys

    def invalidated_by(self, write) -> set[str]:
        before = self.fragments()
        write()
        after = self.fragments()
        return {label for label, key in before.items() if after[label] != key}


INSTITUTION_NAMES = {  # every fragment that shows an institution's name
    "meeting_head",
    "meeting_agenda",
    "meeting_decisions",
    "meeting_people",
    "meeting_head[m2]",
    "meeting_people[m2]",
    "meeting_decisions[held]",
    "meeting_list",
    "calendar_feed",
    "action_register",
    "decision_register",
    "institution[1]",
    "institution[2]",
    "directory",
    "project_head[p]",
    "project_head[p2]",
    "project_list",
    "catalogue",
    "dashboard",
    "dashboard_participation",
    "home_shared",
    "home_next_meeting[A]",  # the next meeting's host
    "home_next_meeting[B]",
    "home_personal[A]",  # the institutions of the open actions
    "home_personal[B]",
    "home_staff",  # built with the page's other panels (kloss_site/fragments.py)
}


@pytest.fixture
def world():
    return World()


def test_an_answer_invalidates_who_is_coming_and_her_own_answer_only(world):
    changed = world.invalidated_by(
        lambda: meeting_services.attendance_respond(meeting=world.m, member=world.b, by=world.b.user, attending=True)
    )
    # On her home page only the next meeting with her answer: her projects and actions stay warm.
    assert changed == {"meeting_people", "meeting_answer[B]", "home_next_meeting[B]"}


def test_an_answer_to_a_held_meeting_counts_in_the_participation_register(world):
    attendance = AttendanceFactory(meeting=world.held, member=world.b)
    changed = world.invalidated_by(lambda: cache.changed(attendance))  # as the admin does on a save
    assert changed == {"dashboard_participation", "home_next_meeting[B]"}


def test_a_profile_edit_invalidates_her_directory_entry_and_institution(world):
    changed = world.invalidated_by(
        lambda: network_services.member_update_profile(
            member=world.a, title="Prorektor", phone="08-123", language="en", optional_reminders=False
        )
    )
    assert changed == {"directory", "institution[1]"}  # her home page shows none of it


def test_saving_a_draft_report_invalidates_no_shared_page(world):
    changed = world.invalidated_by(
        lambda: project_services.report_save_draft(report=world.report, by=world.a.user, progress="Nästan klart.")
    )
    assert changed == set()


def test_submitting_a_report_invalidates_its_project_the_dashboard_and_its_people(world):
    changed = world.invalidated_by(lambda: project_services.report_submit(report=world.report, by=world.a.user))
    homes = {"home_staff", "home_personal[A]", "home_next_meeting[A]"}  # her panels (member:<pk>)
    assert changed == {"project_head[p]", "project_outputs[p]", "dashboard"} | homes


def test_scheduling_a_meeting_invalidates_the_meeting_its_lists_and_its_host(world):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=60)
    changed = world.invalidated_by(
        lambda: meeting_services.meeting_schedule(
            meeting=world.m,
            by=world.staff,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            venue="Ny lokal",
        )
    )
    meeting_page = {"meeting_head", "meeting_agenda", "meeting_decisions", "meeting_answer[A]", "meeting_answer[B]"}
    lists = {"meeting_list", "calendar_feed", "action_register", "decision_register"}  # its title may change
    homes = {"home_personal[A]", "home_personal[B]", "home_next_meeting[A]", "home_next_meeting[B]", "home_staff"}
    assert changed == meeting_page | lists | homes | {"institution[1]"}


def test_an_agenda_item_invalidates_that_agenda_only(world):
    changed = world.invalidated_by(
        lambda: meeting_services.agenda_item_add(meeting=world.m, by=world.staff, title="Välkommen")
    )
    assert changed == {"meeting_agenda"}


def test_a_decision_invalidates_its_meeting_decisions_and_the_registers(world):
    changed = world.invalidated_by(
        lambda: meeting_services.decision_record(meeting=world.held, by=world.staff, text_sv="Vi beslutar.")
    )
    assert changed == {"meeting_decisions[held]", "action_register", "decision_register"}


def test_an_action_invalidates_the_registers_and_its_owner_home(world):
    changed = world.invalidated_by(
        lambda: meeting_services.action_record(
            meeting=world.held, by=world.staff, text="Skriv rapporten.", owner_member=world.a, due_meeting=world.m
        )
    )
    assert changed == {
        "meeting_decisions[held]",
        "meeting_agenda",  # followed up on the agenda of the meeting it is due by
        "action_register",
        "decision_register",
        "home_personal[A]",
        "home_next_meeting[A]",  # her panels (member:<pk>)
    }


def test_an_output_invalidates_its_project_the_catalogue_the_dashboard_and_the_latest_results(world):
    changed = world.invalidated_by(
        lambda: project_services.output_create(
            project=world.p, by=world.a.user, type=Output.Type.REPORT, title="Rapporten", year=2025
        )
    )
    assert changed == {"project_head[p]", "project_outputs[p]", "catalogue", "dashboard", "home_shared"}


def test_an_institution_edited_in_the_admin_invalidates_where_its_name_shows(world):
    model_admin = admin.site.get_model_admin(Institution)
    request = RequestFactory().post("/")
    request.user = world.staff
    institution = Institution.objects.get(pk=world.i2.pk)
    institution.name = "Nytt namn"
    changed = world.invalidated_by(lambda: model_admin.save_model(request, institution, None, True))
    # Her answers, the agenda's own rows, a project's outputs stay warm.
    assert changed == INSTITUTION_NAMES
    assert Institution.objects.get(pk=world.i2.pk).name == "Nytt namn"


def test_an_approval_invalidates_the_directory_her_institution_and_the_staff_queue(world):
    applicant = ApplicantFactory(institution=world.i1)
    changed = world.invalidated_by(lambda: network_services.member_approve(member=applicant, by=world.staff))
    assert changed == {"directory", "institution[1]", "home_staff"}


def test_a_new_participant_invalidates_the_project_and_her_home(world):
    changed = world.invalidated_by(
        lambda: project_services.participant_add(project=world.p2, by=world.staff, member=world.a)
    )
    homes = {"home_personal[A]", "home_next_meeting[A]"}  # her panels (member:<pk>)
    assert changed == {"project_head[p2]", "project_list", "dashboard", "institution[1]"} | homes
