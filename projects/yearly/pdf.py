"""The yearly report as a PDF (reportlab's platypus): a cover block with the key figures, then one
section per subject, each with its chart and its table. Everything it prints comes from the
`YearlyData` it is given; the labels of its own are translated in the active language."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from . import charts, fonts, texts
from .data import BOTH, NEITHER, PARTICIPATES, TOOK_UP, Coverage, YearlyData

MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#c8c8c8")
HEAD = colors.HexColor("#e8eef6")
CELL_COLOURS = {
    PARTICIPATES: colors.HexColor("#cfe0f5"),
    TOOK_UP: colors.HexColor("#d5ecd4"),
    BOTH: colors.HexColor("#9fc5e8"),
    NEITHER: colors.HexColor("#fbe3d6"),
}


def _styles() -> dict[str, ParagraphStyle]:
    font = fonts.register()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        # A section's opening sentence stays with the chart or table it introduces.
        "lead": ParagraphStyle("lead", parent=base, keepWithNext=1, spaceAfter=4),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=22, leading=27, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=15, spaceAfter=12),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=fonts.BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=14,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=fonts.BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(fonts.fit(str(text))), style)


def _table(
    header: list[str], rows: list[list], widths: list[float], styles, *, numeric_from: int | None = None
) -> Table:
    cell = styles["cell"]
    head = ParagraphStyle("head", parent=cell, fontName=fonts.BOLD)
    data = [[_p(h, head) for h in header]] + [[_p(v, cell) for v in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    table.setStyle(TableStyle(commands))
    return table


def _section(story: list, title: str, styles) -> None:
    story.append(CondPageBreak(6 * cm))
    story.append(_p(title, styles["h1"]))


def _empty(story: list, text: str, styles) -> None:
    story.append(_p(text, styles["body"]))


def _cover(story: list, data: YearlyData, styles) -> None:
    story.append(_p(texts.title(data), styles["title"]))
    story.append(_p(texts.subtitle(), styles["subtitle"]))
    story.append(_p(texts.covers(data), styles["body"]))
    story.append(Spacer(1, 8))
    story.append(
        _table(
            [_("Key figure"), _("Number")],
            [list(row) for row in data.key_figures],
            [WIDTH * 0.75, WIDTH * 0.25],
            styles,
        )
    )


def _meetings(story: list, data: YearlyData, styles) -> None:
    _section(story, _("Meetings held"), styles)
    if not data.meetings:
        _empty(story, texts.no_meetings(data), styles)
        return
    story.append(_p(texts.meetings_intro(data), styles["lead"]))
    rows = [[m.date, m.title, m.host or "–", m.format, m.persons, m.institutions] for m in data.meetings]
    header = [_("Date"), _("Meeting"), _("Host"), _("Format"), _("Persons"), _("Institutions")]
    story.append(_table(header, rows, [WIDTH * w for w in (0.15, 0.28, 0.19, 0.12, 0.12, 0.14)], styles))


def _attendance(story: list, data: YearlyData, styles) -> None:
    _section(story, _("Hosts and attendance per institution"), styles)
    if not data.attendance:
        _empty(story, _("No member institutions in this year."), styles)
        return
    story.append(_p(texts.attendance_intro(data), styles["lead"]))
    if data.meetings:
        # The chart shows the institutions that came, most first; the table below lists every one.
        came = sorted((row for row in data.attendance if row.persons), key=lambda row: -row.persons)
        chart_rows = [(row.short, row.persons) for row in came]
        story.append(charts.bars(_("Persons at the meetings, per institution represented"), chart_rows, width=WIDTH))
    rows = [[row.name, row.meetings, row.persons, row.hosted or "–"] for row in data.attendance]
    header = [_("Institution"), _("Meetings attended"), _("Persons"), _("Meetings hosted")]
    story.append(_table(header, rows, [WIDTH * w for w in (0.52, 0.16, 0.16, 0.16)], styles))


def _decisions(story: list, data: YearlyData, styles) -> None:
    _section(story, _("Decisions"), styles)
    if not data.decisions:
        _empty(story, _("No decisions were recorded at this year's meetings."), styles)
        return
    current = None
    items: list = []

    def flush():
        if items:
            story.append(ListFlowable(list(items), bulletType="1", bulletFontName=fonts.REGULAR, bulletFontSize=8.5))
            items.clear()

    for decision in data.decisions:
        if decision.meeting != current:
            flush()
            current = decision.meeting
            story.append(_p(f"{decision.meeting}, {decision.date}", styles["h2"]))
        text = decision.text + (f" ({_('theme')}: {decision.theme})" if decision.theme else "")
        items.append(ListItem(_p(text, styles["body"])))
    flush()


def _projects(story: list, data: YearlyData, styles) -> None:
    _section(story, _("Projects by theme"), styles)
    if not data.themes:
        _empty(story, _("No project was running in this year."), styles)
        return
    story.append(_p(texts.projects_intro(data), styles["lead"]))
    chart_rows = [(group.theme, len(group.projects)) for group in data.themes]
    story.append(charts.bars(_("Projects running, per theme"), chart_rows, width=WIDTH))
    # One table, the theme named on its first project's row (a rule above each theme's rows).
    lead = pgettext("yearly report: column of a project's lead institution", "Lead")
    header = [_("Theme"), _("Project"), lead, _("Institutions"), _("Status"), _("Period")]
    rows, starts = [], []
    for group in data.themes:
        starts.append(len(rows) + 1)
        for index, p in enumerate(group.projects):
            rows.append([group.theme if index == 0 else "", p.title, p.lead, p.institutions, p.status, p.period])
    table = _table(header, rows, [WIDTH * w for w in (0.21, 0.25, 0.11, 0.14, 0.11, 0.18)], styles)
    table.setStyle(
        TableStyle([("LINEABOVE", (0, row), (-1, row), 0.8, colors.HexColor("#8a8a8a")) for row in starts[1:]])
    )
    story.append(table)


def _outputs(story: list, data: YearlyData, styles) -> None:
    _section(story, _("Outputs"), styles)
    if not data.outputs:
        _empty(story, texts.no_outputs(data), styles)
        return
    story.append(_p(texts.outputs_intro(data), styles["lead"]))
    story.append(charts.bars(_("Outputs, per type"), data.outputs_by_type, width=WIDTH))
    rows = [[o.type, o.title, o.authors, o.project, o.reference] for o in data.outputs]
    header = [_("Type"), _("Title"), _("Authors"), _("Project"), _("DOI, ISBN or address")]
    story.append(_table(header, rows, [WIDTH * w for w in (0.12, 0.28, 0.17, 0.19, 0.24)], styles))


def _uptake(story: list, data: YearlyData, styles) -> None:
    _section(story, _("Uptake at the institutions"), styles)
    uptake = data.uptake
    if not uptake.records:
        _empty(story, texts.no_uptake(data), styles)
        return
    story.append(_p(texts.uptake_intro(data), styles["lead"]))
    story.append(charts.bars(_("Uptake records, per level"), uptake.by_level, width=WIDTH))
    rows = [[row.institution, *row.counts, row.total] for row in uptake.by_institution]
    header = [_("Institution"), *uptake.levels, _("Total")]
    share = 0.6 / (len(uptake.levels) + 1)
    story.append(_table(header, rows, [WIDTH * 0.4] + [WIDTH * share] * (len(uptake.levels) + 1), styles))


def _coverage_table(coverage: Coverage, styles) -> Table:
    cell = ParagraphStyle("cov", parent=styles["cell"], fontSize=6.5, leading=8, alignment=1)
    name = ParagraphStyle("covname", parent=styles["cell"], fontSize=6.5, leading=8)
    head = ParagraphStyle("covhead", parent=cell, fontName=fonts.BOLD)
    header = [_p(_("Institution"), ParagraphStyle("covh", parent=name, fontName=fonts.BOLD))]
    header += [_p(str(i), head) for i in range(1, len(coverage.themes) + 1)]
    data = [header]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for r, row in enumerate(coverage.rows, start=1):
        data.append([_p(row.short, name), *(_p(Coverage.code(c), cell) for c in row.cells)])
        for c, value in enumerate(row.cells, start=1):
            commands.append(("BACKGROUND", (c, r), (c, r), CELL_COLOURS[value]))
    first = WIDTH * 0.2
    other = (WIDTH - first) / max(len(coverage.themes), 1)
    table = Table(data, colWidths=[first] + [other] * len(coverage.themes), repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _coverage(story: list, data: YearlyData, styles) -> None:
    _section(story, _("Coverage: themes and institutions"), styles)
    coverage = data.coverage
    if not coverage.themes or not coverage.rows:
        _empty(story, _("No accepted themes or no member institutions in this year."), styles)
        return
    story.append(_p(texts.coverage_intro(data), styles["lead"]))
    story.append(
        charts.bars(
            _("Institutions per theme"),
            coverage.per_theme(),
            width=WIDTH,
            series=[_("take part"), _("only took up results"), _("neither")],
            colours=[charts.PALETTE[0], charts.PALETTE[3], charts.PALETTE[2]],
        )
    )
    story.append(Spacer(1, 6))
    story.append(
        KeepTogether([_p(texts.coverage_legend(), styles["small"]), Spacer(1, 4), _coverage_table(coverage, styles)])
    )
    story.append(Spacer(1, 6))
    story.append(_p(_("Themes"), styles["h2"]))
    story.append(
        ListFlowable(
            [ListItem(_p(theme, styles["small"])) for theme in coverage.themes],
            bulletType="1",
            bulletFontName=fonts.REGULAR,
            bulletFontSize=7.5,
        )
    )


def render_pdf(data: YearlyData) -> bytes:
    """The PDF's bytes. Reads nothing but `data`."""
    styles = _styles()
    buffer = io.BytesIO()
    title = texts.title(data)
    footer = fonts.fit(f"KLOSS-Net · {title}")

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 1.2 * cm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 1.2 * cm, texts.page(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=fonts.fit(title),
        author="KLOSS-Net",
        subject=fonts.fit(texts.subtitle()),
        creator="KLOSS-Net intranet",
        lang=data.language,
        displayDocTitle=1,
    )
    story: list = []
    _cover(story, data, styles)
    for section in (_meetings, _attendance, _decisions, _projects, _outputs, _uptake, _coverage):
        section(story, data, styles)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
