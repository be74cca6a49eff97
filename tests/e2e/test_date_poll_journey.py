"""A date poll in the browser (issue 27): the steering group's chair proposes times for its next
meeting, a seat answers with the keyboard only (a fieldset per time, its radio buttons reached with
Tab and chosen with the arrow keys), the chair reads the results and closes the poll, which
schedules the meeting and sends the invitations. Every page: zero axe violations (WCAG 2.0/2.1 A and
AA) in Swedish and English, at 360 px and 1280 px, no sideways scroll."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import tab_to, viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")


def submit(site) -> None:
    """The page's own form (the header's language switcher is a form too), and wait for the answer."""
    with site.page.expect_navigation():
        site.page.locator("main form[method=post] button[type=submit]").first.click()


def weekday_ahead(days: int) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@viewports
def test_chair_proposes_a_seat_answers_by_keyboard_and_the_chair_closes(site, world):
    from meetings.models import DatePoll, DatePollAnswer, Meeting
    from meetings.tests.date_poll_factories import steering_meeting_awaiting_date
    from network.models import Delivery, Member
    from network.tests.factories import SteeringGroupSeatFactory

    chair = world.member
    seat = Member.objects.filter(institution=world.institution).exclude(pk=chair.pk).first()
    SteeringGroupSeatFactory(member=chair, role="chair", starts_on=datetime.date(2020, 1, 1))
    SteeringGroupSeatFactory(member=seat, starts_on=datetime.date(2020, 1, 1))
    meeting = steering_meeting_awaiting_date()

    # The chair proposes three afternoons from the meeting's page.
    site.login(chair.user)
    site.goto(meeting.get_absolute_url())
    site.check("steering_meeting_awaiting_date", languages=BOTH)
    site.page.locator(f"main a[href='{reverse('meetings:date_poll_add', args=[meeting.pk])}']").click()
    site.page.wait_for_load_state()
    site.check("date_poll_form", languages=BOTH)
    days = [weekday_ahead(30), weekday_ahead(37), weekday_ahead(44)]
    for number, day in enumerate(days, start=1):
        site.page.locator(f"input[name=slot{number}_day]").fill(day.isoformat())
        site.page.locator(f"input[name=slot{number}_start]").fill("13:00")
        site.page.locator(f"input[name=slot{number}_end]").fill("15:00")
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    site.page.locator("input[name=answers_until]").fill(f"{deadline.isoformat()}T16:00")
    submit(site)
    poll = DatePoll.objects.get(meeting=meeting)
    assert site.path() == poll.get_absolute_url()
    slots = list(poll.slots.all())
    assert [timezone.localtime(s.starts_at).hour for s in slots] == [13, 13, 13]

    # A seat answers with the keyboard: Tab into each time's group, arrows to choose, Enter to send.
    site.login(seat.user)
    site.goto(poll.get_absolute_url())
    assert site.page.locator("fieldset.poll-slot legend").count() == 3
    site.check("date_poll_answer", languages=BOTH)
    tab_to(site.page, f"input[name=slot_{slots[0].pk}]", limit=60)
    site.page.keyboard.press("Space")  # the first choice: yes
    site.page.keyboard.press("Tab")  # the next time's group
    site.page.keyboard.press("ArrowDown")  # if need be
    site.page.keyboard.press("Tab")
    site.page.keyboard.press("ArrowDown")
    site.page.keyboard.press("ArrowDown")  # no
    tab_to(site.page, "main form.poll-answer button[type=submit]")
    with site.page.expect_navigation():
        site.page.keyboard.press("Enter")
    answers = dict(DatePollAnswer.objects.filter(member=seat).values_list("slot_id", "choice"))
    assert answers == {slots[0].pk: "yes", slots[1].pk: "if_need_be", slots[2].pk: "no"}
    assert site.page.locator(f"input[name=slot_{slots[1].pk}][value=if_need_be]").is_checked()  # shown again
    site.check("date_poll_answered")

    # The chair reads who answered what and chooses the time most can come to.
    site.login(chair.user)
    site.goto(poll.get_absolute_url())
    assert site.page.locator("table.poll-people").get_by_text(seat.full_name).is_visible()
    site.check("date_poll_results", languages=BOTH)
    site.page.locator(f"main a[href='{reverse('meetings:date_poll_close', args=[poll.pk])}']").click()
    site.page.wait_for_load_state()
    site.check("date_poll_close", languages=BOTH)
    site.page.locator(f"input[name=slot][value='{slots[0].pk}']").check()
    submit(site)
    assert site.path() == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at == slots[0].starts_at
    invited = set(
        Delivery.objects.filter(kind="meeting_invitation", object_id=meeting.pk).values_list("recipient", flat=True)
    )
    assert invited == {chair.pk, seat.pk}  # the steering group's seats, no one else
    site.check("steering_meeting_scheduled")
