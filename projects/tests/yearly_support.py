"""What the yearly report's tests share: a year of the network made with factories, and reading a
report back (the PDF's text with pypdf, its first page as a PNG with pypdfium2, the Word file's text)."""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdfium2
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import Attendance, Decision, Meeting
from meetings.tests.factories import STOCKHOLM, AttendanceFactory, MeetingFactory, ThemeFactory
from network.tests.factories import InstitutionFactory, MemberFactory
from projects.models import Output, Uptake
from projects.tests.factories import OutputFactory, ProjectFactory

RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"


@dataclass
class Year:
    year: int
    malmo: object
    orebro: object
    theme: object
    project: object
    output: object


def make_year(year: int | None = None, *, outputs: int = 1, uptakes: bool = True) -> Year:
    """A past year: a meeting hosted by Örebro universitet with people of both institutions, a
    decision in both languages, a project under a theme, its outputs dated to the year, and
    Malmö universitet's uptake of the first."""
    year = year or timezone.localdate().year - 1
    malmo = InstitutionFactory(name="Malmö universitet", name_en="Malmö University", short_name="MAU")
    orebro = InstitutionFactory(name="Örebro universitet", name_en="Örebro University", short_name="ORU")
    theme = ThemeFactory(name_sv="Samverkan i utbildningen", name_en="Collaboration in education")
    start = datetime.datetime(year, 10, 6, 10, tzinfo=STOCKHOLM)
    meeting = MeetingFactory(
        year=year,
        season=Meeting.Season.AUTUMN,
        host=orebro,
        status=Meeting.Status.MINUTES_PUBLISHED,
        title="Nätverksmöte i Örebro",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )
    for institution, attended in ((orebro, True), (orebro, True), (malmo, True), (malmo, False)):
        AttendanceFactory(
            meeting=meeting,
            member=MemberFactory(institution=institution),
            status=Attendance.Status.ATTENDING,
            attended=attended,
        )
    Decision.objects.create(
        meeting=meeting,
        position=1,
        text_sv="Nätverket ställer sig bakom den gemensamma uppföljningsmodellen.",
        text_en="The network endorses the shared follow-up model.",
        theme=theme,
    )
    project = ProjectFactory(
        theme=theme,
        title="Arbetsintegrerat lärande i alla program",
        lead_institution=orebro,
        starts_on=datetime.date(year - 1, 9, 1),
        ends_on=datetime.date(year + 1, 12, 31),
    )
    made = [
        OutputFactory(
            project=project,
            type=Output.Type.REPORT,
            title="Vägledning för praktik" if i == 0 else f"Delrapport {i}",
            authors="Åsa Öberg",
            year=year,
            doi="10.1234/kloss.2025.007" if i == 0 else "",
        )
        for i in range(outputs)
    ]
    if uptakes:
        Uptake.objects.create(
            institution=malmo,
            project=project,
            output=made[0],
            level=Uptake.Level.ADOPTED,
            description="Införd i lärarutbildningen.",
            starts_on=datetime.date(year, 2, 1),
        )
    return Year(year=year, malmo=malmo, orebro=orebro, theme=theme, project=project, output=made[0])


def pdf_text(data: bytes) -> str:
    """The text a reader sees, all pages, whitespace folded (a table cell may wrap)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def save_first_page(data: bytes, name: str) -> Path:
    """The PDF's first page as a PNG in test-results/ (kept with the test results by CI)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / name
    document = pypdfium2.PdfDocument(data)
    try:
        document[0].render(scale=1.5).to_pil().save(path)
    finally:
        document.close()
    return path


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return " ".join(" ".join(parts).split())
