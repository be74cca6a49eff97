"""Coverage: which member institution takes part in which theme's projects, which has taken up its
results, and which has done neither (the gaps). One read, called by the coverage page, its CSV and
Excel exports, and whoever else needs the figures (the API, the yearly report): `coverage(...)`.

May import: Django, network and meetings models, this app's models. Writes nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from meetings.models import Theme
from network.models import Institution

from .models import Project, Uptake

# The levels from the least to the most (Uptake.Level is declared in that order): a cell shows the
# highest level any of the institution's records on the theme's results reached.
LEVELS: list[str] = list(Uptake.Level.values)

BOTH, PARTICIPATES, TAKEN_UP, NEITHER = "both", "participates", "taken_up", "neither"


@dataclass(frozen=True)
class Cell:
    """One institution in one theme."""

    participates: bool  # lead or participating institution of a project of the theme in the period
    level: str | None  # the highest Uptake.Level of its records on the theme's results, or None
    uptakes: int = 0  # how many records (the project as a whole and each output count apart)

    @property
    def state(self) -> str:
        """BOTH, PARTICIPATES, TAKEN_UP or NEITHER (a gap)."""
        if self.participates:
            return BOTH if self.level else PARTICIPATES
        return TAKEN_UP if self.level else NEITHER

    @property
    def is_gap(self) -> bool:
        return self.state == NEITHER

    @property
    def rank(self) -> int:
        """The level as a number, 1 (informed) to 4 (changed practice or policy); 0 without uptake."""
        return LEVELS.index(self.level) + 1 if self.level else 0

    @property
    def level_label(self) -> str:
        return str(Uptake.Level(self.level).label) if self.level else ""

    def describe(self) -> str:
        """The cell in words, translated (the table's text for screen readers, the exports)."""
        if self.state == BOTH:
            return _("Takes part; uptake: %(level)s") % {"level": self.level_label}
        if self.state == PARTICIPATES:
            return _("Takes part; no uptake recorded")
        if self.state == TAKEN_UP:
            return _("Does not take part; uptake: %(level)s") % {"level": self.level_label}
        return _("Neither takes part nor has taken up")


@dataclass
class CoverageRow:
    theme: Theme
    cells: list[Cell]  # in the order of Coverage.institutions

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell.is_gap)

    @property
    def participating(self) -> int:
        return sum(1 for cell in self.cells if cell.participates)

    @property
    def taken_up(self) -> int:
        return sum(1 for cell in self.cells if cell.level)

    @property
    def taken_up_only(self) -> int:
        """Institutions that took up the theme's results without taking part in its projects."""
        return sum(1 for cell in self.cells if cell.level and not cell.participates)


@dataclass
class Coverage:
    """Themes (rows) x institutions (columns). `rows[i].cells[j]` is institution j in theme i."""

    themes: list[Theme]
    institutions: list[Institution]
    rows: list[CoverageRow]
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    kind: str = ""
    _index: dict[tuple[int, int], Cell] = field(default_factory=dict, repr=False)

    def cell(self, theme: Theme | int, institution: Institution | int) -> Cell:
        theme_id = getattr(theme, "pk", theme)
        institution_id = getattr(institution, "pk", institution)
        return self._index[(theme_id, institution_id)]

    @property
    def gaps_per_institution(self) -> list[int]:
        """For each institution (in order), the number of themes in which it has done neither."""
        return [sum(1 for row in self.rows if row.cells[j].is_gap) for j in range(len(self.institutions))]

    @property
    def gaps(self) -> int:
        return sum(row.gaps for row in self.rows)

    def as_dict(self) -> dict:
        """A JSON-able copy: ids and names, and per theme a cell per institution id."""
        return {
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "kind": self.kind or None,
            "institutions": [
                {"id": i.pk, "name": i.name, "short_name": i.display_short, "kind": i.kind} for i in self.institutions
            ],
            "themes": [
                {
                    "id": row.theme.pk,
                    "name_sv": row.theme.name_sv,
                    "name_en": row.theme.name_en,
                    "cells": {
                        str(institution.pk): {"participates": cell.participates, "level": cell.level}
                        for institution, cell in zip(self.institutions, row.cells, strict=True)
                    },
                }
                for row in self.rows
            ],
        }


def _institutions(starts_on, ends_on, kind: str):
    """Member institutions at some moment of the period (today's members without one)."""
    if starts_on is None and ends_on is None:
        queryset = Institution.objects.current_members()
    else:
        queryset = Institution.objects.filter(joined_on__isnull=False)
        if ends_on is not None:
            queryset = queryset.filter(joined_on__lte=ends_on)
        if starts_on is not None:
            queryset = queryset.filter(Q(left_on__isnull=True) | Q(left_on__gt=starts_on))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("name")


def _overlapping(starts_on, ends_on, *, start_field: str, end_field: str) -> Q:
    """Runs at some moment of the period: started by its end, not ended before its start."""
    condition = Q()
    if ends_on is not None:
        condition &= Q(**{f"{start_field}__lte": ends_on})
    if starts_on is not None:
        condition &= Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": starts_on})
    return condition


def coverage(
    *, starts_on: datetime.date | None = None, ends_on: datetime.date | None = None, kind: str = ""
) -> Coverage:
    """The coverage table for a period and a kind of institution (network.Institution.Kind, "" for all).

    - rows: the accepted themes (meetings.Theme), in Swedish name order; columns: the institutions that
      were members at some moment of the period (today's members without a period), by name;
    - a cell's `participates`: the institution leads or takes part in a project of the theme that runs
      at some moment of the period (any status: a planned project's institutions have committed);
    - a cell's `level`: the highest level of the institution's uptake records of the theme's results
      (a project as a whole or one of its outputs) whose period overlaps the period; None without one.
    Five queries, whatever the number of themes, institutions, projects and records.
    """
    themes = list(Theme.objects.accepted().order_by("name_sv"))
    members = _institutions(starts_on, ends_on, kind)
    institutions = list(members)
    institution_ids = members.values("pk")  # a subquery: no list of ids sent back to the database
    projects = Project.objects.filter(_overlapping(starts_on, ends_on, start_field="starts_on", end_field="ends_on"))
    # Lead institutions are participating institutions too (projects.services.project_create); the
    # through table alone answers, with a subquery of the projects in the period.
    taking_part = set(
        Project.institutions.through.objects.filter(
            project__in=projects.values("pk"), institution_id__in=institution_ids
        )
        .values_list("project__theme_id", "institution_id")
        .distinct()
    )
    taking_part |= set(
        projects.filter(lead_institution_id__in=institution_ids).values_list("theme_id", "lead_institution_id")
    )
    levels: dict[tuple[int, int], str] = {}
    counts: dict[tuple[int, int], int] = defaultdict(int)
    uptakes = (
        Uptake.objects.filter(_overlapping(starts_on, ends_on, start_field="starts_on", end_field="ends_on"))
        .filter(institution_id__in=institution_ids)
        .order_by()
        .values_list("project__theme_id", "institution_id", "level")
        .annotate(n=Count("pk"))
    )
    for theme_id, institution_id, level, n in uptakes:
        key = (theme_id, institution_id)
        counts[key] += n
        if key not in levels or LEVELS.index(level) > LEVELS.index(levels[key]):
            levels[key] = level
    index: dict[tuple[int, int], Cell] = {}
    rows = []
    for theme in themes:
        cells = []
        for institution in institutions:
            key = (theme.pk, institution.pk)
            cell = Cell(participates=key in taking_part, level=levels.get(key), uptakes=counts.get(key, 0))
            index[key] = cell
            cells.append(cell)
        rows.append(CoverageRow(theme=theme, cells=cells))
    return Coverage(
        themes=themes,
        institutions=institutions,
        rows=rows,
        starts_on=starts_on,
        ends_on=ends_on,
        kind=kind,
        _index=index,
    )
