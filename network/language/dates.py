"""One date format per language, for pages and emails alike (the `kloss_dates` template filters).

English "12 March 2027", "Friday 12 March 2027, 09:30–16:00"; Swedish as a Swedish authority writes
it: "12 mars 2027", "fredag 12 mars 2027, 09.30–16.00". The formats themselves live in
kloss_site/formats/<language>/formats.py (FORMAT_MODULE_PATH), so a bare `{{ date }}` agrees too.
Datetimes are shown in the site's time zone (Europe/Stockholm); the active language decides.

Ranges have one rule, in both languages (the Swedish convention, Språkrådet; English house style
agrees): an en dash without spaces between simple ends ("09.30–16.00", "2017–2018"), with a space on
each side when either end contains a space ("8 mars 2017 – 31 december 2018", "fredag 12 mars 2027,
09.30 – lördag 13 mars 2027, 15.00"). Every range is joined by `dash()`, through the filters `|span`
(a meeting's time), `|period` (from a date to a date, or "ongoing"), `|clocks` (an agenda item's
times) and `|years`; a template never writes a dash between two dates itself
(tests/test_date_ranges.py greps them).
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext

WEEKDAY_DATE = "l j F Y"


def _local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def day(value) -> str:
    """ "12 March 2027" / "12 mars 2027" (a datetime: its local date)."""
    if not value:
        return ""
    return formats.date_format(_local(value), "DATE_FORMAT")


def weekday(value) -> str:
    """ "Friday 12 March 2027" / "fredag 12 mars 2027"."""
    if not value:
        return ""
    return formats.date_format(_local(value), WEEKDAY_DATE)


def day_month(value) -> str:
    """ "12 March" / "12 mars": for subject lines, where the year is plain."""
    if not value:
        return ""
    return formats.date_format(_local(value), "MONTH_DAY_FORMAT")


def clock(value) -> str:
    """ "09:30" / "09.30"."""
    if not value:
        return ""
    return formats.time_format(_local(value), "TIME_FORMAT")


def moment(value) -> str:
    """ "12 March 2027, 09:30" / "12 mars 2027, 09.30"."""
    if not value:
        return ""
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def dash(start: str, end: str) -> str:
    """Two ends of a range, already in words: "09.30–16.00", but "8 mars 2017 – 31 december 2018"."""
    if " " in start.strip() or " " in end.strip():
        return f"{start} – {end}"
    return f"{start}–{end}"


def period(start, end=None) -> str:
    """From a date to a date: "8 March 2017 – 31 December 2018"; no end: "8 March 2017 – ongoing"."""
    if not start:
        return ""
    return dash(day(start), day(end) if end else gettext("ongoing"))


def clocks(start, end=None) -> str:
    """A time, or two on one day: "09:30–10:15" / "09.30–10.15"."""
    if not start:
        return ""
    return dash(clock(start), clock(end)) if end else clock(start)


def years(start, end=None) -> str:
    """The years of a term: "2017–2018" (one year once: "2027")."""
    if not start:
        return ""
    if not end or end.year == start.year:
        return str(start.year)
    return dash(str(start.year), str(end.year))


def span(start, end=None) -> str:
    """A meeting's time: its date once when it lasts one day ("Friday 12 March 2027, 09:30–16:00"),
    both ends otherwise ("Friday 12 March 2027, 09:30 – Saturday 13 March 2027, 15:00")."""
    if not start:
        return ""
    start = _local(start)
    if not end:
        return f"{weekday(start)}, {clock(start)}"
    end = _local(end)
    if start.date() == end.date():
        return f"{weekday(start)}, {dash(clock(start), clock(end))}"
    return dash(f"{weekday(start)}, {clock(start)}", f"{weekday(end)}, {clock(end)}")
