"""The sentences of the yearly report, once for both renderers (PDF and Word say the same), in the
active language."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .data import Coverage, YearlyData


def title(data: YearlyData) -> str:
    return _("Yearly report %(year)d") % {"year": data.year}


def subtitle() -> str:
    return _("KLOSS-Net, the Swedish national network of university leaders for collaboration with society")


def covers(data: YearlyData) -> str:
    if data.is_partial:
        text = _("The year so far: from 1 January to %(until)s. Generated on %(today)s from the network's intranet.")
    else:
        text = _("The whole year %(year)d. Generated on %(today)s from the network's intranet.")
    return text % {"until": data.until, "today": data.generated_on, "year": data.year}


def page(number: int) -> str:
    return _("page %(number)d") % {"number": number}


def no_meetings(data: YearlyData) -> str:
    return _("The network held no meetings in %(year)d.") % {"year": data.year}


def meetings_intro(data: YearlyData) -> str:
    n = len(data.meetings)
    return ngettext(
        "The network met once in %(year)d. Persons and institutions count those who were there.",
        "The network met %(n)d times in %(year)d. Persons and institutions count those who were there.",
        n,
    ) % {"n": n, "year": data.year}


def attendance_intro(data: YearlyData) -> str:
    represented = sum(1 for row in data.attendance if row.meetings)
    return ngettext(
        "%(represented)d of the %(members)d member institution was represented at a meeting of the year.",
        "%(represented)d of the %(members)d member institutions were represented at a meeting of the year.",
        data.member_institutions,
    ) % {"represented": represented, "members": data.member_institutions}


def projects_intro(data: YearlyData) -> str:
    n = data.project_count
    return ngettext(
        "%(n)d project was running in %(year)d, under %(themes)d theme(s).",
        "%(n)d projects were running in %(year)d, under %(themes)d theme(s).",
        n,
    ) % {"n": n, "year": data.year, "themes": len(data.themes)}


def no_outputs(data: YearlyData) -> str:
    return _("No output is dated %(year)d.") % {"year": data.year}


def outputs_intro(data: YearlyData) -> str:
    n = len(data.outputs)
    return ngettext(
        "%(n)d output of the network's projects is dated %(year)d.",
        "%(n)d outputs of the network's projects are dated %(year)d.",
        n,
    ) % {"n": n, "year": data.year}


def no_uptake(data: YearlyData) -> str:
    return _("No institution recorded uptake of a shared result in force in %(year)d.") % {"year": data.year}


def uptake_intro(data: YearlyData) -> str:
    uptake = data.uptake
    return ngettext(
        "%(records)d record of uptake was in force in %(year)d (%(new)d of them new), at %(institutions)d "
        "institution(s), of %(results)d shared result(s).",
        "%(records)d records of uptake were in force in %(year)d (%(new)d of them new), at %(institutions)d "
        "institution(s), of %(results)d shared result(s).",
        uptake.records,
    ) % {
        "records": uptake.records,
        "year": data.year,
        "new": uptake.new,
        "institutions": len(uptake.by_institution),
        "results": uptake.results,
    }


def coverage_intro(data: YearlyData) -> str:
    coverage = data.coverage
    return _(
        "For each accepted theme and each member institution: does the institution take part in a project "
        "of the theme running in %(year)d, has it taken up a result of the theme, both, or neither? "
        "%(gaps)d of %(cells)d pairs are gaps (neither)."
    ) % {"year": data.year, "gaps": coverage.gaps, "cells": coverage.cells}


def coverage_legend() -> str:
    code = Coverage.code
    return _(
        "%(p)s = takes part in the theme's projects; %(u)s = has taken up the theme's results; "
        "%(both)s = both; – = neither. The themes' numbers are listed after the table."
    ) % {"p": code("participates"), "u": code("took_up"), "both": code("both")}
