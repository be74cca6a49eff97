"""The network's yearly report (projects/yearly/): what a reader finds in the PDF and the Word file in
Swedish and English, the command, the page and its background generation, who may download."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

import meetings.demo
from network import demo as network_demo
from network.tests.factories import MemberFactory, SteeringGroupSeatFactory
from projects import demo as projects_demo
from projects.models import YearlyReport
from projects.yearly import services
from projects.yearly.data import gather

from .yearly_support import docx_text, make_year, pdf_pages, pdf_text, save_first_page

pytestmark = pytest.mark.django_db


def build(year: int, language: str) -> YearlyReport:
    report = services.yearly_report_request(year=year, language=language, background=False)
    assert report.state == YearlyReport.State.DONE, report.error
    return report


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


# --- What a reader finds ------------------------------------------------------------------------


def test_report_in_swedish_tells_the_year_in_swedish():
    year = make_year()
    report = build(year.year, "sv")
    text = pdf_text(read(report.pdf))
    assert f"Årsrapport {year.year}" in text
    assert "Genomförda möten" in text
    assert "Nätverksmöte i Örebro" in text
    assert "Örebro universitet" in text and "Malmö universitet" in text
    assert "Nätverket ställer sig bakom den gemensamma uppföljningsmodellen." in text
    assert "Samverkan i utbildningen" in text  # the theme, in Swedish
    assert "Arbetsintegrerat lärande i alla program" in text
    assert "Vägledning för praktik" in text and "Åsa Öberg" in text
    assert "doi:10.1234/kloss.2025.007" in text.replace(" ", "")  # a narrow cell may wrap it
    assert "Infört" in text  # Malmö's uptake, by its level in Swedish
    assert "Yearly report" not in text and "Meetings held" not in text


def test_report_in_english_tells_the_same_year_in_english():
    year = make_year()
    report = build(year.year, "en")
    text = pdf_text(read(report.pdf))
    assert f"Yearly report {year.year}" in text
    assert "Meetings held" in text
    assert "Örebro University" in text and "Malmö University" in text
    assert "The network endorses the shared follow-up model." in text
    assert "Collaboration in education" in text
    assert "Vägledning för praktik" in text  # a title stays as it was written
    assert "Adopted" in text
    assert "Årsrapport" not in text and "Genomförda möten" not in text


def test_attendance_counts_who_was_there_and_the_host():
    year = make_year()
    with translation.override("en"):
        data = gather(year.year)
    [meeting] = data.meetings
    assert (meeting.persons, meeting.institutions, meeting.host) == (3, 2, "Örebro University")
    rows = {row.name: row for row in data.attendance}
    # Three of four came: Malmö's second registrant was marked as not there.
    assert (rows["Örebro University"].persons, rows["Örebro University"].hosted) == (2, 1)
    assert (rows["Malmö University"].persons, rows["Malmö University"].meetings) == (1, 1)


def test_coverage_shows_who_takes_part_who_took_up_and_the_gaps():
    year = make_year()
    with translation.override("en"):
        coverage = gather(year.year).coverage
    column = coverage.themes.index("Collaboration in education")
    cells = {row.institution: row.cells[column] for row in coverage.rows}
    assert cells["Örebro University"] == "participates"  # the project's lead
    assert cells["Malmö University"] == "took_up"
    assert coverage.per_theme()[column] == ("Collaboration in education", 1, 1, 0)


def test_word_file_has_the_same_content_as_the_pdf():
    year = make_year()
    report = build(year.year, "sv")
    text = docx_text(read(report.docx))
    assert f"Årsrapport {year.year}" in text
    assert "Nätverket ställer sig bakom den gemensamma uppföljningsmodellen." in text
    assert "Vägledning för praktik" in text and "Infört" in text
    assert "Malmö universitet" in text


def test_a_name_the_font_lacks_is_printed_by_its_base_letters():
    year = make_year()
    year.output.authors = "Łukasz Wiśniewski, Ŋuolggá Sámi"
    year.output.save()
    text = pdf_text(read(build(year.year, "en").pdf))
    assert "Wisniewski" in text  # ś -> s rather than a gap


def test_the_current_year_says_it_is_the_year_so_far():
    year = make_year(timezone.localdate().year)
    text = pdf_text(read(build(year.year, "en").pdf))
    assert "The year so far" in text


# --- The demo's last full year ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_demos_last_full_year_makes_a_report(settings, tmp_path, language):
    settings.MEDIA_ROOT = tmp_path
    network_demo.seed()
    meetings.demo.seed()
    projects_demo.seed()
    meetings.demo.seed_decisions()
    year = timezone.localdate().year - 1
    out = io.StringIO()
    call_command("yearly_report", year=year, language=language, stdout=out)
    assert f"Yearly report {year} ({language}) generated in" in out.getvalue()
    report = YearlyReport.objects.get()
    data = read(report.pdf)
    save_first_page(data, f"yearly-report-{language}-page1.png")
    text = pdf_text(data)
    assert pdf_pages(data) >= 4
    # Two meetings a year, spring and autumn, at rotating hosts; decisions on the last six meetings.
    title, held = ("Årsrapport", "Genomförda möten") if language == "sv" else ("Yearly report", "Meetings held")
    assert f"{title} {year}" in text and held in text
    assert "Nätverksmöte" in text  # the demo's meetings are named in Swedish
    with translation.override(language):
        gathered = gather(year)
    assert len(gathered.meetings) == 2
    assert gathered.decisions and gathered.project_count and gathered.member_institutions == 35
    for meeting in gathered.meetings:
        assert meeting.host in text


# --- The command --------------------------------------------------------------------------------


def test_command_writes_the_pdf_where_asked(tmp_path):
    year = make_year()
    target = tmp_path / "rapport.pdf"
    call_command("yearly_report", year=year.year, language="sv", output=str(target), stdout=io.StringIO())
    assert target.read_bytes().startswith(b"%PDF-")
    assert f"Årsrapport {year.year}" in pdf_text(target.read_bytes())


@pytest.mark.parametrize(
    "year_offset,language,message",
    [
        (1, "sv", "has not begun yet"),
        (-60, "en", "There is nothing to report for"),
        (0, "de", "is not a language of the report"),
    ],
)
def test_command_refuses_bad_input_with_one_line(year_offset, language, message):
    make_year()
    year = timezone.localdate().year + year_offset
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("yearly_report", year=year, language=language, stdout=io.StringIO())
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not YearlyReport.objects.exists()


def test_command_exits_non_zero_on_bad_input(capsys):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "yearly_report", "--year", "2999", "--language", "sv"])
    with pytest.raises(SystemExit) as exited:
        utility.execute()
    assert exited.value.code != 0
    assert "2999" in capsys.readouterr().err


# --- The page and its background generation -----------------------------------------------------


def test_staff_generates_a_report_in_the_background_and_downloads_it(staff_client, django_capture_on_commit_callbacks):
    year = make_year()
    url = reverse("projects:yearly_report")
    page = staff_client.get(url)
    assert "Generate" in page.content.decode() or "Skapa" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(url, {"year": year.year, "language": "en"})
    assert response.status_code == 302
    assert len(callbacks) == 1  # the task is handed to the broker after commit (eager in tests)
    report = YearlyReport.objects.get()
    assert report.state == YearlyReport.State.DONE and report.requested_by is not None
    html = staff_client.get(url).content.decode()
    assert report.pdf_url in html and report.docx_url in html
    download = staff_client.get(report.pdf_url)
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="kloss-net-yearly-report-{year.year}-en.pdf"' in download["Content-Disposition"]
    assert "Yearly report" in pdf_text(b"".join(download.streaming_content))
    word = staff_client.get(report.docx_url)
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")


def test_page_shows_a_report_being_generated(staff_client, django_capture_on_commit_callbacks):
    year = make_year()
    with django_capture_on_commit_callbacks(execute=False):  # the broker has not run it yet
        staff_client.post(reverse("projects:yearly_report"), {"year": year.year, "language": "sv"})
    html = staff_client.get(reverse("projects:yearly_report")).content.decode()
    assert "data-pending" in html
    assert "Väntar på att skapas" in html
    # Asking again meanwhile is refused in words, and the form keeps what was chosen.
    again = staff_client.post(reverse("projects:yearly_report"), {"year": year.year, "language": "sv"})
    assert again.status_code == 200
    assert "redan" in again.content.decode()  # "håller redan på att skapas"
    assert YearlyReport.objects.count() == 1


def test_a_stuck_request_can_be_asked_for_again():
    year = make_year()
    stuck = YearlyReport.objects.create(year=year.year, language="sv")
    YearlyReport.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    fresh = build(year.year, "sv")
    stuck.refresh_from_db()
    assert stuck.state == YearlyReport.State.FAILED and fresh.pk != stuck.pk


def test_page_says_when_a_request_did_not_finish(staff_client):
    year = make_year()
    stuck = YearlyReport.objects.create(year=year.year, language="en", state=YearlyReport.State.RUNNING)
    YearlyReport.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    html = staff_client.get(reverse("projects:yearly_report")).content.decode()
    assert "ask for it again" in html or "beställ den igen" in html
    assert "data-pending" not in html  # the page does not wait for it


def test_a_message_delivered_twice_builds_once():
    year = make_year()
    report = YearlyReport.objects.create(year=year.year, language="en")
    assert services.yearly_report_build(report_id=report.pk).state == YearlyReport.State.DONE
    assert services.yearly_report_build(report_id=report.pk) is None
    assert services.yearly_report_build(report_id=report.pk + 1000) is None


def test_page_refuses_a_future_year_in_words(staff_client):
    make_year()
    response = staff_client.post(reverse("projects:yearly_report"), {"year": 2999, "language": "sv"})
    assert response.status_code == 200
    assert "2999" in response.content.decode()  # not among the choices: the form says so
    assert not YearlyReport.objects.exists()


def test_steering_group_member_may_generate_and_download(client):
    year = make_year()
    member = MemberFactory()
    SteeringGroupSeatFactory(member=member)
    report = build(year.year, "sv")
    client.force_login(member.user)
    assert client.get(reverse("projects:yearly_report")).status_code == 200
    assert client.get(report.pdf_url).status_code == 200


def test_steering_group_member_whose_seat_ended_may_not(client):
    year = make_year()
    member = MemberFactory()
    SteeringGroupSeatFactory(member=member, starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2020, 12, 31))
    report = build(year.year, "sv")
    client.force_login(member.user)
    assert client.get(reverse("projects:yearly_report")).status_code == 403
    assert client.get(report.pdf_url).status_code == 404


def test_reporting_rounds_link_to_the_report_for_those_who_may_only(staff_client, member):
    url = reverse("projects:yearly_report")
    assert url in staff_client.get(reverse("projects:round_list")).content.decode()
    staff_client.force_login(member.user)
    assert url not in staff_client.get(reverse("projects:round_list")).content.decode()


# --- Queries ------------------------------------------------------------------------------------


def grow(year: int, n: int) -> None:
    """n more of everything the report counts in the year: meetings (other gatherings: the network's
    spring and autumn slots are taken), their people and decisions, projects, outputs, uptake."""
    from meetings.models import Decision, Meeting
    from meetings.tests.factories import STOCKHOLM, AttendanceFactory, MeetingFactory, ThemeFactory
    from network.tests.factories import InstitutionFactory
    from projects.models import Output, Uptake
    from projects.tests.factories import OutputFactory, ProjectFactory

    for i in range(n):
        institution = InstitutionFactory()
        start = datetime.datetime(year, 5, 1 + i % 28, 10, tzinfo=STOCKHOLM)
        meeting = MeetingFactory(
            kind=Meeting.Kind.OTHER,
            year=year,
            host=institution,
            status=Meeting.Status.HELD,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
        )
        AttendanceFactory(meeting=meeting, member=MemberFactory(institution=institution), attended=True)
        Decision.objects.create(meeting=meeting, text_sv=f"Beslut {i}")
        project = ProjectFactory(theme=ThemeFactory(), lead_institution=institution, starts_on=start.date())
        output = OutputFactory(project=project, type=Output.Type.ARTICLE, year=year)
        Uptake.objects.create(
            institution=institution,
            project=project,
            output=output,
            level=Uptake.Level.TRIED,
            description="Prövat",
            starts_on=start.date(),
        )


def test_gathering_a_year_costs_the_same_queries_at_two_sizes():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year = make_year()
    grow(year.year, 2)
    with CaptureQueriesContext(connection) as small:
        small_data = gather(year.year)
    grow(year.year, 20)
    with CaptureQueriesContext(connection) as large:
        large_data = gather(year.year)
    assert len(large_data.meetings) == len(small_data.meetings) + 20
    assert large_data.uptake.records == small_data.uptake.records + 20
    print(f"gather: {len(small)} queries at {len(small_data.meetings)} meetings, {len(large)} at 23")
    assert len(small) == len(large)
    assert len(large) <= 15
