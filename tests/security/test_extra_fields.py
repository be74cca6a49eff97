"""Mass assignment, the behaviour side: extra POST fields (is_staff, is_superuser, status, someone
else's institution, decided_by, ...) on the profile, signup, RSVP, project and report forms change
nothing beyond what the form offers."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from kloss_site.tests.test_url_matrix import world  # noqa: F401 - a fixture
from meetings.models import Attendance
from network.models import Member
from network.tests.factories import InstitutionFactory
from projects.models import Participation, Project, Report

User = get_user_model()


def _extras(world) -> dict:  # noqa: F811
    other = InstitutionFactory()
    return {
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "status": "approved",
        "state": "submitted",
        "institution": str(other.pk),
        "decided_by": str(world["staff"].pk),
        "decided_at": "2020-01-01T00:00",
        "submitted_by": str(world["staff"].pk),
        "changed_by": str(world["staff"].pk),
        "member": str(Member.objects.get(user=world["host_contact"]).pk),
        "user": str(world["staff"].pk),
        "calendar_token": "chosen-token",
        "privacy_version": "forged",
    }, other


def _login(client, user):
    client.logout()
    client.force_login(user)


def test_profile_edit_extra_fields_change_nothing(world, client):  # noqa: F811
    extras, other = _extras(world)
    member = Member.objects.get(user=world["member"])
    before = (member.status, member.institution_id, member.decided_by_id, member.calendar_token, member.privacy_version)
    _login(client, world["member"])
    data = {"title": "Prorektor", "phone": "", "language": "en", "optional_reminders": "on", **extras}
    response = client.post(reverse("network:profile_edit"), data)
    assert response.status_code == 302
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.title == "Prorektor"  # the form's own field did change
    assert (
        member.status,
        member.institution_id,
        member.decided_by_id,
        member.calendar_token,
        member.privacy_version,
    ) == before
    assert not member.user.is_staff and not member.user.is_superuser


def test_signup_extra_fields_change_nothing(world, client):  # noqa: F811
    extras, other = _extras(world)
    institution = world["institution"]
    domain = institution.domains.first().domain
    data = {
        "email": f"ny@{domain}",
        "password1": "Samverkan-lösen-2026!",
        "password2": "Samverkan-lösen-2026!",
        "first_name": "Ny",
        "last_name": "Person",
        "title": "Prorektor",
        "role": "deputy_vc",
        "accept_privacy": "on",
        **extras,
        "institution": "",  # the form's own field: empty means "from my email domain"
        "other_institution": str(other.pk),
    }
    client.post(reverse("account_signup"), data)
    member = Member.objects.get(user__email=f"ny@{domain}")
    assert member.institution == institution
    assert member.status == Member.Status.UNVERIFIED
    assert member.decided_by is None and member.decided_at is None
    assert not member.user.is_staff and not member.user.is_superuser
    assert member.calendar_token != "chosen-token"


def test_rsvp_extra_fields_change_nothing(world, client):  # noqa: F811
    extras, other = _extras(world)
    meeting = world["meeting"]
    participant = Member.objects.get(user=world["participant"])
    host = Member.objects.get(user=world["host_contact"])
    _login(client, world["participant"])
    response = client.post(reverse("meetings:attendance", args=[meeting.pk]), {"attending": "yes", **extras})
    assert response.status_code == 302
    attendance = Attendance.objects.get(meeting=meeting, member=participant)
    assert attendance.changed_by_id != world["staff"].pk
    assert not Attendance.objects.filter(meeting=meeting, member=host).exists()  # not answered for someone else
    participant.refresh_from_db()
    assert participant.institution_id != other.pk and participant.status == Member.Status.APPROVED
    assert not User.objects.get(pk=world["participant"].pk).is_staff


def test_project_create_extra_fields_change_nothing(world, client):  # noqa: F811
    extras, other = _extras(world)
    member = Member.objects.get(user=world["member"])
    project = world["project"]
    _login(client, world["member"])
    data = {
        **extras,
        "theme": project.theme_id,
        "title": "Nytt samverkansprojekt",
        "summary": "Sammanfattning",
        "lead_institution": member.institution_id,
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "status": "active",
        "created_by": str(world["staff"].pk),
        "coordinators": str(Member.objects.get(user=world["host_contact"]).pk),
    }
    response = client.post(reverse("projects:project_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Project.objects.get(title="Nytt samverkansprojekt")
    assert list(Participation.objects.filter(project=created).values_list("member", flat=True)) == [member.pk]
    assert not User.objects.get(pk=world["member"].pk).is_staff


def test_report_extra_fields_change_nothing(world, client):  # noqa: F811
    extras, other = _extras(world)
    report = world["draft"]
    _login(client, world["participant"])
    url = reverse("projects:report_edit", kwargs={"round_pk": report.round_id, "project_pk": report.project_id})
    data = {**extras, "progress": "Vi har träffats.", "status": "on_track", "save": "1", "project": "999"}
    response = client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.progress == "Vi har träffats."
    assert report.state == Report.State.DRAFT and report.submitted_by is None and report.submitted_at is None
    assert report.project_id == world["project"].pk
    assert not User.objects.get(pk=world["participant"].pk).is_staff
