"""One rule for every range of dates or times (network/language/dates.py): an en dash without spaces between
simple ends ("09.30–16.00"), with spaces when either end holds a space ("8 mars 2017 – 31 december
2018"). Every range goes through `dates.dash`; no template writes one by hand."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from network.language import dates

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
START = datetime.datetime(2027, 3, 12, 9, 30, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            [
                "09.30–16.00",
                "fredag 12 mars 2027, 09.30–16.00",
                "fredag 12 mars 2027, 09.30 – lördag 13 mars 2027, 15.00",
                "8 mars 2017 – 31 december 2018",
                "1 september 2022 – pågående",
                "2017–2018",
            ],
        ),
        (
            "en",
            [
                "09:30–16:00",
                "Friday 12 March 2027, 09:30–16:00",
                "Friday 12 March 2027, 09:30 – Saturday 13 March 2027, 15:00",
                "8 March 2017 – 31 December 2018",
                "1 September 2022 – ongoing",
                "2017–2018",
            ],
        ),
    ],
)
def test_a_range_is_spaced_exactly_when_an_end_holds_a_space(language, expected):
    with translation.override(language):
        assert [
            dates.clocks(START, START.replace(hour=16, minute=0)),
            dates.span(START, START.replace(hour=16, minute=0)),
            dates.span(START, START + datetime.timedelta(days=1, hours=5, minutes=30)),
            dates.period(datetime.date(2017, 3, 8), datetime.date(2018, 12, 31)),
            dates.period(datetime.date(2022, 9, 1), None),
            dates.years(datetime.date(2017, 3, 8), datetime.date(2018, 12, 31)),
        ] == expected


def test_dash_is_the_rule():
    assert dates.dash("2017", "2018") == "2017–2018"
    assert dates.dash("8 mars 2017", "2018") == "8 mars 2017 – 2018"
    assert dates.dash("2017", "31 december 2018") == "2017 – 31 december 2018"


DATE_EXPRESSION = r"\{\{[^}]*(?:_on|_at|\|day|\|date|\|clock|\|moment|\|weekday|year)[^}]*\}\}"
DASH = r"(?:–|&ndash;|&#8211;|—|&mdash;|-)"
# A dash written between a date and whatever follows it, or before a date ({% if %} may stand between).
HAND_WRITTEN = re.compile(
    rf"{DATE_EXPRESSION}\s*(?:\{{%[^%]*%\}}\s*)?{DASH}\s*(?:\{{%[^%]*%\}}\s*)?\{{\{{"
    rf"|\}}\}}\s*(?:\{{%[^%]*%\}}\s*)?{DASH}\s*(?:\{{%[^%]*%\}}\s*)?{DATE_EXPRESSION}"
)


def test_no_template_writes_a_range_of_dates_by_hand():
    templates = sorted(Path(settings.BASE_DIR, "templates").rglob("*.*"))
    assert len(templates) > 50  # the positive control: the folder was read
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in templates
        if path.suffix in {".html", ".txt"}
        for match in HAND_WRITTEN.finditer(path.read_text())
    ]
    assert found == []


def test_the_grep_finds_a_hand_written_range():
    assert HAND_WRITTEN.search("{{ project.starts_on }}{% if project.ends_on %}–{{ project.ends_on }}{% endif %}")
    assert HAND_WRITTEN.search('({{ lead.starts_on|date:"Y" }}–{{ lead.ends_on|date:"Y" }})')
    assert HAND_WRITTEN.search('{{ seat.starts_on|day }} – {{ seat.ends_on|day|default:_("ongoing") }}')
    assert not HAND_WRITTEN.search("{{ report.project }} – {{ report.round }}")


@pytest.mark.django_db
def test_project_and_seat_pages_write_their_ranges_by_the_rule(member_client, member):
    from network.tests.factories import SteeringGroupSeatFactory
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory(starts_on=datetime.date(2022, 9, 1), ends_on=datetime.date(2028, 12, 31))
    SteeringGroupSeatFactory(member=member, starts_on=datetime.date(2017, 3, 8), ends_on=datetime.date(2018, 12, 31))
    project_page = member_client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    member_page = member_client.get(member.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "1 september 2022 – 31 december 2028" in project_page
    assert "8 mars 2017 – 31 december 2018" in member_page
