"""The yearly report as an editable Word file (python-docx), built from the same `YearlyData` as the
PDF: the same sections, sentences and tables, with real headings (Word's outline and a reader's
navigation follow them) and real tables with header rows. The charts are the PDF's: here the
figures they show are in the tables, which is what a secretariat edits before sending. The coverage
table has the same letters as the PDF's, without its colours (python-docx has no public way to shade
a cell)."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from . import texts
from .data import Coverage, YearlyData


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    document.add_paragraph()


def render_docx(data: YearlyData) -> bytes:
    """The Word file's bytes. Reads nothing but `data`."""
    document = Document()
    properties = document.core_properties
    properties.title = texts.title(data)
    properties.subject = texts.subtitle()
    properties.author = "KLOSS-Net"
    properties.language = "sv-SE" if data.language == "sv" else "en-GB"
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), properties.language)
    normal.element.rPr.append(language)

    document.add_heading(texts.title(data), level=0)
    document.add_paragraph(texts.subtitle())
    document.add_paragraph(texts.covers(data))
    _table(document, [_("Key figure"), _("Number")], [list(row) for row in data.key_figures])

    document.add_heading(_("Meetings held"), level=1)
    if data.meetings:
        document.add_paragraph(texts.meetings_intro(data))
        _table(
            document,
            [_("Date"), _("Meeting"), _("Host"), _("Format"), _("Persons"), _("Institutions")],
            [[m.date, m.title, m.host or "–", m.format, m.persons, m.institutions] for m in data.meetings],
        )
    else:
        document.add_paragraph(texts.no_meetings(data))

    document.add_heading(_("Hosts and attendance per institution"), level=1)
    if data.attendance:
        document.add_paragraph(texts.attendance_intro(data))
        _table(
            document,
            [_("Institution"), _("Meetings attended"), _("Persons"), _("Meetings hosted")],
            [[r.name, r.meetings, r.persons, r.hosted or "–"] for r in data.attendance],
        )
    else:
        document.add_paragraph(_("No member institutions in this year."))

    document.add_heading(_("Decisions"), level=1)
    if data.decisions:
        current = None
        for decision in data.decisions:
            if decision.meeting != current:
                current = decision.meeting
                document.add_heading(f"{decision.meeting}, {decision.date}", level=2)
            text = decision.text + (f" ({_('theme')}: {decision.theme})" if decision.theme else "")
            document.add_paragraph(text, style="List Bullet")
    else:
        document.add_paragraph(_("No decisions were recorded at this year's meetings."))

    document.add_heading(_("Projects by theme"), level=1)
    if data.themes:
        document.add_paragraph(texts.projects_intro(data))
        for group in data.themes:
            document.add_heading(group.theme, level=2)
            _table(
                document,
                [
                    _("Project"),
                    pgettext("yearly report: column of a project's lead institution", "Lead"),
                    _("Institutions"),
                    _("Status"),
                    _("Period"),
                ],
                [[p.title, p.lead, p.institutions, p.status, p.period] for p in group.projects],
            )
    else:
        document.add_paragraph(_("No project was running in this year."))

    document.add_heading(_("Outputs"), level=1)
    if data.outputs:
        document.add_paragraph(texts.outputs_intro(data))
        _table(document, [_("Type"), _("Number")], [list(row) for row in data.outputs_by_type])
        _table(
            document,
            [_("Type"), _("Title"), _("Authors"), _("Project"), _("DOI, ISBN or address")],
            [[o.type, o.title, o.authors, o.project, o.reference] for o in data.outputs],
        )
    else:
        document.add_paragraph(texts.no_outputs(data))

    document.add_heading(_("Uptake at the institutions"), level=1)
    uptake = data.uptake
    if uptake.records:
        document.add_paragraph(texts.uptake_intro(data))
        _table(document, [_("Level"), _("Number")], [list(row) for row in uptake.by_level])
        _table(
            document,
            [_("Institution"), *uptake.levels, _("Total")],
            [[r.institution, *r.counts, r.total] for r in uptake.by_institution],
        )
    else:
        document.add_paragraph(texts.no_uptake(data))

    document.add_heading(_("Coverage: themes and institutions"), level=1)
    coverage = data.coverage
    if coverage.themes and coverage.rows:
        document.add_paragraph(texts.coverage_intro(data))
        _table(
            document,
            [_("Theme"), _("take part"), _("only took up results"), _("neither")],
            [list(row) for row in coverage.per_theme()],
        )
        document.add_paragraph(texts.coverage_legend())
        table = document.add_table(rows=1, cols=len(coverage.themes) + 1)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = _("Institution")
        for i in range(len(coverage.themes)):
            table.rows[0].cells[i + 1].text = str(i + 1)
        for row in coverage.rows:
            cells = table.add_row().cells
            cells[0].text = row.short
            for cell, value in zip(cells[1:], row.cells, strict=True):
                cell.text = Coverage.code(value)
        document.add_paragraph()
        document.add_heading(_("Themes"), level=2)
        for number, theme in enumerate(coverage.themes, start=1):
            document.add_paragraph(f"{number}. {theme}")
    else:
        document.add_paragraph(_("No accepted themes or no member institutions in this year."))

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
