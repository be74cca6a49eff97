"""Everything the yearly report says about one year, gathered into one plain structure that the PDF
and the Word file both render (nothing in it is a model: the renderers run no query).

Labels are in the language active while `gather` runs: the caller wraps it in
`translation.override(language)` (services.yearly_report_render). A constant number of queries,
whatever the number of meetings, projects, outputs and uptake records (tests/test_yearly_data.py).

What counts for a year (Europe/Stockholm):
- meetings: those open to all members (network meetings, other gatherings; not the steering group's
  own) that started in the year, before now, and were not cancelled; their decisions;
- attendance: those marked as having been there, or who registered when nobody marked the meeting;
- projects: those running at some time in the year (started by its end, not ended before its start);
- outputs: those dated to the year;
- uptake: records whose period overlaps the year;
- coverage: see `coverage_section`.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from meetings.models import Attendance, Decision, Meeting, Theme
from network.language import dates
from network.language.swedish import sort_key
from network.models import Institution

from ..models import Output, Project, Uptake


@dataclass
class MeetingRow:
    date: str
    title: str
    kind: str
    host: str
    format: str
    persons: int
    institutions: int


@dataclass
class InstitutionRow:
    """One member institution's year at the meetings."""

    name: str
    short: str
    meetings: int  # meetings at which it was represented
    persons: int  # attendances of its people, all meetings together
    hosted: int


@dataclass
class DecisionRow:
    meeting: str
    date: str
    text: str
    theme: str


@dataclass
class ProjectRow:
    title: str
    lead: str
    institutions: int  # lead and participating
    status: str
    period: str


@dataclass
class ThemeProjects:
    theme: str
    projects: list[ProjectRow]


@dataclass
class OutputRow:
    type: str
    title: str
    authors: str
    project: str
    reference: str  # DOI, ISBN or address, whichever it has


@dataclass
class UptakeRow:
    institution: str
    counts: list[int]  # per level, in UptakeSummary.levels' order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class UptakeSummary:
    levels: list[str]
    by_level: list[tuple[str, int]]
    by_institution: list[UptakeRow]
    records: int
    new: int  # records that started in the year
    results: int  # distinct results (outputs, or projects as a whole) taken up


# A coverage cell: the institution takes part in the theme's projects, has taken up its results, both, neither.
PARTICIPATES, TOOK_UP, BOTH, NEITHER = "participates", "took_up", "both", "neither"


@dataclass
class CoverageRow:
    institution: str
    short: str
    cells: list[str]  # per theme, in Coverage.themes' order: PARTICIPATES, TOOK_UP, BOTH or NEITHER


@dataclass
class Coverage:
    themes: list[str]
    rows: list[CoverageRow]

    def per_theme(self) -> list[tuple[str, int, int, int]]:
        """(theme, institutions taking part, institutions that only took up, neither)."""
        out = []
        for index, theme in enumerate(self.themes):
            cells = Counter(row.cells[index] for row in self.rows)
            out.append((theme, cells[PARTICIPATES] + cells[BOTH], cells[TOOK_UP], cells[NEITHER]))
        return out

    @property
    def gaps(self) -> int:
        return sum(cell == NEITHER for row in self.rows for cell in row.cells)

    @property
    def cells(self) -> int:
        return len(self.themes) * len(self.rows)

    @staticmethod
    def code(cell: str) -> str:
        """The cell's letters in the table (the legend explains them); not colour alone."""
        participates = pgettext("coverage cell: takes part in the theme's projects", "P")
        took_up = pgettext("coverage cell: has taken up the theme's results", "U")
        return {PARTICIPATES: participates, TOOK_UP: took_up, BOTH: f"{participates}{took_up}", NEITHER: "–"}[cell]


@dataclass
class YearlyData:
    year: int
    language: str
    generated_on: str
    until: str  # the last day covered: 31 December, or today in the current year
    is_partial: bool
    member_institutions: int
    meetings: list[MeetingRow]
    attendance: list[InstitutionRow]
    decisions: list[DecisionRow]
    themes: list[ThemeProjects]
    outputs: list[OutputRow]
    outputs_by_type: list[tuple[str, int]]
    uptake: UptakeSummary
    coverage: Coverage
    key_figures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def project_count(self) -> int:
        return sum(len(t.projects) for t in self.themes)

    @property
    def is_empty(self) -> bool:
        return not (self.meetings or self.project_count or self.outputs)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def institution_name(institution: Institution) -> str:
    if (get_language() or "sv").startswith("en") and institution.name_en:
        return institution.name_en
    return institution.name


def member_institutions(start: datetime.date, end: datetime.date) -> list[Institution]:
    """The institutions that were members at some time in the year, in Swedish order. One query."""
    rows = Institution.objects.filter(joined_on__isnull=False, joined_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=start)
    )
    return sorted(rows, key=lambda i: sort_key(i.name))


def running_projects(start: datetime.date, end: datetime.date):
    return Project.objects.filter(starts_on__lte=end).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))


# --- Sections -----------------------------------------------------------------------------------


def _meetings(start: datetime.date, end: datetime.date, institutions: list[Institution]):
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = min(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz), timezone.now()
    )
    meetings = list(
        Meeting.objects.open_to_all_members()
        .filter(starts_at__gte=since, starts_at__lt=until)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("host")
        .order_by("starts_at", "pk")
    )
    came = Q(attended=True) | Q(attended__isnull=True, status=Attendance.Status.ATTENDING)
    counts = (
        Attendance.objects.filter(came, meeting__in=[m.pk for m in meetings], member__institution__isnull=False)
        .values_list("meeting_id", "member__institution_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_meeting: dict[int, dict[int, int]] = defaultdict(dict)
    for meeting_id, institution_id, n in counts:
        per_meeting[meeting_id][institution_id] = n
    rows = [
        MeetingRow(
            date=dates.day(m.starts_at),
            title=m.display_title,
            kind=str(m.get_kind_display()),
            host=institution_name(m.host) if m.host else "",
            format=str(m.get_format_display()),
            persons=sum(per_meeting[m.pk].values()),
            institutions=len(per_meeting[m.pk]),
        )
        for m in meetings
    ]
    hosted = Counter(m.host_id for m in meetings if m.host_id)
    by_institution: dict[int, InstitutionRow] = {}
    known = {i.pk: i for i in institutions}
    known.update({m.host_id: m.host for m in meetings if m.host_id})
    for institution in known.values():
        by_institution[institution.pk] = InstitutionRow(
            name=institution_name(institution),
            short=institution.display_short,
            meetings=sum(1 for m in meetings if institution.pk in per_meeting[m.pk]),
            persons=sum(per_meeting[m.pk].get(institution.pk, 0) for m in meetings),
            hosted=hosted[institution.pk],
        )
    attendance = sorted(by_institution.values(), key=lambda row: sort_key(row.name))
    return meetings, rows, attendance


def _decisions(meetings: list[Meeting]) -> list[DecisionRow]:
    decisions = Decision.objects.filter(meeting__in=[m.pk for m in meetings]).select_related("theme", "meeting")
    by_pk = {m.pk: m for m in meetings}
    rows = sorted(decisions, key=lambda d: (by_pk[d.meeting_id].starts_at, d.position, d.pk))
    return [
        DecisionRow(
            meeting=by_pk[d.meeting_id].display_title,
            date=dates.day(by_pk[d.meeting_id].starts_at),
            text=d.text,
            theme=d.theme.name if d.theme else "",
        )
        for d in rows
    ]


def _projects(start: datetime.date, end: datetime.date) -> list[ThemeProjects]:
    projects = (
        running_projects(start, end)
        .select_related("theme", "lead_institution")
        # The lead may be listed among the participants too: counted once (lead + the others).
        .annotate(
            others=Count(
                "institutions",
                filter=Q(institutions__lt=F("lead_institution")) | Q(institutions__gt=F("lead_institution")),
            )
        )
        .order_by()
    )
    by_theme: dict[int, ThemeProjects] = {}
    for project in projects:
        group = by_theme.setdefault(project.theme_id, ThemeProjects(theme=project.theme.name, projects=[]))
        group.projects.append(
            ProjectRow(
                title=project.title,
                lead=project.lead_institution.display_short,
                institutions=project.others + 1,
                status=str(project.get_status_display()),
                period=dates.period(project.starts_on, project.ends_on),
            )
        )
    for group in by_theme.values():
        group.projects.sort(key=lambda p: sort_key(p.title))
    return sorted(by_theme.values(), key=lambda g: sort_key(g.theme))


def _outputs(year: int) -> tuple[list[OutputRow], list[tuple[str, int]]]:
    outputs = Output.objects.filter(year=year).select_related("project")
    rows = [
        OutputRow(
            type=str(o.get_type_display()),
            title=o.title,
            authors=o.authors,
            project=o.project.title,
            reference=(f"doi:{o.doi}" if o.doi else f"ISBN {o.isbn}" if o.isbn else o.url),
        )
        for o in outputs
    ]
    rows.sort(key=lambda r: (sort_key(r.type), sort_key(r.title)))
    by_type = Counter(r.type for r in rows)
    return rows, sorted(by_type.items(), key=lambda item: (-item[1], sort_key(item[0])))


def _uptake(start: datetime.date, end: datetime.date) -> UptakeSummary:
    records = list(
        Uptake.objects.filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .select_related("institution")
        .order_by()
    )
    levels = list(Uptake.Level)
    per_institution: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for record in records:
        counts = per_institution.setdefault(record.institution_id, [0] * len(levels))
        counts[levels.index(record.level)] += 1
        names[record.institution_id] = institution_name(record.institution)
    by_level = Counter(record.level for record in records)
    return UptakeSummary(
        levels=[str(level.label) for level in levels],
        by_level=[(str(level.label), by_level[level]) for level in levels],
        by_institution=sorted(
            (UptakeRow(institution=names[pk], counts=counts) for pk, counts in per_institution.items()),
            key=lambda row: (-row.total, sort_key(row.institution)),
        ),
        records=len(records),
        new=sum(1 for record in records if record.starts_on >= start),
        results=len({(record.project_id, record.output_id) for record in records}),
    )


def coverage_section(*, start: datetime.date, end: datetime.date, institutions: list[Institution]) -> Coverage:
    """Theme × institution for the year: does the institution take part in a project of the theme
    running in the year (as its lead or a participant), has it taken up a result of the theme (an
    uptake record of one of the theme's projects or their outputs, in force in the year), both, or
    neither. Rows are the year's member institutions, columns the accepted themes. Four queries.

    The uptake work (branch `uptake`) brings a shared coverage selector for the coverage page
    (`projects:coverage`); the lead may switch this function to it at merge: the report needs only
    the themes, the institutions and, per (theme, institution), one of the four cells."""
    themes = sorted(Theme.objects.accepted(), key=lambda t: sort_key(t.name))
    running = running_projects(start, end)
    taking_part = set(running.values_list("theme_id", "lead_institution_id").order_by())
    taking_part |= set(
        Project.institutions.through.objects.filter(project__in=running)
        .values_list("project__theme_id", "institution_id")
        .order_by()
    )
    took_up = set(
        Uptake.objects.filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values_list("project__theme_id", "institution_id")
        .order_by()
    )
    cell_of = {
        (True, True): BOTH,
        (True, False): PARTICIPATES,
        (False, True): TOOK_UP,
        (False, False): NEITHER,
    }
    rows = [
        CoverageRow(
            institution=institution_name(institution),
            short=institution.display_short,
            cells=[
                cell_of[(theme.pk, institution.pk) in taking_part, (theme.pk, institution.pk) in took_up]
                for theme in themes
            ],
        )
        for institution in institutions
    ]
    return Coverage(themes=[theme.name for theme in themes], rows=rows)


# --- The whole year -----------------------------------------------------------------------------


def gather(year: int) -> YearlyData:
    """The year's report data, labels in the active language. Reads only."""
    start, end = year_bounds(year)
    today = timezone.localdate()
    is_partial = end >= today
    institutions = member_institutions(start, end)
    meetings, meeting_rows, attendance = _meetings(start, end, institutions)
    decisions = _decisions(meetings)
    themes = _projects(start, end)
    outputs, outputs_by_type = _outputs(year)
    uptake = _uptake(start, end)
    coverage = coverage_section(start=start, end=end, institutions=institutions)
    data = YearlyData(
        year=year,
        language=(get_language() or "sv")[:2],
        generated_on=dates.day(today),
        until=dates.day(min(end, today)),
        is_partial=is_partial,
        member_institutions=len(institutions),
        meetings=meeting_rows,
        attendance=attendance,
        decisions=decisions,
        themes=themes,
        outputs=outputs,
        outputs_by_type=outputs_by_type,
        uptake=uptake,
        coverage=coverage,
    )
    represented = sum(1 for row in attendance if row.meetings)
    covered = coverage.cells - coverage.gaps
    data.key_figures = [
        (_("Meetings held"), str(len(meeting_rows))),
        (_("Institutions represented at a meeting"), f"{represented} / {len(institutions)}"),
        (_("Decisions"), str(len(decisions))),
        (_("Projects running"), str(data.project_count)),
        (_("Outputs"), str(len(outputs))),
        (_("Uptake records"), str(uptake.records)),
        (
            _("Theme × institution pairs with participation or uptake"),
            f"{covered} / {coverage.cells}" if coverage.cells else "0",
        ),
    ]
    return data
