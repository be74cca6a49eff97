"""Every spreadsheet the site hands out (CSV and Excel) goes through here, so that a member's own text
can never run as a formula when the file is opened (OWASP "CSV injection").

A text cell that begins with = + - @, a tab or a carriage return gets a leading apostrophe, which
spreadsheets read as "this is text". A number stays a number: an int or a Decimal is left alone, and so
is text that is nothing but a number ("-5", "+46", "3,5"), which a spreadsheet reads as that number and
never as a formula.

django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT does not fit (4.4): it removes a
leading "=" instead of marking the cell as text, ignores + - @ tab and CR, and turns every cell into text
(numbers, and empty cells into "None"). It is off in the settings; `EscapedResource` covers the admin's
exports and ours alike.
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils.functional import Promise
from import_export import resources
from import_export.formats.base_formats import BINARY_FORMATS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number, as a spreadsheet reads it when it opens a CSV: an optional sign, digits with one
# decimal point or comma, an optional exponent. Nothing else may follow.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def escape_formula(value):
    """The value as a spreadsheet cell that cannot be a formula: text that begins with a formula
    character gets a leading apostrophe; numbers, dates, empty cells and other text are unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class EscapedResource(resources.ModelResource):
    """A django-import-export resource whose every exported cell is escaped (the admin's export
    button and our own export views both use resources built on this)."""

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))


def csv_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download, every cell escaped, with a BOM so that Excel reads UTF-8 (å, ä, ö) correctly."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_csv_cell(cell) for cell in header])
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return response


def _csv_cell(value):
    # Anything but a number or an empty cell is written as its text (a model instance as str()), so
    # it is that text that gets escaped.
    if value is None or isinstance(value, (int, float, Decimal)):
        return value
    return escape_formula(str(value))


def dataset_response(*, resource: EscapedResource, queryset, format_, filename: str) -> HttpResponse:
    """`queryset` exported by `resource` in `format_` (a django-import-export format instance) as a
    download named `filename` plus the format's extension. Excel gets native numbers and dates, as the
    admin's export gives them; CSV is text anyway."""
    force_native_type = type(format_) in BINARY_FORMATS
    data = format_.export_data(resource.export(queryset, force_native_type=force_native_type))
    response = HttpResponse(data, content_type=format_.get_content_type())
    response["Content-Disposition"] = f'attachment; filename="{filename}.{format_.get_extension()}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def table_response(*, header: Iterable, rows: Iterable[Iterable], format_, filename: str) -> HttpResponse:
    """A table that is not one model's rows (a matrix, a summary) in `format_` (a django-import-export
    format instance: CSV, XLSX) as a download named `filename` plus the format's extension; every text
    cell escaped as in `EscapedResource`, numbers left as numbers."""
    dataset = tablib.Dataset(headers=[escape_formula(str(cell)) for cell in header])
    for row in rows:
        dataset.append([escape_formula(cell) for cell in row])
    response = HttpResponse(format_.export_data(dataset), content_type=format_.get_content_type())
    response["Content-Disposition"] = f'attachment; filename="{filename}.{format_.get_extension()}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
