"""Decisions and actions (issue 17) in the browser: the host records a decision and an action on a
held meeting, the owner closes her action from her home page, the registers, the attendance form,
the participation summary on the dashboard and the register on its own page, a steering-group
meeting online. Zero axe violations (WCAG 2.0/2.1 A and AA) in Swedish and English, at 360 px and
1280 px, no sideways scroll."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")


def _held_meeting(host):
    from meetings.models import Attendance, Meeting
    from meetings.tests.factories import AttendanceFactory, ScheduledMeetingFactory

    start = timezone.now() - datetime.timedelta(days=7)
    meeting = ScheduledMeetingFactory(
        host=host,
        title="Höstmöte i Malmö",
        status=Meeting.Status.HELD,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        registration_deadline=None,
    )
    for member in host.members.all()[:3]:
        AttendanceFactory(meeting=meeting, member=member, status=Attendance.Status.ATTENDING)
    return meeting


def submit(site) -> None:
    """The page's own form (the header's language switcher is a form too), and wait for the answer."""
    with site.page.expect_navigation():
        site.page.locator("main form[method=post] button[type=submit]").first.click()


@viewports
def test_host_records_decisions_and_actions_accessible(site, world):
    from meetings.models import Action, Decision
    from meetings.tests.factories import ScheduledMeetingFactory

    meeting = _held_meeting(world.institution)
    following = ScheduledMeetingFactory(year=meeting.year + 1, title="Vårmöte i Umeå")
    site.login(world.member.user)  # a member of the host institution: a host contact
    site.goto(reverse("meetings:decision_add", args=[meeting.pk]))
    site.check("decision_form", languages=BOTH)
    site.page.locator("textarea[name=text_sv]").fill("Nätverket antar verksamhetsplanen för 2027.")
    submit(site)
    assert Decision.objects.filter(meeting=meeting).count() == 1

    site.goto(reverse("meetings:action_add", args=[meeting.pk]))
    site.check("action_form", languages=BOTH)
    site.page.locator("textarea[name=text]").fill("Sammanställ enkätsvaren om samverkan")
    site.page.locator("select[name=owner_member]").select_option(str(world.member.pk))
    site.page.locator("select[name=due_meeting]").select_option(str(following.pk))
    submit(site)
    action = Action.objects.get(meeting=meeting)
    assert site.path().startswith(meeting.get_absolute_url())
    assert site.page.get_by_text("Sammanställ enkätsvaren om samverkan").first.is_visible()
    site.check("meeting_with_decisions", languages=BOTH)

    site.goto(following.get_absolute_url())
    assert site.page.locator("#follow-up").is_visible()
    site.check("next_meeting_follow_up", languages=BOTH)

    site.goto(reverse("meetings:attendance_mark", args=[meeting.pk]))
    site.check("attendance_mark", languages=BOTH)

    site.goto(reverse("home"))
    site.check("home_open_actions", languages=BOTH)
    site.goto(reverse("meetings:action_status", args=[action.pk]) + "?from=home")
    site.check("action_status", languages=BOTH)
    site.page.locator("input[name=status][value=done]").check()
    site.page.locator("input[name=outcome]").fill("Redovisat i styrgruppen")
    submit(site)
    assert site.path() == reverse("home")
    action.refresh_from_db()
    assert action.status == "done"


@viewports
def test_registers_and_dashboard_accessible(site, world):
    from meetings import services
    from meetings.models import Action, Decision

    meeting = _held_meeting(world.institution)
    Decision.objects.create(meeting=meeting, position=1, text_sv="Temat för våren blir livslångt lärande.")
    Action.objects.create(
        meeting=meeting, text="Bjud in Vinnova", owner_institution=world.institution, due_on=datetime.date(2031, 3, 1)
    )
    services.attendance_mark(meeting=meeting, by=None, present=list(world.institution.members.all()[:2]))
    site.login(world.member.user)
    site.goto(reverse("meetings:action_register"))
    assert site.page.get_by_text("Bjud in Vinnova").first.is_visible()
    site.check("action_register", languages=BOTH)
    site.goto(reverse("meetings:action_register") + "?status=open&q=Vinnova")
    site.check("action_register_filtered")
    site.goto(reverse("meetings:decision_register"))
    site.check("decision_register", languages=BOTH)
    site.goto(reverse("projects:dashboard"))
    assert site.page.locator("#participation-heading").is_visible()
    site.check("dashboard_participation", languages=BOTH)
    site.goto(reverse("meetings:participation"))  # the full register: its table scrolls on a phone
    assert site.page.locator("table.participation").is_visible()
    site.check("participation_register", languages=BOTH)


@viewports
def test_online_steering_meeting_accessible(site, world, staff_user):
    from meetings.models import Meeting
    from meetings.tests.factories import ScheduledMeetingFactory

    meeting = ScheduledMeetingFactory(
        kind=Meeting.Kind.STEERING,
        host=None,
        title="Styrgruppsmöte",
        format=Meeting.Format.ONLINE,
        venue="",
        video_link="https://meet.example.se/kloss-styrgrupp",
    )
    site.login(staff_user)
    site.goto(meeting.get_absolute_url())
    assert (
        site.page.get_by_role("link", name="Join the meeting online").count()
        + site.page.locator("a[href='https://meet.example.se/kloss-styrgrupp']").count()
    )
    site.check("steering_meeting_online", languages=BOTH)
