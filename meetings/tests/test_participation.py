"""Was every institution at the table? (issue 15): a bounded summary on the results dashboard,
counted in the database, and the full register on a page of its own (meetings:participation)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from meetings.selectors import participation_summary
from meetings.tests.factories import AttendanceFactory, ScheduledMeetingFactory, in_days
from meetings.tests.test_decisions import body, client_of
from network.models import Institution
from network.tests.factories import InstitutionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def held(days_ago: int, **kwargs) -> Meeting:
    return ScheduledMeetingFactory(
        status=Meeting.Status.HELD,
        starts_at=in_days(-days_ago),
        ends_at=in_days(-days_ago, 15),
        registration_deadline=None,
        **kwargs,
    )


def known_network() -> dict[str, Institution]:
    """Four member institutions and three network meetings held (and one steering-group meeting,
    which does not count): KTH at all three, LU at two, UmU at one, MIUN at none; a former member
    (left) is not counted; two members of KTH at one meeting count once."""
    names = ("KTH", "LU", "UmU", "MIUN")
    institutions = {name: InstitutionFactory(short_name=name, name=f"Lärosäte {name}") for name in names}
    gone = InstitutionFactory(short_name="OLD", joined_on=in_days(-4000).date(), left_on=in_days(-30).date())
    meetings = [held(days_ago, host=institutions["KTH"]) for days_ago in (300, 200, 100)]
    steering = held(50, kind=Meeting.Kind.STEERING, host=None)
    came = {"KTH": meetings, "LU": meetings[1:], "UmU": meetings[:1], "MIUN": []}
    for name, attended in came.items():
        member = MemberFactory(institution=institutions[name])
        for meeting in attended:
            AttendanceFactory(meeting=meeting, member=member)
        AttendanceFactory(meeting=steering, member=member)
    AttendanceFactory(meeting=meetings[0], member=MemberFactory(institution=institutions["KTH"]))
    AttendanceFactory(meeting=meetings[0], member=MemberFactory(institution=gone))
    return institutions


def test_summary_counts_who_was_at_all_meetings_and_lists_who_missed_the_most():
    known_network()
    summary = participation_summary()
    assert (summary.meetings, summary.institutions, summary.at_all, summary.more) == (3, 4, 1, 0)
    assert [(i.short_name, i.attended) for i in summary.missed_most] == [("MIUN", 0), ("UmU", 1), ("LU", 2)]
    cut = participation_summary(shown=2)
    assert [i.short_name for i in cut.missed_most] == ["MIUN", "UmU"] and cut.more == 1
    last_two = participation_summary(last=2)
    assert (last_two.meetings, last_two.at_all) == (2, 2)  # KTH and LU were at the last two
    assert [(i.short_name, i.attended) for i in last_two.missed_most] == [("MIUN", 0), ("UmU", 0)]


def test_summary_where_attendance_was_marked_counts_who_came():
    institutions = known_network()
    meeting = Meeting.objects.network().order_by("-starts_at").first()  # LU and KTH registered
    meeting.attendances.filter(member__institution=institutions["LU"]).update(attended=False)
    meeting.attendances.filter(member__institution=institutions["KTH"]).update(attended=True)
    summary = participation_summary()
    assert summary.at_all == 1
    assert ("LU", 1) in [(i.short_name, i.attended) for i in summary.missed_most]


def test_summary_before_any_meeting():
    InstitutionFactory()
    summary = participation_summary()
    assert (summary.meetings, summary.institutions, summary.at_all, summary.missed_most) == (0, 0, 0, [])


def test_dashboard_shows_the_summary_and_links_to_the_register(member):
    known_network()  # the member's own institution (at none) makes five
    page = body(client_of(member).get(reverse("projects:dashboard")))
    summary = page.split('id="participation-heading"')[1].split("</section>")[0]
    assert "1 of 5 member institutions were at all of the last 3 network meetings held." in summary
    assert "MIUN: at 0 of 3" in summary and "LU: at 2 of 3" in summary
    assert reverse("meetings:participation") in summary
    assert "<table" not in summary  # the register itself is on its own page


def test_the_summary_lists_ten_and_says_how_many_more(member):
    known_network()
    for _ in range(9):
        InstitutionFactory()
    page = body(client_of(member).get(reverse("projects:dashboard")))
    summary = page.split('id="participation-heading"')[1].split("</section>")[0]
    assert summary.count("<li>") == 11 and "and 3 more institutions" in summary  # 14, 1 at all, 10 listed


def test_participation_page_shows_the_register(member):
    known_network()
    page = body(client_of(member).get(reverse("meetings:participation")))
    assert "<h1>Participation per institution</h1>" in page
    table = page.split('id="participation-heading"')[1]
    assert table.count('<th scope="row">') == 5 + 1  # five institutions and the footer
    lu_row = table.split(">LU</th>")[1].split("</tr>")[0]
    assert lu_row.count("present") == 2 and lu_row.count("absent") == 1 and "2/3" in lu_row
    assert ">OLD</th>" not in table
    assert 'role="region"' in table and "table-scroll" in table  # scrolls sideways on a phone


def test_meeting_list_links_to_the_register(member):
    assert reverse("meetings:participation") in body(client_of(member).get(reverse("meetings:meeting_list")))


def test_participation_page_is_for_members_only(client):
    response = client.get(reverse("meetings:participation"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_summary_and_page_cost_the_same_queries_as_the_data_grows(member):
    reader = client_of(member)

    def count(get) -> int:
        with CaptureQueriesContext(connection) as captured:
            get()
        return len(captured)

    def counts() -> tuple[int, int]:
        return count(participation_summary), count(lambda: body(reader.get(reverse("meetings:participation"))))

    known_network()
    small = counts()
    for days_ago in range(400, 1400, 150):
        meeting = held(days_ago)  # hosted by a new institution
        for _ in range(3):
            AttendanceFactory(meeting=meeting, member=MemberFactory(institution=InstitutionFactory()))
    assert counts() == small
    assert small[0] == 3
