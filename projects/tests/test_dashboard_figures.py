"""The dashboard's figures (issue 15): the same as the plain ORM aggregates they replace on a known
data set, bounded in bars and rounds, and a constant number of queries as the data grows."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting, Theme
from meetings.selectors import participation_register, participation_summary
from meetings.tests.factories import AttendanceFactory, ScheduledMeetingFactory, in_days
from network import cache
from network.models import Institution
from network.tests.factories import InstitutionFactory
from projects import selectors
from projects.models import Output, Report, ReportingRound
from projects.tests.factories import OutputFactory, ProjectFactory, ReportFactory, RoundFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def reference_figures() -> dict:
    """The figures as the dashboard counted them before issue 15 (every row, every round)."""
    themes = {t.pk: t.name for t in Theme.objects.all()}
    type_labels = dict(Output.Type.choices)
    return {
        "per_theme": sorted(
            (
                (themes[row["project__theme"]], row["n"])
                for row in Output.objects.values("project__theme").annotate(n=Count("id"))
            ),
            key=lambda row: (-row[1], row[0]),
        ),
        "per_year": [
            (str(r["year"]), r["n"]) for r in Output.objects.values("year").annotate(n=Count("id")).order_by("year")
        ],
        "per_type": sorted(
            ((str(type_labels[r["type"]]), r["n"]) for r in Output.objects.values("type").annotate(n=Count("id"))),
            key=lambda row: (-row[1], row[0]),
        ),
        "per_institution": [
            (i.display_short, i.n)
            for i in Institution.objects.annotate(n=Count("projects", distinct=True))
            .filter(n__gt=0)
            .order_by("-n", "name")
        ],
        "punctuality": [
            (str(r), r.on_time, r.submitted - r.on_time)
            for r in ReportingRound.objects.order_by("deadline", "pk").annotate(
                submitted=Count("reports", filter=Q(reports__state=Report.State.SUBMITTED)),
                on_time=Count(
                    "reports",
                    filter=Q(reports__state=Report.State.SUBMITTED, reports__submitted_at__date__lte=F("deadline")),
                ),
            )
        ],
    }


def submitted(round_, project, *, days_late: int) -> Report:
    at = datetime.datetime.combine(round_.deadline + datetime.timedelta(days=days_late), datetime.time(12))
    return ReportFactory(
        round=round_, project=project, state=Report.State.SUBMITTED, submitted_at=timezone.make_aware(at)
    )


def known_network(size: int = 1) -> None:
    """Themes, institutions (lead and taking part), outputs of every type over years, and rounds
    with reports on time, late and in draft: `size` times."""
    for s in range(size):
        institutions = [InstitutionFactory() for _ in range(4)]
        themes = [ThemeFactory() for _ in range(3)]
        projects = [
            ProjectFactory(
                theme=themes[i % 3], lead_institution=institutions[i % 4], institutions=institutions[: i % 3]
            )
            for i in range(6)
        ]
        types = list(Output.Type.values)
        for i, project in enumerate(projects):
            for j in range(i + 1):
                OutputFactory(project=project, year=2019 + (i + j) % 5, type=types[(i * 2 + j) % len(types)])
        for r in range(2):
            round_ = RoundFactory(deadline=datetime.date(2024, 3 + 6 * r, 1 + s))
            for i, project in enumerate(projects):
                if i % 3 == 0:
                    submitted(round_, project, days_late=0)
                elif i % 3 == 1:
                    submitted(round_, project, days_late=3 + r)
                else:
                    ReportFactory(round=round_, project=project)  # a draft counts nowhere


def test_figures_are_the_same_as_the_plain_aggregates_on_a_known_data_set():
    known_network()
    figures = selectors.dashboard_figures()
    assert figures == reference_figures()
    assert sum(n for _, n in figures["per_year"]) == Output.objects.count() == 21
    assert [(on_time, late) for _, on_time, late in figures["punctuality"]] == [(2, 2), (2, 2)]


def test_a_chart_shows_at_most_forty_bars_the_rest_summed_in_one(monkeypatch):
    monkeypatch.setattr(selectors, "DASHBOARD_BARS", 4)
    known_network(size=2)  # 8 institutions take part, 6 themes
    reference, figures = reference_figures(), selectors.dashboard_figures()
    for name in ("per_institution", "per_theme"):
        full, shown = reference[name], figures[name]
        assert len(full) > 4 and len(shown) == 4
        assert shown[:3] == full[:3]
        assert shown[3][1] == sum(n for _, n in full[3:])
    others = len(reference["per_institution"]) - 3
    assert figures["per_institution"][3][0].startswith(f"{others} ")  # "5 other institutions"
    assert sum(n for _, n in figures["per_theme"]) == Output.objects.count()


def test_punctuality_shows_the_latest_twelve_rounds():
    project = ProjectFactory()
    rounds = [RoundFactory(deadline=datetime.date(2010 + i // 2, 3 + 6 * (i % 2), 1)) for i in range(15)]
    for round_ in rounds:
        submitted(round_, project, days_late=0)
    shown = selectors.dashboard_figures()["punctuality"]
    assert [label for label, _, _ in shown] == [r.title for r in rounds[-12:]]
    assert all((on_time, late) == (1, 0) for _, on_time, late in shown)


def test_dashboard_builders_cost_the_same_queries_as_the_data_grows():
    def count(build) -> int:
        with CaptureQueriesContext(connection) as captured:
            build()
        return len(captured)

    def held_meeting(days_ago: int):
        meeting = ScheduledMeetingFactory(
            status=Meeting.Status.HELD, starts_at=in_days(-days_ago), ends_at=in_days(-days_ago, 15)
        )
        AttendanceFactory.create_batch(3, meeting=meeting)

    known_network()
    held_meeting(30)

    def counts() -> tuple[int, ...]:
        cache.clear_all()  # the rows above were written past the services
        return (
            count(selectors.dashboard_figures_build),
            count(participation_register),
            count(participation_summary),
            count(selectors.dashboard_figures),  # a rebuild: the 5 to count, kept in the cache
            count(selectors.dashboard_figures),  # fresh: from the cache, no query
        )

    small = counts()
    known_network(size=3)
    for days_ago in range(200, 2000, 180):
        held_meeting(days_ago)
    assert counts() == small == (5, 4, 3, 5, 0)
