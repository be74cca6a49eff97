"""The projects app's rows of the URL x role matrix (see kloss_site/tests/test_url_matrix.py).

`participant` takes part in `world["project"]` as a coordinator; `member` takes part in nothing."""

from django.core.files.base import ContentFile

from meetings.models import Theme
from projects.models import Report, YearlyReport
from projects.tests.factories import OutputFactory, ParticipationFactory, ProjectFactory, ReportFactory, RoundFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def everyone(member=200, participant=200, staff=200, host_contact=None, staff_without_mfa="mfa"):
    return {
        "anonymous": "login",
        "applicant": "pending",
        "member": member,
        "host_contact": member if host_contact is None else host_contact,
        "participant": participant,
        "staff": staff,
        # Staff rights (staff count as members) need a second factor: she is sent to set it up.
        "staff_without_mfa": staff_without_mfa,
    }


MEMBERS = everyone()
STAFF_ONLY = everyone(member=403, participant=403)
PARTICIPANTS = everyone(member=403)


def build(world: dict) -> None:
    project = ProjectFactory(lead_institution=world["institution"])
    ParticipationFactory(project=project, member=world["participant"].member, is_coordinator=True)
    round_ = RoundFactory()
    world["project"] = project
    world["round"] = round_
    world["proposed_theme"] = Theme.objects.create(name_sv="Förslag", name_en="Proposal")
    world["draft"] = ReportFactory(round=round_, project=project)
    other_round = RoundFactory()
    world["submitted"] = ReportFactory(round=other_round, project=project, state=Report.State.SUBMITTED)
    output = OutputFactory(project=project)
    output.file.save("result.pdf", ContentFile(PDF))
    world["output"] = output
    # A kept yearly report (its files as the build leaves them; their content is tested elsewhere).
    report = YearlyReport.objects.create(year=2025, language="sv", state=YearlyReport.State.DONE)
    report.pdf.save("rapport.pdf", ContentFile(PDF), save=False)
    report.docx.save("rapport.docx", ContentFile(b"PK\x03\x04"), save=True)
    world["yearly_report"] = report


def cases(world: dict) -> list[tuple[str, dict, dict]]:
    project, round_ = world["project"], world["round"]
    pk = {"pk": project.pk}
    yearly = {"pk": world["yearly_report"].pk}
    return [
        ("projects:project_list", {}, MEMBERS),
        ("projects:project_create", {}, MEMBERS),
        ("projects:project_detail", pk, MEMBERS),
        ("projects:project_update", pk, PARTICIPANTS),
        ("projects:participant_add", pk, PARTICIPANTS),
        ("projects:partner_add", pk, PARTICIPANTS),
        ("projects:link_add", pk, PARTICIPANTS),
        ("projects:output_create", pk, PARTICIPANTS),
        ("projects:theme_list", {}, MEMBERS),
        ("projects:theme_propose", {}, STAFF_ONLY),  # and steering-group members (tests/test_rules.py)
        ("projects:theme_accept", {"pk": world["proposed_theme"].pk}, everyone(member=403, participant=403, staff=405)),
        ("projects:round_list", {}, MEMBERS),
        ("projects:round_create", {}, STAFF_ONLY),
        ("projects:round_detail", {"pk": round_.pk}, MEMBERS),
        ("projects:round_pack", {"pk": round_.pk}, MEMBERS),
        ("projects:round_pack_download", {"pk": round_.pk}, MEMBERS),
        ("projects:report_edit", {"round_pk": round_.pk, "project_pk": project.pk}, everyone(member=404)),
        ("projects:report_detail", {"pk": world["draft"].pk}, everyone(member=404)),
        ("projects:report_detail", {"pk": world["submitted"].pk}, MEMBERS),
        ("projects:report_reopen", {"pk": world["submitted"].pk}, everyone(member=403, participant=403, staff=405)),
        ("projects:output_list", {}, MEMBERS),
        ("projects:output_export", {}, MEMBERS),
        ("projects:dashboard", {}, MEMBERS),
        ("projects:output_detail", {"pk": world["output"].pk}, MEMBERS),
        ("projects:output_update", {"pk": world["output"].pk}, PARTICIPANTS),
        ("projects:output_file", {"pk": world["output"].pk}, MEMBERS),
        # Staff and the steering group (tests/test_yearly_report.py: a seat running today, one ended).
        ("projects:yearly_report", {}, STAFF_ONLY),
        ("projects:yearly_report_download", yearly | {"extension": "pdf"}, everyone(member=404, participant=404)),
        ("projects:yearly_report_download", yearly | {"extension": "docx"}, everyone(member=404, participant=404)),
        (
            "projects:yearly_report_download",
            yearly | {"extension": "exe"},
            everyone(member=404, participant=404, staff=404),
        ),
    ]
