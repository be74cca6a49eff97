"""Reads used by more than one caller (views, the admin, the reminders app), with their joins."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from meetings.models import Theme
from network.models import Institution, Member

from .fragments import DASHBOARD_FIGURES, ROUNDS_AROUND
from .models import Output, Participation, Project, Report, ReportingRound, Uptake


def project_list() -> QuerySet[Project]:
    return Project.objects.select_related("theme", "lead_institution").prefetch_related("institutions")


def project_detail() -> QuerySet[Project]:
    """The project page's own row; its lists are `project_parts` (read when the page is built)."""
    return Project.objects.select_related("theme", "lead_institution")


def project_parts(project: Project) -> dict[str, Callable[[], QuerySet]]:
    """The lists of the project page, as callables of one query each: the template calls them only
    when it builds the page's fragments (projects/project_detail.html)."""
    return {
        "institutions": lambda: project.institutions.all(),
        "participants": lambda: project.participations.select_related("member__user", "member__institution"),
        "partners": lambda: project.partners.all(),
        "links": lambda: project.links.all(),
        "reports": lambda: project.reports.select_related("round").order_by("-round__deadline"),
        "outputs": lambda: project.outputs.select_related("spin_out"),
        "spun_out_from": lambda: project.spun_out_from.select_related("project"),
        "uptakes": lambda: list(uptakes_of_project(project)),
    }


def projects_of_institution(institution: Institution) -> QuerySet[Project]:
    # A subquery, not a join: no DISTINCT over every project (2 ms at K=10, bench/explain.py).
    taking_part = Project.institutions.through.objects.filter(institution=institution).values("project_id")
    return (
        Project.objects.filter(Q(lead_institution=institution) | Q(pk__in=taking_part))
        .select_related("theme", "lead_institution")
        .order_by("title")
    )


def projects_of_member(member: Member) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(member=member)
        .select_related("project", "project__theme")
        .order_by("project__title")
    )


def outputs_catalogue() -> QuerySet[Output]:
    return Output.objects.select_related("project", "project__theme", "project__lead_institution", "spin_out")


# --- Reports owed: what the overview shows and the reminders use --------------------------------


@dataclass
class OwedReport:
    """One project's report in one round that is not submitted yet."""

    round: ReportingRound
    project: Project
    report: Report | None  # a draft, or None when nobody started one
    coordinators: list[Member] = field(default_factory=list)

    @property
    def due_on(self) -> datetime.date:
        return self.round.deadline

    @property
    def is_overdue(self) -> bool:
        return timezone.localdate() > self.round.deadline


def _rounds_around(on: datetime.date) -> QuerySet[ReportingRound]:
    return ReportingRound.objects.filter(
        deadline__gte=on - datetime.timedelta(days=60), deadline__lte=on + datetime.timedelta(days=60)
    )


def reports_owed(
    *, rounds: QuerySet[ReportingRound] | None = None, on: datetime.date | None = None
) -> list[OwedReport]:
    """Every (round, active project) pair without a submitted report.

    `rounds` defaults to the rounds whose deadline is within 60 days of `on` (today) in either
    direction: due soon or recently overdue. Filter the result with `.is_overdue` for reminders.
    A constant number of queries whatever the number of rounds and projects.
    """
    on = on or timezone.localdate()
    if rounds is None:
        rounds = _rounds_around(on)
    rounds = list(rounds.select_related("meeting"))
    if not rounds:
        return []
    projects = list(
        Project.objects.active()
        .select_related("theme", "lead_institution")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(is_coordinator=True).select_related("member__user"),
                to_attr="coordinator_participations",
            )
        )
    )
    return _unsubmitted(rounds, projects, with_coordinators=True)


def reports_owed_by(participations: list[Participation], *, on: datetime.date | None = None) -> list[OwedReport]:
    """`reports_owed` for a member's own projects (her home page), from her participations (with
    their projects): the rounds around today (kept in the cache) and one query for their reports."""
    on = on or timezone.localdate()
    projects = [p.project for p in participations if p.project.status == Project.Status.ACTIVE]
    if not projects:
        return []
    # The cache holds today's rounds (its entries are built again each day): another day's are read.
    rounds = (
        ROUNDS_AROUND.cached(lambda: list(_rounds_around(on)))
        if on == timezone.localdate()
        else list(_rounds_around(on))
    )
    return _unsubmitted(rounds, projects) if rounds else []


def _unsubmitted(rounds: list[ReportingRound], projects: list[Project], *, with_coordinators=False) -> list[OwedReport]:
    """Each (round, project) pair whose report is not submitted (a draft or none): one query."""
    reports = {
        (r.round_id, r.project_id): r
        for r in Report.objects.filter(round__in=[r.pk for r in rounds], project__in=[p.pk for p in projects])
    }
    owed = []
    for round_ in rounds:
        for project in projects:
            report = reports.get((round_.pk, project.pk))
            if report is not None and report.is_submitted:
                continue
            coordinators = [p.member for p in project.coordinator_participations] if with_coordinators else []
            owed.append(OwedReport(round=round_, project=project, report=report, coordinators=coordinators))
    return owed


def overdue_reports_count(*, on: datetime.date | None = None) -> int:
    """How many reports `reports_owed` lists as overdue, counted in the database (the staff home)."""
    on = on or timezone.localdate()
    rounds = _rounds_around(on).filter(deadline__lt=on)
    owed = rounds.aggregate(
        n=Count("pk", distinct=True),
        submitted=Count(
            "reports",
            filter=Q(reports__state=Report.State.SUBMITTED, reports__project__status=Project.Status.ACTIVE),
        ),
    )
    return owed["n"] * Project.objects.active().count() - owed["submitted"] if owed["n"] else 0


def reports_due(*, on: datetime.date | None = None) -> list[OwedReport]:
    """Owed reports whose deadline has not passed yet."""
    return [o for o in reports_owed(on=on) if not o.is_overdue]


def reports_overdue(*, on: datetime.date | None = None) -> list[OwedReport]:
    return [o for o in reports_owed(on=on) if o.is_overdue]


# --- A round's overview -------------------------------------------------------------------------

REPORTED, LATE, DRAFT, MISSING = "reported", "late", "draft", "missing"


@dataclass
class RoundRow:
    project: Project
    report: Report | None
    state: str  # REPORTED, LATE (submitted after the deadline), DRAFT, MISSING


@dataclass
class RoundOverview:
    round: ReportingRound
    rows: list[RoundRow]
    by_institution: list[tuple[Institution, Counter]]
    by_theme: list[tuple[Theme, Counter]]
    totals: Counter


def round_overview(round_: ReportingRound) -> RoundOverview:
    """Every project that owes or gave a report in the round, with its state, counted per
    institution (lead and participating) and theme."""
    reports = {r.project_id: r for r in Report.objects.filter(round=round_).select_related("submitted_by")}
    projects = (
        Project.objects.filter(Q(status=Project.Status.ACTIVE) | Q(pk__in=list(reports)))
        .select_related("theme", "lead_institution")
        .prefetch_related("institutions")
        .order_by("title")
    )
    rows = []
    for project in projects:
        report = reports.get(project.pk)
        if report is None:
            state = MISSING
        elif not report.is_submitted:
            state = DRAFT
        else:
            report.round = round_
            state = LATE if report.is_late else REPORTED
        rows.append(RoundRow(project=project, report=report, state=state))
    per_institution: dict[int, Counter] = defaultdict(Counter)
    institutions: dict[int, Institution] = {}
    per_theme: dict[int, Counter] = defaultdict(Counter)
    themes: dict[int, Theme] = {}
    for row in rows:
        for institution in {row.project.lead_institution, *row.project.institutions.all()}:
            institutions[institution.pk] = institution
            per_institution[institution.pk][row.state] += 1
        themes[row.project.theme_id] = row.project.theme
        per_theme[row.project.theme_id][row.state] += 1
    return RoundOverview(
        round=round_,
        rows=rows,
        by_institution=sorted(
            ((institutions[pk], c) for pk, c in per_institution.items()), key=lambda item: item[0].name
        ),
        by_theme=sorted(((themes[pk], c) for pk, c in per_theme.items()), key=lambda item: item[0].name),
        totals=Counter(row.state for row in rows),
    )


def round_submitted_reports(round_: ReportingRound) -> QuerySet[Report]:
    """The pre-read pack: every submitted report of the round, by theme and title."""
    return (
        Report.objects.filter(round=round_, state=Report.State.SUBMITTED)
        .select_related("project", "project__theme", "project__lead_institution", "submitted_by")
        .prefetch_related("project__institutions")
        .order_by("project__theme__name_sv", "project__title")
    )


# --- The dashboard ------------------------------------------------------------------------------


# A chart shows at most DASHBOARD_BARS bars, the largest; the others are summed in a last bar ("12
# other themes"). The punctuality chart shows the latest DASHBOARD_ROUNDS rounds (six years). At the
# network's real size (35 institutions, 18 themes, two rounds a year) every bar is shown; the bounds
# keep the page, and its cold build, from growing with the data.
DASHBOARD_BARS = 40
DASHBOARD_ROUNDS = 12


def _largest(rows: list[tuple[str, int]], other: Callable[[int], str]) -> list[tuple[str, int]]:
    """`rows` (largest first) cut to DASHBOARD_BARS bars, the rest summed in a last one."""
    if len(rows) <= DASHBOARD_BARS:
        return rows
    shown, rest = rows[: DASHBOARD_BARS - 1], rows[DASHBOARD_BARS - 1 :]
    return [*shown, (other(len(rest)), sum(n for _, n in rest))]


def _outputs_per_theme() -> list[tuple[int, int]]:
    """(theme id, outputs): counted per project from the index of outputs by project (an index-only
    scan, no hash of every output), then summed per theme over the projects."""
    output, project = Output._meta.db_table, Project._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.theme_id, SUM(c.n) FROM (SELECT project_id, COUNT(*) AS n FROM {output} GROUP BY project_id) c "
            f"JOIN {project} p ON p.id = c.project_id GROUP BY p.theme_id"
        )
        return [(theme, int(n)) for theme, n in cursor.fetchall()]


def _projects_per_institution() -> list[Institution]:
    """The institutions taking part in a project, each with `n`, how many, most first: counted from
    the index of the projects' through table by institution (an institution appears there once per
    project), not a join of every project with every institution."""
    through, institution = Project.institutions.through._meta.db_table, Institution._meta.db_table
    return list(
        Institution.objects.raw(
            f"SELECT i.id, i.name, i.short_name, c.n FROM (SELECT institution_id, COUNT(*) AS n FROM {through} "
            f"GROUP BY institution_id) c JOIN {institution} i ON i.id = c.institution_id ORDER BY c.n DESC, i.name"
        )
    )


def dashboard_figures_build() -> dict[str, list[tuple[str, int]]]:
    """Everything the dashboard charts, counted now: each a list of (label, value). Five queries, whatever the
    data: each aggregate is counted in the database (GROUP BY, COUNT FILTER); outputs per year and
    per type come from one scan of the outputs, the punctuality only from the latest rounds' reports."""
    themes = {t.pk: t.name for t in Theme.objects.only("name_sv", "name_en")}
    per_theme = _largest(
        sorted(((themes.get(theme, "?"), n) for theme, n in _outputs_per_theme()), key=lambda row: (-row[1], row[0])),
        lambda n: ngettext("%(n)d other theme", "%(n)d other themes", n) % {"n": n},
    )
    years: Counter = Counter()
    types: Counter = Counter()
    for row in Output.objects.values("year", "type").annotate(n=Count("*")).order_by("year", "type"):
        years[row["year"]] += row["n"]
        types[row["type"]] += row["n"]
    per_year = [(str(year), n) for year, n in sorted(years.items())]
    type_labels = dict(Output.Type.choices)
    per_type = sorted(((str(type_labels.get(t, t)), n) for t, n in types.items()), key=lambda item: (-item[1], item[0]))
    per_institution = _largest(
        [(i.display_short, i.n) for i in _projects_per_institution()],
        lambda n: ngettext("%(n)d other institution", "%(n)d other institutions", n) % {"n": n},
    )
    latest = ReportingRound.objects.order_by("-deadline", "-pk").values("pk")[:DASHBOARD_ROUNDS]
    punctuality = [
        (str(round_), round_.on_time, round_.submitted - round_.on_time)
        for round_ in ReportingRound.objects.filter(pk__in=latest)
        .order_by("deadline", "pk")
        .annotate(
            submitted=Count("reports", filter=Q(reports__state=Report.State.SUBMITTED)),
            on_time=Count(
                "reports",
                filter=Q(reports__state=Report.State.SUBMITTED, reports__submitted_at__date__lte=F("deadline")),
            ),
        )
    ]
    return {
        "per_theme": per_theme,
        "per_year": per_year,
        "per_type": per_type,
        "per_institution": per_institution,
        "punctuality": punctuality,
    }


def dashboard_figures() -> dict[str, list[tuple[str, int]]]:
    """`dashboard_figures_build()` from the cache, per language (the labels are translated): no query
    at all until an output, a project, its institutions or participants, a report's state, a round,
    a theme or an institution changes through a service or the admin (they bump `dashboard`,
    `themes`, `institutions`: projects/fragments.py); then counted again, five queries. A write
    that bypasses them (a bulk insert, the shell) shows when the figures expire
    (DASHBOARD_FIGURES.seconds), or at once after `cache.changed(row)` or `cache.clear_all()`."""
    return DASHBOARD_FIGURES.cached(dashboard_figures_build)


def registered_outputs_since_previous_round(round_: ReportingRound, project_ids) -> dict[int, list[Output]]:
    """Outputs registered in the catalogue since the previous round's deadline, per project: shown
    beside each report's own "outputs since the last report". One query."""
    previous = ReportingRound.objects.filter(deadline__lt=round_.deadline).order_by("-deadline").first()
    outputs = Output.objects.filter(project_id__in=list(project_ids)).order_by("-year", "title")
    if previous is not None:
        outputs = outputs.filter(created_at__date__gt=previous.deadline)
    by_project: dict[int, list[Output]] = defaultdict(list)
    for output in outputs:
        by_project[output.project_id].append(output)
    return by_project


# --- Uptake: what the institutions did with the results ----------------------------------------


def uptake_list() -> QuerySet[Uptake]:
    """Every uptake record with what its lists show (institution, project, theme, output): one query."""
    return Uptake.objects.select_related("institution", "project", "project__theme", "output")


def uptakes_of_project(project: Project) -> QuerySet[Uptake]:
    """Where the project's results were taken up: the project as a whole and each of its outputs."""
    return uptake_list().filter(project=project).order_by("institution__name", "output__title", "pk")


def uptakes_of_output(output: Output) -> QuerySet[Uptake]:
    return uptake_list().filter(output=output).order_by("institution__name", "pk")


def uptakes_of_institution(institution: Institution) -> QuerySet[Uptake]:
    """What the institution took up, the latest first (its page, network/panels.py)."""
    return uptake_list().filter(institution=institution).order_by("-starts_on", "pk")


def uptake_round_open(*, on: datetime.date | None = None) -> ReportingRound | None:
    """The open round that asks every institution for its uptake (the one due first), or None: an
    uptake recorded or followed up now answers it."""
    on = on or timezone.localdate()
    return ReportingRound.objects.filter(asks_uptake=True, deadline__gte=on).order_by("deadline", "pk").first()


@dataclass
class UptakeAnswers:
    """Who has answered a round's question about uptake: member institutions with and without a
    record made or followed up in the round."""

    round: ReportingRound
    answered: list[Institution]
    not_answered: list[Institution]

    @property
    def total(self) -> int:
        return len(self.answered) + len(self.not_answered)


def uptake_answers(round_: ReportingRound) -> UptakeAnswers:
    """The member institutions (on the round's deadline) that have answered the round and those that
    have not. Two queries."""
    institutions = list(Institution.objects.current_members(on=min(round_.deadline, timezone.localdate())))
    answered_ids = set(Uptake.objects.filter(round=round_).values_list("institution_id", flat=True))
    return UptakeAnswers(
        round=round_,
        answered=[i for i in institutions if i.pk in answered_ids],
        not_answered=[i for i in institutions if i.pk not in answered_ids],
    )
