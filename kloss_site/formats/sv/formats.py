"""Swedish date formats as a Swedish authority writes them (Myndigheternas skrivregler, Språkrådet):
"12 mars 2027", "fredag 12 mars 2027", the time with a full stop: "09.30", a span "09.30–16.00".
Used by `{{ value|date }}`, by a bare `{{ date }}` and by network/language/dates.py (pages and emails)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H.i"
FIRST_DAY_OF_WEEK = 1
# Parsing (forms) as Django's own Swedish formats.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
