"""CSV injection: a member's own text that starts like a formula comes back escaped (a leading
apostrophe) from every spreadsheet the site hands out, CSV and Excel, the admin's exports included; numbers
stay numbers."""

import csv
import io

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.tests.factories import AttendanceFactory, ScheduledMeetingFactory, host_contact_of, in_days
from network.exports import FORMULA_STARTS, escape_formula
from network.tests.factories import MemberFactory, StaffUserFactory
from projects.tests.factories import OutputFactory

# Each payload carries a marker, so that the row it is in can be found (the positive control).
HYPERLINK = '=HYPERLINK("http://evil.example/kloss-mark")'
SUM = "+SUM(A1)kloss-mark"
AT = "@cmd kloss-mark"
MINUS = "-1+1|kloss-mark"
TAB = "\tkloss-mark"


def _held_meeting() -> Meeting:
    return ScheduledMeetingFactory(
        status=Meeting.Status.HELD, starts_at=in_days(-10), ends_at=in_days(-9, 15), registration_deadline=None
    )


def _admin_export(client, admin_url: str, resource, format_class) -> bytes:
    """The admin's export button: the chosen format, every field of the resource selected."""
    from django.contrib import admin

    model_admin = next(
        admin.site.get_model_admin(model)
        for model in apps.get_models()
        if admin.site.is_registered(model)
        and resource in getattr(admin.site.get_model_admin(model), "resource_classes", ())
    )
    formats = model_admin.get_export_formats()
    data = {"format": str(formats.index(format_class)), "resource": "0"}
    data |= {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    response = client.post(reverse(admin_url), data)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    return response.content


def participant_csv(client, staff):
    meeting = ScheduledMeetingFactory()
    AttendanceFactory(meeting=meeting, dietary_needs=HYPERLINK, remarks=SUM)
    client.force_login(host_contact_of(meeting).user)
    return client.get(reverse("meetings:participant_csv", args=[meeting.pk])).content


def admin_attendance_csv(client, staff):
    attendance = AttendanceFactory(dietary_needs=HYPERLINK, remarks=SUM)
    response = client.post(
        reverse("admin:meetings_attendance_changelist"),
        {"action": "export_csv", "_selected_action": [attendance.pk]},
    )
    return response.content


def _actions(client, fmt):
    meeting_services.action_record(
        meeting=_held_meeting(),
        by=StaffUserFactory(),
        text=HYPERLINK,
        owner_member=MemberFactory(user__first_name=SUM),
        due_on=in_days(30).date(),
    )
    client.force_login(MemberFactory().user)
    return client.get(reverse("meetings:action_export"), {"format": fmt}).content


def _decisions(client, fmt):
    meeting_services.decision_record(meeting=_held_meeting(), by=None, text_sv=HYPERLINK, text_en=SUM)
    client.force_login(MemberFactory().user)
    return client.get(reverse("meetings:decision_export"), {"format": fmt}).content


def _outputs(client, fmt):
    OutputFactory(title=HYPERLINK, authors=SUM, year=2025)
    client.force_login(MemberFactory().user)
    return client.get(reverse("projects:output_export"), {"format": fmt}).content


def _admin_outputs(client, format_class):
    from projects.resources import OutputResource

    OutputFactory(title=HYPERLINK, authors=SUM, year=2025)
    return _admin_export(client, "admin:projects_output_export", OutputResource, format_class)


def _admin_members(client, format_class):
    from network.admin import MemberResource

    MemberFactory(user__first_name=HYPERLINK, title=SUM, phone=AT)
    return _admin_export(client, "admin:network_member_export", MemberResource, format_class)


EXPORTS = {
    "participants csv": ("csv", participant_csv),
    "admin attendance csv": ("csv", admin_attendance_csv),
    "actions csv": ("csv", lambda client, staff: _actions(client, "csv")),
    "actions xlsx": ("xlsx", lambda client, staff: _actions(client, "xlsx")),
    "decisions csv": ("csv", lambda client, staff: _decisions(client, "csv")),
    "decisions xlsx": ("xlsx", lambda client, staff: _decisions(client, "xlsx")),
    "results csv": ("csv", lambda client, staff: _outputs(client, "csv")),
    "results xlsx": ("xlsx", lambda client, staff: _outputs(client, "xlsx")),
    "admin results csv": ("csv", lambda client, staff: _admin_outputs(client, CSV)),
    "admin results xlsx": ("xlsx", lambda client, staff: _admin_outputs(client, XLSX)),
    "admin members csv": ("csv", lambda client, staff: _admin_members(client, CSV)),
    "admin members xlsx": ("xlsx", lambda client, staff: _admin_members(client, XLSX)),
}


def read_rows(content: bytes, fmt: str) -> list[list]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    # A cell openpyxl read as a formula has data_type "f": keep that visible as the formula's text.
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("name", EXPORTS)
def test_every_export_escapes_formulae_in_members_text(name, staff_client, staff_user):
    fmt, export = EXPORTS[name]
    rows = read_rows(export(staff_client, staff_user), fmt)
    marked = [row for row in rows if any("kloss-mark" in str(cell) for cell in row)]
    assert len(marked) == 1, rows  # the row with the payload is there
    cells = [cell for cell in marked[0] if isinstance(cell, str) and "kloss-mark" in cell]
    assert cells and all(cell.startswith("'") for cell in cells), cells
    assert "'" + HYPERLINK in cells or "'" + SUM in cells
    unescaped = [cell for row in rows for cell in row if isinstance(cell, str) and cell.startswith(FORMULA_STARTS)]
    assert all(escape_formula(cell) == cell for cell in unescaped), unescaped  # plain numbers only, if any


@pytest.mark.parametrize("name", ["results xlsx", "admin results xlsx"])
def test_excel_export_keeps_numbers_as_numbers(name, staff_client, staff_user):
    fmt, export = EXPORTS[name]
    rows = read_rows(export(staff_client, staff_user), fmt)
    header, row = rows[0], next(row for row in rows if "'" + HYPERLINK in row)
    assert row[header.index("year")] == 2025


@pytest.mark.parametrize(
    "value, expected",
    [
        (HYPERLINK, "'" + HYPERLINK),
        (SUM, "'" + SUM),
        (AT, "'" + AT),
        (MINUS, "'" + MINUS),
        (TAB, "'" + TAB),
        ("\rkloss", "'\rkloss"),
        ("+46 70 123 45 67", "'+46 70 123 45 67"),
        ("Vegansk = inget kött", "Vegansk = inget kött"),  # only the first character counts
        ("-5", "-5"),  # a negative number is a number, not a formula
        ("-3,5", "-3,5"),
        ("+1.5e3", "+1.5e3"),
        (-5, -5),
        (2025, 2025),
        (None, None),
        ("", ""),
    ],
)
def test_escape_formula(value, expected):
    assert escape_formula(value) == expected
