"""One date format per language, for pages and emails alike (the `kloss_dates` template filters).

English "12 March 2027", "Friday 12 March 2027, 09:30–16:00"; Swedish as a Swedish authority writes
it: "12 mars 2027", "fredag 12 mars 2027, 09.30–16.00". The formats themselves live in
kloss_site/formats/<language>/formats.py (FORMAT_MODULE_PATH), so a bare `{{ date }}` agrees too.
Datetimes are shown in the site's time zone (Europe/Stockholm); the active language decides.
"""

import datetime

from django.utils import formats, timezone

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
        return f"{weekday(start)}, {clock(start)}–{clock(end)}"
    return f"{weekday(start)}, {clock(start)} – {weekday(end)}, {clock(end)}"
