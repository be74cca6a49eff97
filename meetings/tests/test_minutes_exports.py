"""The minutes' exports (one meeting's and a year's series as PDF, their decisions as CSV: what a
reader finds in them) and what their pages cost in queries at two sizes."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.minutes import services
from meetings.models import Action, Decision, Meeting, Minutes
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, ScheduledMeetingFactory
from meetings.tests.test_minutes import client_of, pass_deadline
from network.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def published(items: int, *, year: int = 2031, day: int = 10, title: str = "Vårmöte i Luleå", kind="network"):
    """A held meeting with `items` agenda items, a decision and an action under each, published minutes."""
    start = datetime.datetime(year, 3, day, 9, 30, tzinfo=datetime.UTC)
    meeting = ScheduledMeetingFactory(
        kind=kind,
        year=year,
        season=Meeting.Season.SPRING if kind == "network" else Meeting.Season.AUTUMN,
        title=title,
        status=Meeting.Status.HELD,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        registration_deadline=None,
    )
    for n in range(items):
        AgendaItemFactory(meeting=meeting, title=f"Punkt {n + 1}: Samverkan i Västerås", position=n + 1)
    owner = MemberFactory()
    AttendanceFactory(meeting=meeting, member=owner)
    minutes = services.minutes_start(meeting=meeting, by=None)
    texts = {item.pk: f"Diskussion om åtgärder ({item.position})." for item in minutes.items.all()}
    services.minutes_edit(minutes=minutes, by=None, introduction="Närvarande: Åsa Öberg, ordförande.", texts=texts)
    for item in minutes.items.all():
        Decision.objects.create(
            meeting=meeting, agenda_item=item.agenda_item, position=item.position, text_sv=f"Beslut {item.position}"
        )
        Action.objects.create(
            meeting=meeting,
            agenda_item=item.agenda_item,
            text=f"Åtgärd {item.position}",
            owner_member=owner,
            due_on=datetime.date(year, 12, 1),
        )
    services.minutes_circulate(minutes=minutes, by=None, deadline=timezone.now() + datetime.timedelta(days=1))
    pass_deadline(minutes)
    services.minutes_approve(minutes=minutes, by=None)
    services.minutes_publish(minutes=minutes, by=None)
    return minutes


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_one_meetings_pdf_reads_back_with_its_items_decisions_and_actions():
    minutes = published(3)
    client = client_of(MemberFactory().user)
    text = pdf_text(client.get(reverse("meetings:minutes_pdf", kwargs={"pk": minutes.meeting_id})))
    assert "Minutes of Vårmöte i Luleå" in text
    assert "Närvarande: Åsa Öberg, ordförande." in text
    assert "§ 2. Punkt 2: Samverkan i Västerås" in text
    assert "Decision: Beslut 3" in text and "Action: Åtgärd 1" in text and "due 1 December 2031" in text
    assert "Status: Published" in text


def test_a_years_series_pdf_has_every_published_meeting_and_only_those():
    published(2, day=10, title="Vårmöte i Luleå")
    published(1, day=20, title="Extra möte i Lund", kind="other")
    draft_meeting = published(1, year=2031, day=25, title="Styrgruppen i mars", kind="steering").meeting
    client = client_of(MemberFactory().user)
    text = pdf_text(client.get(reverse("meetings:minutes_series_pdf", kwargs={"year": 2031})))
    assert text.index("Vårmöte i Luleå") < text.index("Extra möte i Lund")
    assert draft_meeting.title not in text  # a steering-group meeting's: not for every member
    assert "Beslut 2" in text
    empty = pdf_text(client.get(reverse("meetings:minutes_series_pdf", kwargs={"year": 1999})))
    assert "No minutes are published for this year." in empty


def test_decisions_csv_has_the_agenda_item_and_escapes_formulas():
    minutes = published(1)
    Decision.objects.create(
        meeting=minutes.meeting, position=9, text_sv='=HYPERLINK("http://evil.example")', text_en="-1+1"
    )
    client = client_of(MemberFactory().user)
    for url in (
        reverse("meetings:minutes_decisions_csv", kwargs={"pk": minutes.meeting_id}),
        reverse("meetings:minutes_series_csv", kwargs={"year": 2031}),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:5] == ["id", "Meeting", "Date", "Agenda item", "Decision (Swedish)"]
        by_text = {row[4]: row for row in rows[1:]}
        assert by_text["Beslut 1"][2:4] == ["2031-03-10", "Punkt 1: Samverkan i Västerås"]
        assert '\'=HYPERLINK("http://evil.example")' in by_text
        assert by_text['\'=HYPERLINK("http://evil.example")'][5] == "'-1+1"


# --- Query counts at two sizes -----------------------------------------------------------------------


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_minutes_page_query_count_constant():
    small = published(2, year=2031)
    large = published(30, year=2032)
    for minutes in (small, large):
        services_comment_each_item(minutes)
    staff_client = client_of(_staff())  # sees the most: the tools, the comments under every item
    few = count(staff_client, small.get_absolute_url())
    many = count(staff_client, large.get_absolute_url())
    print(f"minutes page queries: {few} (2 items) / {many} (30 items)")
    assert few == many


def services_comment_each_item(minutes: Minutes) -> None:
    from meetings.models import MinutesComment

    MinutesComment.objects.bulk_create(
        MinutesComment(minutes=minutes, item=item, text=f"Kommentar {item.pk}") for item in minutes.items.all()
    )


def _staff():
    from network.tests.factories import StaffUserFactory, activate_totp

    user = StaffUserFactory()
    activate_totp(user)
    return user


def test_series_page_and_pdf_query_count_constant():
    published(2, year=2033, day=3)
    member = client_of(MemberFactory().user)
    page = reverse("meetings:minutes_series", kwargs={"year": 2033})
    pdf = reverse("meetings:minutes_series_pdf", kwargs={"year": 2033})
    few_page, few_pdf = count(member, page), count(member, pdf)
    for day in range(4, 24):
        published(3, year=2033, day=day, title=f"Möte {day}", kind="other")
    many_page, many_pdf = count(member, page), count(member, pdf)
    print(f"series page queries: {few_page} (1 meeting) / {many_page} (21 meetings); pdf {few_pdf} / {many_pdf}")
    assert (few_page, few_pdf) == (many_page, many_pdf)
