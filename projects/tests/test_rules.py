import pytest
from django.contrib.auth.models import AnonymousUser

from network.tests.factories import MemberFactory, StaffUserFactory, activate_totp
from projects.models import Report
from projects.rules import is_steering_group_member
from projects.tests.factories import ParticipationFactory, ProjectFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_steering_group_staff_allowed(staff_user):
    assert is_steering_group_member(staff_user)
    assert not is_steering_group_member(StaffUserFactory())  # staff rights need a second factor


def test_steering_group_plain_member_refused():
    assert not is_steering_group_member(MemberFactory().user)
    assert not is_steering_group_member(AnonymousUser())


def test_project_edit_coordinator_yes_participant_no():
    project = ProjectFactory()
    coordinator = ParticipationFactory(project=project, is_coordinator=True).member.user
    participant = ParticipationFactory(project=project).member.user
    assert coordinator.has_perm("projects.edit_project", project)
    assert not participant.has_perm("projects.edit_project", project)
    assert not MemberFactory().user.has_perm("projects.edit_project", project)


def test_report_draft_participant_edits_but_cannot_submit():
    report = ReportFactory()
    participant = ParticipationFactory(project=report.project).member.user
    assert participant.has_perm("projects.edit_report", report)
    assert not participant.has_perm("projects.submit_report", report)


def test_report_submitted_read_only_for_coordinator_reopenable_by_staff(staff_user):
    report = ReportFactory(state=Report.State.SUBMITTED)
    coordinator = ParticipationFactory(project=report.project, is_coordinator=True).member.user
    assert not coordinator.has_perm("projects.edit_report", report)
    assert not coordinator.has_perm("projects.reopen_report", report)
    assert staff_user.has_perm("projects.reopen_report", report)
    assert not StaffUserFactory().has_perm("projects.reopen_report", report)  # no second factor


def test_report_draft_hidden_from_other_members_submitted_visible():
    draft = ReportFactory()
    other = MemberFactory().user
    assert not other.has_perm("projects.view_report", draft)
    submitted = ReportFactory(state=Report.State.SUBMITTED)
    assert other.has_perm("projects.view_report", submitted)


def test_steering_group_seat_holder_may_propose_theme():
    import datetime

    from network.tests.factories import SteeringGroupSeatFactory

    holder = SteeringGroupSeatFactory().member
    assert holder.user.has_perm("projects.propose_theme")
    former = SteeringGroupSeatFactory(starts_on=datetime.date(2017, 1, 1), ends_on=datetime.date(2019, 1, 1)).member
    assert not former.user.has_perm("projects.propose_theme")
    assert not MemberFactory().user.has_perm("projects.propose_theme")


def test_start_report_for_the_projects_people_and_staff_only():
    project = ProjectFactory()
    participant = ParticipationFactory(project=project).member.user
    assert participant.has_perm("projects.start_report", project)
    staff = StaffUserFactory()
    activate_totp(staff)  # staff rights need a second factor
    assert staff.has_perm("projects.start_report", project)
    assert not MemberFactory().user.has_perm("projects.start_report", project)
    assert not AnonymousUser().has_perm("projects.start_report", project)
