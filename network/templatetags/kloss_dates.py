"""Date filters for every template (a builtin, see TEMPLATES in settings): network/language/dates.py."""

from django import template

from network.language import dates

register = template.Library()

register.filter("day", dates.day)
register.filter("weekday", dates.weekday)
register.filter("day_month", dates.day_month)
register.filter("clock", dates.clock)
register.filter("moment", dates.moment)
register.filter("span", dates.span)
register.filter("period", dates.period)
register.filter("clocks", dates.clocks)
register.filter("years", dates.years)
