"""The key pages of the load benchmark (bench/run.py) cost a constant number of SQL queries at two
data sizes: when their fragments must be built ("cold": the first request after a change) and when
they come from the cache ("warm"). Cold is at most 12, the benchmark's target; warm is never more."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Action, Attendance, Decision, Meeting
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, ScheduledMeetingFactory
from network import cache
from network.tests.factories import InstitutionFactory, MemberFactory, SteeringGroupSeatFactory
from projects.models import Output, Report
from projects.tests.factories import OutputFactory, ParticipationFactory, ProjectFactory, ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


@pytest.fixture(autouse=True)
def sessions_in_the_cache(settings):
    """As in production (settings: cached_db with Redis), also on a laptop without Redis."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def grow(member, meeting, project, n: int) -> None:
    """n more of everything around the member, her meeting and her project."""
    institutions = InstitutionFactory.create_batch(n)
    members = [MemberFactory(institution=institutions[i % n]) for i in range(3 * n)]
    for i, other in enumerate(members):
        AttendanceFactory(meeting=meeting, member=other, status=Attendance.Status.ATTENDING)
        if i % 3 == 0:
            SteeringGroupSeatFactory(member=other)
    for year in range(n):
        past = ScheduledMeetingFactory(
            year=1900 + len(Meeting.objects.all()),
            host=institutions[year % n],
            status=Meeting.Status.MINUTES_PUBLISHED,
            starts_at=datetime.datetime(2000, 3, 8, 9, tzinfo=datetime.UTC) - datetime.timedelta(days=200 * year),
            ends_at=datetime.datetime(2000, 3, 8, 16, tzinfo=datetime.UTC) - datetime.timedelta(days=200 * year),
        )
        # Decisions and actions: hers and her institution's, due by her meeting (its follow-up item).
        Decision.objects.create(meeting=past, text_sv=f"Beslut {year}", theme=project.theme)
        Action.objects.create(meeting=past, text=f"Åtgärd {year}", owner_member=member, due_meeting=meeting)
        Action.objects.create(
            meeting=past, text="Institutionens", owner_institution=member.institution, due_on=past.starts_at.date()
        )
        Action.objects.create(
            meeting=meeting, text="Från mötet", owner_member=members[year], due_on=meeting.starts_at.date()
        )
        Decision.objects.create(meeting=meeting, text_en=f"Decision {year}")
    AgendaItemFactory.create_batch(n, meeting=meeting)
    for i in range(n):
        other = ProjectFactory(theme=project.theme, lead_institution=institutions[i % n], institutions=institutions[:3])
        ParticipationFactory(project=other, member=member)
        ParticipationFactory(project=project, member=members[i])
        project.institutions.add(institutions[i])
        OutputFactory.create_batch(3, project=project, type=Output.Type.REPORT)
        OutputFactory(project=other)
        ReportFactory(
            round=RoundFactory(deadline=timezone.localdate() + datetime.timedelta(days=10 + i)),
            project=project,
            state=Report.State.SUBMITTED,
            submitted_at=timezone.now(),
        )


def key_pages(member, meeting, project) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "member directory": reverse("network:member_list"),
        "institution page": member.institution.get_absolute_url(),
        "meeting list": reverse("meetings:meeting_list"),
        "meeting page": meeting.get_absolute_url(),
        "project list": reverse("projects:project_list"),
        "project page": project.get_absolute_url(),
        "catalogue (filtered)": reverse("projects:output_list") + "?type=report",
        "dashboard": reverse("projects:dashboard"),
        "action register": reverse("meetings:action_register") + "?status=open",
        "decision register": reverse("meetings:decision_register"),
        ".ics feed": reverse("meetings:calendar_feed", kwargs={"token": member.calendar_token}),
    }


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def measure(client, url) -> tuple[int, int]:
    cache.clear_all()  # as after a change of data: every fragment is built again
    cold = queries(client, url)
    warm = queries(client, url)
    return cold, warm


PAGES = [
    "home",
    "member directory",
    "institution page",
    "meeting list",
    "meeting page",
    "project list",
    "project page",
    "catalogue (filtered)",
    "dashboard",
    "action register",
    "decision register",
    ".ics feed",
]


@pytest.mark.parametrize("name", PAGES)
def test_key_page_costs_constant_queries_at_two_sizes(member_client, member, name):
    meeting = ScheduledMeetingFactory(host=member.institution)
    AttendanceFactory(meeting=meeting, member=member)
    project = ProjectFactory(lead_institution=member.institution, institutions=[member.institution])
    ParticipationFactory(project=project, member=member, is_coordinator=True)
    url = key_pages(member, meeting, project)[name]

    grow(member, meeting, project, 2)
    small = measure(member_client, url)
    grow(member, meeting, project, 8)
    large = measure(member_client, url)

    print(f"{name}: cold {small[0]} -> {large[0]}, warm {small[1]} -> {large[1]} queries")
    assert large == small
    cold, warm = large
    assert cold <= MAX_QUERIES
    assert warm <= cold
    # Served from its fragments a page runs no query of its own, but for what is hers alone: the
    # host's live agenda, the participant's rounds to report for, the feed's token; and for the
    # permission inputs, read on every request and never cached (network/cache/): the signed-in
    # user's row, and the steering group's seats where the page differs for them.
    if name not in ("meeting page", "project page", ".ics feed"):
        assert warm <= 2
