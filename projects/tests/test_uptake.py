"""Uptake, institution by institution (issue 26): the services and their history, who may do what,
and the pages: record from a result's page, edit, follow up; where a result was taken up shows on
its pages and on the institution's page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network.tests.factories import ApplicantFactory, InstitutionFactory, MemberFactory, login
from projects import services
from projects.models import Uptake
from projects.tests.factories import OutputFactory, ProjectFactory, RoundFactory, UptakeFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.date(2026, 9, 1)


def record(member, output=None, project=None, **fields):
    values = {"level": Uptake.Level.TRIED, "description": "Vi prövade modellen i två fakulteter.", "starts_on": DAY}
    values.update(fields)
    return services.uptake_create(
        by=member.user,
        institution=member.institution,
        project=project or output.project,
        output=output,
        **values,
    )


# --- Services ------------------------------------------------------------------------------------


def test_uptake_create_records_who_and_why_in_its_history(member):
    output = OutputFactory()
    uptake = record(member, output, responsible="Prorektor")
    history = uptake.history.first()
    assert (history.history_user, history.history_change_reason) == (member.user, "recorded")
    assert uptake.created_by == member.user and uptake.result == output and uptake.round is None


def test_uptake_of_the_project_as_a_whole(member):
    project = ProjectFactory()
    uptake = record(member, project=project, level=Uptake.Level.ADOPTED)
    assert uptake.output is None and uptake.result == project


def test_uptake_once_per_institution_and_result(member):
    output = OutputFactory()
    record(member, output)
    with pytest.raises(services.ProjectsError, match="redan registrerat"):
        record(member, output)
    record(member, project=output.project)  # the project as a whole is another result
    assert Uptake.objects.filter(institution=member.institution).count() == 2


def test_uptake_refuses_an_output_of_another_project(member):
    with pytest.raises(services.ProjectsError, match="annat projekt"):
        record(member, OutputFactory(), project=ProjectFactory())


def test_uptake_refuses_a_period_that_ends_before_it_starts(member):
    with pytest.raises(services.ProjectsError, match="kan inte sluta innan"):
        record(member, OutputFactory(), ends_on=DAY - datetime.timedelta(days=1))
    assert not Uptake.objects.exists()


def test_uptake_refuses_an_institution_that_left_the_network(member):
    left = InstitutionFactory(left_on=datetime.date(2020, 1, 1))
    with pytest.raises(services.ProjectsError, match="Endast nätverkets medlemslärosäten"):
        services.uptake_create(
            by=member.user,
            institution=left,
            project=ProjectFactory(),
            level=Uptake.Level.INFORMED,
            description="x",
            starts_on=DAY,
        )


def test_uptake_update_and_follow_up_are_in_the_history(member):
    uptake = record(member, OutputFactory())
    services.uptake_update(uptake=uptake, by=member.user, level=Uptake.Level.ADOPTED)
    services.uptake_follow_up(uptake=uptake, by=member.user, follow_up="Nu en del av strategin.")
    uptake.refresh_from_db()
    assert uptake.level == Uptake.Level.ADOPTED
    assert uptake.follow_up == "Nu en del av strategin." and uptake.followed_up_on == timezone.localdate()
    assert [h.history_change_reason for h in uptake.history.order_by("history_id")] == [
        "recorded",
        "edited",
        "followed up",
    ]


def test_follow_up_needs_text_and_a_date_not_in_the_future(member):
    uptake = record(member, OutputFactory())
    with pytest.raises(services.ProjectsError, match="Skriv vad det ledde till"):
        services.uptake_follow_up(uptake=uptake, by=member.user, follow_up="  ")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(services.ProjectsError, match="framtiden"):
        services.uptake_follow_up(uptake=uptake, by=member.user, follow_up="Klart.", followed_up_on=tomorrow)


def test_uptake_answers_the_open_round_that_asks_for_it(member):
    RoundFactory(asks_uptake=False)  # asks only for reports
    asking = RoundFactory(asks_uptake=True)
    RoundFactory(asks_uptake=True, deadline=timezone.localdate() - datetime.timedelta(days=1))  # closed
    uptake = record(member, OutputFactory())
    assert uptake.round == asking
    # A record made before the round is attached to it when followed up while it is open.
    earlier = UptakeFactory(institution=member.institution, round=None)
    services.uptake_follow_up(uptake=earlier, by=member.user, follow_up="Fortsatt i bruk.")
    earlier.refresh_from_db()
    assert earlier.round == asking


# --- Rules ---------------------------------------------------------------------------------------


def test_everyone_approved_reads_uptake_applicants_and_visitors_nothing(member, staff_user, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    uptake = UptakeFactory()
    assert member.user.has_perm("projects.view_uptake", uptake)
    assert member.user.has_perm("projects.view_coverage")
    assert staff_user.has_perm("projects.view_uptake", uptake)
    applicant = ApplicantFactory().user
    for user in (applicant, AnonymousUser()):
        assert not user.has_perm("projects.view_uptake", uptake)
        assert not user.has_perm("projects.record_uptake", uptake.project)
        assert not user.has_perm("projects.edit_uptake", uptake)


def test_only_the_institutions_members_and_staff_change_an_uptake(member, staff_user, staff_user_without_mfa):
    uptake = UptakeFactory(institution=member.institution)
    colleague = MemberFactory(institution=member.institution)
    other = MemberFactory()
    assert member.user.has_perm("projects.edit_uptake", uptake)
    assert colleague.user.has_perm("projects.edit_uptake", uptake)
    assert staff_user.has_perm("projects.edit_uptake", uptake)
    assert not other.user.has_perm("projects.edit_uptake", uptake)
    assert not staff_user_without_mfa.has_perm("projects.edit_uptake", uptake)  # no second factor yet
    assert other.user.has_perm("projects.record_uptake", uptake.output)  # for her own institution


def test_a_member_who_left_changes_nothing(member):
    uptake = UptakeFactory(institution=member.institution)
    member.status = member.Status.LEFT
    member.save()
    assert not member.user.has_perm("projects.edit_uptake", uptake)
    assert not member.user.has_perm("projects.record_uptake", uptake.project)


# --- Views ---------------------------------------------------------------------------------------


def form_data(**extra):
    return {"level": "adopted", "description": "Införd i vår strategi.", "starts_on": "2026-09-01", **extra}


def test_member_records_her_institutions_uptake_from_the_output_page(member_client, member):
    output = OutputFactory()
    page = member_client.get(output.get_absolute_url())
    add = reverse("projects:uptake_create_output", kwargs={"output_pk": output.pk})
    assert add in page.content.decode()
    response = member_client.post(
        add, form_data(evidence_url="kloss.example.se/beslut", responsible="Samverkanskontoret")
    )
    uptake = Uptake.objects.get()
    assert response.status_code == 302 and response["Location"] == uptake.get_absolute_url()
    assert (uptake.institution, uptake.output, uptake.project) == (member.institution, output, output.project)
    assert uptake.evidence_url == "https://kloss.example.se/beslut"
    page = member_client.get(output.get_absolute_url()).content.decode()
    assert member.institution.name in page and "Infört" in page and "https://kloss.example.se/beslut" in page


def test_recording_again_leads_to_the_existing_record(member_client, member):
    uptake = UptakeFactory(institution=member.institution)
    response = member_client.get(reverse("projects:uptake_create_output", kwargs={"output_pk": uptake.output_id}))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:uptake_update", kwargs={"pk": uptake.pk})


def test_the_project_page_shows_where_its_results_were_taken_up(member_client, member):
    project = ProjectFactory()
    output = OutputFactory(project=project, title="Metodstödet")
    other = InstitutionFactory(name="Högskolan Väst")
    UptakeFactory(institution=other, output=output, level=Uptake.Level.CHANGED)
    page = member_client.get(project.get_absolute_url()).content.decode()
    assert "Högskolan Väst" in page and "Metodstödet" in page and "Ändrat praxis eller policy" in page
    response = member_client.post(reverse("projects:uptake_create", kwargs={"project_pk": project.pk}), form_data())
    assert response.status_code == 302
    page = member_client.get(project.get_absolute_url()).content.decode()  # the fragment was built again
    assert member.institution.name in page and "projektet som helhet" in page


def test_the_institution_page_shows_what_it_took_up(member_client, member):
    uptake = UptakeFactory(institution=member.institution, output=OutputFactory(title="Rapporten om AIL"))
    page = member_client.get(member.institution.get_absolute_url()).content.decode()
    assert "Resultat som tagits tillvara" in page and "Rapporten om AIL" in page
    # A new record shows at once: the institution's cached page is built again.
    services.uptake_create(
        by=member.user,
        institution=member.institution,
        project=uptake.project,
        level=Uptake.Level.INFORMED,
        description="Presenterat för ledningen.",
        starts_on=DAY,
    )
    page = member_client.get(member.institution.get_absolute_url()).content.decode()
    assert "projektet som helhet" in page


def test_a_renamed_output_shows_on_the_institution_page_that_took_it_up(member_client, member):
    uptake = UptakeFactory(institution=member.institution, output=OutputFactory(title="Gammal titel"))
    member_client.get(member.institution.get_absolute_url())
    services.output_update(output=uptake.output, by=None, title="Ny titel")
    assert "Ny titel" in member_client.get(member.institution.get_absolute_url()).content.decode()


def test_evidence_file_type_and_size_are_checked(member_client, settings):
    output = OutputFactory()
    url = reverse("projects:uptake_create_output", kwargs={"output_pk": output.pk})
    fake = SimpleUploadedFile("beslut.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = member_client.post(url, {**form_data(), "evidence_file": fake})
    form = response.context["form"]
    assert response.status_code == 200 and form.has_error("evidence_file", code="file_content")
    assert form["description"].value() == "Införd i vår strategi."  # kept
    settings.MAX_UPLOAD_SIZE = 10
    big = SimpleUploadedFile("beslut.pdf", PDF, content_type="application/pdf")
    response = member_client.post(url, {**form_data(), "evidence_file": big})
    assert response.context["form"].has_error("evidence_file", code="file_too_large")
    assert not Uptake.objects.exists()


def test_evidence_file_is_a_download_for_members(member_client, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = OutputFactory()
    url = reverse("projects:uptake_create_output", kwargs={"output_pk": output.pk})
    upload = SimpleUploadedFile("beslut.pdf", PDF, content_type="application/pdf")
    member_client.post(url, {**form_data(), "evidence_file": upload})
    uptake = Uptake.objects.get()
    response = member_client.get(reverse("projects:uptake_evidence", kwargs={"pk": uptake.pk}))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_bad_input_rerenders_with_a_translated_error(member_client):
    output = OutputFactory()
    url = reverse("projects:uptake_create_output", kwargs={"output_pk": output.pk})
    response = member_client.post(url, form_data(ends_on="2026-01-01"))
    assert response.status_code == 200 and not Uptake.objects.exists()
    assert "Perioden kan inte sluta innan den börjar." in response.content.decode()
    assert response.context["form"]["description"].value() == "Införd i vår strategi."


def test_staff_records_for_an_institution_they_choose(staff_client):
    institution = InstitutionFactory()
    project = ProjectFactory()
    url = reverse("projects:uptake_create", kwargs={"project_pk": project.pk})
    response = staff_client.post(url, form_data(institution=institution.pk))
    assert response.status_code == 302
    assert Uptake.objects.get().institution == institution


def test_edit_and_follow_up_from_the_record(member_client, member):
    uptake = UptakeFactory(institution=member.institution)
    detail = member_client.get(uptake.get_absolute_url()).content.decode()
    assert reverse("projects:uptake_update", kwargs={"pk": uptake.pk}) in detail
    response = member_client.post(
        reverse("projects:uptake_update", kwargs={"pk": uptake.pk}),
        form_data(level="changed", description="Nu i policyn.", starts_on="2025-09-01"),
    )
    assert response.status_code == 302
    response = member_client.post(
        reverse("projects:uptake_follow_up", kwargs={"pk": uptake.pk}),
        {"follow_up": "Utvärderad efter ett år.", "followed_up_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    uptake.refresh_from_db()
    assert (uptake.level, uptake.description, uptake.follow_up) == (
        "changed",
        "Nu i policyn.",
        "Utvärderad efter ett år.",
    )
    assert uptake.history.first().history_user == member.user


def test_another_institutions_member_cannot_change_it(client):
    uptake = UptakeFactory()
    other = MemberFactory()
    login(client, other.user)
    detail = client.get(uptake.get_absolute_url())
    assert detail.status_code == 200
    assert reverse("projects:uptake_update", kwargs={"pk": uptake.pk}) not in detail.content.decode()
    response = client.post(reverse("projects:uptake_update", kwargs={"pk": uptake.pk}), form_data())
    assert response.status_code == 403
    response = client.post(reverse("projects:uptake_follow_up", kwargs={"pk": uptake.pk}), {"follow_up": "x"})
    assert response.status_code == 403
    assert Uptake.objects.get().follow_up == ""


def test_uptake_list_filters_by_level_institution_kind_and_year(member_client):
    adopted = UptakeFactory(level=Uptake.Level.ADOPTED, starts_on=datetime.date(2024, 1, 1))
    informed = UptakeFactory(
        level=Uptake.Level.INFORMED,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 6, 30),
        institution=InstitutionFactory(kind="art_college"),
    )
    url = reverse("projects:uptake_list")

    def shown(**params):
        return {u.pk for u in member_client.get(url, params).context["uptakes"]}

    assert shown() == {adopted.pk, informed.pk}
    assert shown(level="adopted") == {adopted.pk}
    assert shown(kind="art_college") == {informed.pk}
    assert shown(institution=adopted.institution_id) == {adopted.pk}
    assert shown(year=2021) == {informed.pk}
    assert shown(year=2025) == {adopted.pk}


def test_round_detail_says_who_has_answered(member_client, member):
    round_ = RoundFactory(asks_uptake=True, title="Höstens rapportering")
    other = InstitutionFactory(name="Mittuniversitetet")
    record(member, OutputFactory())
    page = member_client.get(round_.get_absolute_url()).content.decode()
    assert "1 av 3 har svarat" in page  # hers, the other, and the lead institution of the output's project
    not_answered = page.split("Har inte svarat ännu")[1].split("</p>")[0]
    assert other.display_short in not_answered and member.institution.display_short not in not_answered


def test_staff_open_a_round_that_asks_for_uptake(staff_client):
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = staff_client.post(
        reverse("projects:round_create"), {"title": "Vårens rapportering", "deadline": deadline, "asks_uptake": "on"}
    )
    assert response.status_code == 302
    from projects.models import ReportingRound

    assert ReportingRound.objects.get().asks_uptake


def test_clearing_the_evidence_file_removes_it(member, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    uptake = UptakeFactory(institution=member.institution)
    uptake.evidence_file.save("beslut.pdf", ContentFile(PDF))
    services.uptake_update(uptake=uptake, by=member.user, evidence_file=False)
    uptake.refresh_from_db()
    assert not uptake.evidence_file
