import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network.tests.factories import InstitutionFactory, MemberFactory
from network.tests.factories import login as login_user
from projects.models import Output, Participation, Project, Report, ReportingRound
from projects.tests.factories import (
    OutputFactory,
    ParticipationFactory,
    ProjectFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def login(client, member):
    client.force_login(member.user)
    return client


def test_journey_create_project_to_csv(client, staff_user):
    from django.test import Client

    staff_client = Client()
    login_user(staff_client, staff_user)
    # A member starts a project under a theme
    theme = ThemeFactory(name_sv="Livslångt lärande")
    member = MemberFactory()
    partner_institution = InstitutionFactory()
    login(client, member)
    response = client.post(
        reverse("projects:project_create"),
        {
            "theme": theme.pk,
            "title": "Samverkan för kompetensförsörjning",
            "summary": "Vi bygger långsiktiga relationer med regionen.",
            "lead_institution": member.institution.pk,
            "institutions": [partner_institution.pk],
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "status": "active",
        },
    )
    project = Project.objects.get(title="Samverkan för kompetensförsörjning")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert Participation.objects.get(project=project, member=member).is_coordinator
    assert set(project.institutions.all()) == {member.institution, partner_institution}

    # Staff open a round
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    response = staff_client.post(
        reverse("projects:round_create"), {"title": "Våren 2027", "deadline": deadline.isoformat()}
    )
    round_ = ReportingRound.objects.get(title="Våren 2027")
    assert response["Location"] == round_.get_absolute_url()

    # A participant writes the draft, the coordinator submits
    writer = ParticipationFactory(project=project, member=MemberFactory()).member
    edit_url = reverse("projects:report_edit", kwargs={"round_pk": round_.pk, "project_pk": project.pk})
    client.force_login(writer.user)
    client.post(edit_url, {"progress": "Två workshoppar med regionen.", "status": "on_track", "save": "1"})
    report = Report.objects.get(round=round_, project=project)
    assert report.state == Report.State.DRAFT and report.progress == "Två workshoppar med regionen."
    client.force_login(member.user)
    response = client.post(
        edit_url,
        {
            "progress": "Två workshoppar med regionen.",
            "status": "on_track",
            "learned": "Tillit tar tid.",
            "submit": "1",
        },
    )
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED and report.submitted_by == member.user

    # The overview shows it reported; the pack shows it; the download is an attachment
    page = client.get(round_.get_absolute_url()).content.decode()
    assert 'data-state="reported"' in page
    pack = client.get(reverse("projects:round_pack", kwargs={"pk": round_.pk})).content.decode()
    assert "Tillit tar tid." in pack and 'class="pack-report' in pack
    # Its print layout is in the site's stylesheet (the CSP refuses <style> elements in pages).
    assert "<style>" not in pack
    stylesheet = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert "@media print" in stylesheet and ".pack-report { break-inside: avoid-page" in stylesheet
    download = client.get(reverse("projects:round_pack_download", kwargs={"pk": round_.pk}))
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Tillit tar tid." in download.content.decode()

    # An output appears in the catalogue and in the CSV
    client.post(
        reverse("projects:output_create", kwargs={"pk": project.pk}),
        {"type": "report", "title": "Rapport om kompetens", "authors": "Anna Lind", "year": 2026},
    )
    assert "Rapport om kompetens" in client.get(reverse("projects:output_list")).content.decode()
    export = client.get(reverse("projects:output_export") + "?format=csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [r["title"] for r in rows] == ["Rapport om kompetens"]
    assert rows[0]["project"] == project.title


def test_project_end_before_start_shows_message_and_keeps_input(member_client, member):
    theme = ThemeFactory()
    response = member_client.post(
        reverse("projects:project_create"),
        {
            "theme": theme.pk,
            "title": "Mitt utkast",
            "summary": "En lång sammanfattning jag inte vill skriva igen.",
            "lead_institution": member.institution.pk,
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
            "status": "planned",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end must be after the start." in page or "Slutet måste vara efter starten." in page
    assert "En lång sammanfattning jag inte vill skriva igen." in page
    assert not Project.objects.exists()


def test_project_edit_by_participant_of_other_project_refused(client):
    project = ProjectFactory(title="Original")
    outsider = ParticipationFactory().member  # takes part in another project
    login(client, outsider)
    response = client.post(reverse("projects:project_update", kwargs={"pk": project.pk}), {"title": "Hacked"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "Original"


def test_report_for_inactive_project_refused_with_message(client):
    project = ProjectFactory(status=Project.Status.PLANNED)
    coordinator = ParticipationFactory(project=project, is_coordinator=True).member
    round_ = RoundFactory()
    login(client, coordinator)
    url = reverse("projects:report_edit", kwargs={"round_pk": round_.pk, "project_pk": project.pk})
    response = client.post(url, {"progress": "Mitt utkast", "status": "on_track", "save": "1"}, follow=True)
    assert not Report.objects.exists()
    assert "Only active projects report" in response.content.decode() or "aktiva projekt" in response.content.decode()
    assert "Mitt utkast" in response.content.decode()  # the text is still in the form


def test_report_submit_delayed_without_reason_keeps_draft(client):
    report = ReportFactory(progress="")
    coordinator = ParticipationFactory(project=report.project, is_coordinator=True).member
    login(client, coordinator)
    url = reverse("projects:report_edit", kwargs={"round_pk": report.round_id, "project_pk": report.project_id})
    response = client.post(url, {"progress": "Vi ligger efter.", "status": "delayed", "submit": "1"})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert report.progress == "Vi ligger efter."  # the draft is kept
    assert "status_reason" in response.context["form"].errors


def test_report_submit_twice_refused(client):
    report = ReportFactory()
    coordinator = ParticipationFactory(project=report.project, is_coordinator=True).member
    login(client, coordinator)
    url = reverse("projects:report_edit", kwargs={"round_pk": report.round_id, "project_pk": report.project_id})
    client.post(url, {"progress": "Klart.", "status": "on_track", "submit": "1"})
    report.refresh_from_db()
    first_submitted_at = report.submitted_at
    response = client.post(url, {"progress": "Ändrat!", "status": "on_track", "submit": "1"}, follow=True)
    report.refresh_from_db()
    assert report.submitted_at == first_submitted_at and report.progress == "Klart."
    assert response.redirect_chain[-1][0] == report.get_absolute_url()


def test_report_participant_cannot_submit_but_draft_saved(client):
    report = ReportFactory(progress="")
    participant = ParticipationFactory(project=report.project).member
    login(client, participant)
    url = reverse("projects:report_edit", kwargs={"round_pk": report.round_id, "project_pk": report.project_id})
    client.post(url, {"progress": "Utkast.", "status": "on_track", "submit": "1"})
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT and report.progress == "Utkast."


def test_report_of_other_project_answers_404(client):
    report = ReportFactory()
    outsider = ParticipationFactory().member
    login(client, outsider)
    url = reverse("projects:report_edit", kwargs={"round_pk": report.round_id, "project_pk": report.project_id})
    assert client.post(url, {"progress": "x", "status": "on_track", "save": "1"}).status_code == 404
    report.refresh_from_db()
    assert report.progress != "x"


def test_report_reopen_by_staff_makes_it_editable(staff_client):
    report = ReportFactory(state=Report.State.SUBMITTED, submitted_at=timezone.now())
    staff_client.post(reverse("projects:report_reopen", kwargs={"pk": report.pk}))
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT and report.submitted_at is None


def test_output_invalid_doi_and_isbn_messages_keep_input(client):
    project = ProjectFactory()
    participant = ParticipationFactory(project=project).member
    login(client, participant)
    response = client.post(
        reverse("projects:output_create", kwargs={"pk": project.pk}),
        {"type": "book", "title": "Min bok", "year": 2025, "doi": "11.1/x", "isbn": "978-0-306-40615-8"},
    )
    form = response.context["form"]
    assert "doi" in form.errors and "isbn" in form.errors
    assert "Min bok" in response.content.decode()
    assert not Output.objects.exists()


def test_output_oversized_file_refused(client, settings):
    settings.MAX_UPLOAD_SIZE = 100
    project = ProjectFactory()
    login(client, ParticipationFactory(project=project).member)
    response = client.post(
        reverse("projects:output_create", kwargs={"pk": project.pk}),
        {"type": "report", "title": "Stor fil", "year": 2025, "file": SimpleUploadedFile("r.pdf", PDF + b"x" * 200)},
    )
    assert "file" in response.context["form"].errors
    assert not Output.objects.exists()


def test_output_file_served_as_attachment_with_nosniff(client):
    project = ProjectFactory()
    login(client, ParticipationFactory(project=project).member)
    client.post(
        reverse("projects:output_create", kwargs={"pk": project.pk}),
        {"type": "report", "title": "Med fil", "year": 2025, "file": SimpleUploadedFile("rapport.pdf", PDF)},
    )
    output = Output.objects.get()
    response = client.get(reverse("projects:output_file", kwargs={"pk": output.pk}))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_output_spin_out_points_to_new_project(client):
    project = ProjectFactory()
    akut = ProjectFactory(title="AkUt")
    login(client, ParticipationFactory(project=project).member)
    client.post(
        reverse("projects:output_create", kwargs={"pk": project.pk}),
        {"type": "spin_out", "title": "AkUt startar", "year": 2025, "spin_out": akut.pk},
    )
    assert Output.objects.get().spin_out == akut
    assert project.title in client.get(akut.get_absolute_url()).content.decode()  # "spun out of"
    assert "AkUt" in client.get(project.get_absolute_url()).content.decode()


def test_catalogue_filters_and_search(member_client):
    theme = ThemeFactory()
    wanted = OutputFactory(project=ProjectFactory(theme=theme), title="Regional innovation", year=2024)
    OutputFactory(title="Annat", year=2023)
    page = member_client.get(reverse("projects:output_list"), {"theme": theme.pk}).content.decode()
    assert wanted.title in page and "Annat" not in page
    page = member_client.get(reverse("projects:output_list"), {"q": "innovation"}).content.decode()
    assert wanted.title in page and "Annat" not in page
    page = member_client.get(reverse("projects:output_list"), {"year": 2023}).content.decode()
    assert wanted.title not in page and "Annat" in page


def test_catalogue_institution_filter_includes_participating(member_client):
    institution = InstitutionFactory()
    output = OutputFactory(project=ProjectFactory(institutions=[institution]), title="Delad")
    OutputFactory(title="Annan")
    page = member_client.get(reverse("projects:output_list"), {"institution": institution.pk}).content.decode()
    assert output.title in page and "Annan" not in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_escapes_formula_characters(member_client, fmt):
    OutputFactory(title='=HYPERLINK("http://evil")', authors="+46 70 123", year=2025)
    response = member_client.get(reverse("projects:output_export"), {"format": fmt})
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt == "csv":
        row = next(csv.DictReader(io.StringIO(response.content.decode())))
        assert row["title"].startswith("'=") and row["authors"].startswith("'+")
    else:
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for cell in sheet[2]]
        assert '\'=HYPERLINK("http://evil")' in values


def test_dashboard_charts_accessible_svg_with_tables(member_client):
    OutputFactory(type=Output.Type.EVENT, year=2024)
    ReportFactory(state=Report.State.SUBMITTED, submitted_at=timezone.now())
    page = member_client.get(reverse("projects:dashboard")).content.decode()
    assert page.count('role="img"') == 5
    assert page.count("<desc") == 5 and page.count("<table") >= 5
    assert "<script" not in page


def test_institution_partial_lists_projects(member_client, member):
    project = ProjectFactory(lead_institution=member.institution, title="Vårt projekt")
    page = member_client.get(member.institution.get_absolute_url()).content.decode()
    assert project.title in page


def test_member_partial_lists_her_projects(member_client, member):
    ParticipationFactory(member=member, project=ProjectFactory(title="Hennes projekt"), is_coordinator=True)
    page = member_client.get(member.get_absolute_url()).content.decode()
    assert "Hennes projekt" in page


def test_theme_propose_staff_then_accept(staff_client):
    staff_client.post(
        reverse("projects:theme_propose"),
        {
            "name_sv": "Hållbar omställning",
            "name_en": "Sustainable transition",
            "description_sv": "",
            "description_en": "",
        },
    )
    from meetings.models import Theme

    theme = Theme.objects.get(name_sv="Hållbar omställning")
    assert theme.status == Theme.Status.PROPOSED
    staff_client.post(reverse("projects:theme_accept", kwargs={"pk": theme.pk}))
    theme.refresh_from_db()
    assert theme.status == Theme.Status.ACCEPTED and theme.is_active


def test_participant_add_by_coordinator(client):
    project = ProjectFactory()
    coordinator = ParticipationFactory(project=project, is_coordinator=True).member
    newcomer = MemberFactory()
    login(client, coordinator)
    client.post(reverse("projects:participant_add", kwargs={"pk": project.pk}), {"member": newcomer.pk})
    assert project.participations.filter(member=newcomer).exists()
    assert newcomer.institution in project.institutions.all()


def test_pack_lists_outputs_registered_since_previous_round(member_client):
    report = ReportFactory(state=Report.State.SUBMITTED, submitted_at=timezone.now())
    OutputFactory(project=report.project, title="Ny antologi")
    page = member_client.get(reverse("projects:round_pack", kwargs={"pk": report.round_id})).content.decode()
    assert "Ny antologi" in page


def test_project_page_links_a_submitted_report_and_no_draft_to_other_members(client):
    from tests.support.html import offered

    project = ProjectFactory()
    submitted = ReportFactory(project=project, state=Report.State.SUBMITTED)
    draft = ReportFactory(project=project)
    login(client, MemberFactory())
    page = client.get(project.get_absolute_url())
    links = offered(page.content.decode()).links
    assert reverse("projects:report_detail", args=[submitted.pk]) in links
    assert reverse("projects:report_detail", args=[draft.pk]) not in links
    assert client.get(reverse("projects:report_detail", args=[draft.pk])).status_code == 404  # why not linked


def test_project_form_refuses_an_institution_id_beyond_64_bits_with_a_form_error(client):
    """A choice no database can hold is a form error, not a server error (SQLite raised
    OverflowError on it), and the form comes back with what she typed."""
    member = MemberFactory()
    login(client, member)
    response = client.post(
        reverse("projects:project_create"),
        {"title": "Ett projekt", "institutions": ["9223372036854775808"], "starts_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "9223372036854775808" in response.context["form"].errors["institutions"][0]
    assert "Ett projekt" in response.content.decode()
