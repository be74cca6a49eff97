"""Date polls (issue 27): organisers propose times, the invited answer yes / if need be / no per time
until the poll closes, those who have not answered are reminded once, and closing schedules the
meeting and sends the invitations with the .ics."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.models import DatePoll, DatePollAnswer, Meeting
from meetings.polls import selectors, services
from meetings.polls.reminders import reminder_key
from meetings.services import MeetingError
from meetings.tests.date_poll_factories import (
    confirmed_meeting,
    open_poll,
    slot_times,
    steering_meeting_awaiting_date,
)
from meetings.tests.factories import host_contact_of, in_days
from meetings.tests.test_queries import count_queries
from meetings.tests.test_reminders import ics_of, one_mail_to, sweep
from network.language.dates import span
from network.models import Delivery
from network.outbox.worker import DELIVERY_HEADER
from network.tests.factories import MemberFactory, StaffUserFactory, SteeringGroupSeatFactory, activate_totp, login

pytestmark = pytest.mark.django_db

YES, MAYBE, NO = DatePollAnswer.Choice.YES, DatePollAnswer.Choice.IF_NEED_BE, DatePollAnswer.Choice.NO


def client_of(client, user):
    login(client, user)
    return client


def of_kind(mailoutbox, kind: str) -> list:
    """The messages of one kind of the outbox (each carries its delivery row's id)."""
    ids = set(Delivery.objects.filter(kind=kind).values_list("pk", flat=True))
    return [m for m in mailoutbox if int(m.extra_headers[DELIVERY_HEADER]) in ids]


def answer_data(poll, *choices) -> dict:
    return {f"slot_{slot.pk}": choice for slot, choice in zip(poll.slots.all(), choices, strict=True)}


def answer(poll, member, *choices):
    answers = {slot.pk: choice for slot, choice in zip(poll.slots.all(), choices, strict=True)}
    return services.date_poll_answer(poll=poll, member=member, by=member.user, answers=answers)


@pytest.fixture
def seats():
    chair = SteeringGroupSeatFactory(role="chair", starts_on=datetime.date(2020, 1, 1)).member
    seat = SteeringGroupSeatFactory(starts_on=datetime.date(2020, 1, 1)).member
    return chair, seat


# --- Proposing -------------------------------------------------------------------------------------


def test_host_contact_proposes_times_in_swedish_time_and_the_invited_are_asked(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = confirmed_meeting()
    contact = host_contact_of(meeting)
    other = MemberFactory(language="sv")
    summer = timezone.localdate().year + 2
    data = {
        "slot1_day": f"{summer}-06-10",
        "slot1_start": "10:00",
        "slot1_end": "12:00",
        "slot2_day": f"{summer}-06-11",
        "slot2_start": "13:30",
        "slot2_end": "15:00",
        "slot2_end_day": f"{summer}-06-12",
        "answers_until": f"{summer}-05-20T17:00",
        "note": "Helst före midsommar.",
    }
    client_of(client, contact.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:date_poll_add", args=[meeting.pk]), data)
    poll = DatePoll.objects.get(meeting=meeting)
    assert response.status_code == 302 and response["Location"] == poll.get_absolute_url()
    first, second = poll.slots.all()
    # 10:00 in Stockholm's summer time is 08:00 UTC; stored aware.
    assert first.starts_at == datetime.datetime(summer, 6, 10, 8, 0, tzinfo=datetime.UTC)
    assert second.ends_at.astimezone(datetime.UTC).date() == datetime.date(summer, 6, 12)
    # Every invited member (every active member for a network meeting) is asked, in her language.
    asked = {m.to[0] for m in mailoutbox}
    assert {contact.email, other.email} <= asked
    swedish = one_mail_to(mailoutbox, other)
    assert "Datumförfrågan" in swedish.subject
    assert "10.00–12.00" in swedish.body and poll.get_absolute_url() in swedish.body


def test_proposal_form_rerenders_with_clear_errors(client):
    meeting = confirmed_meeting()
    client_of(client, host_contact_of(meeting).user)
    url = reverse("meetings:date_poll_add", args=[meeting.pk])
    day = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    response = client.post(
        url,
        {"slot1_day": day, "slot1_start": "12:00", "slot1_end": "10:00", "slot2_day": day, "answers_until": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A proposed time must end after it starts." in page
    assert "Give the day and the times of this proposal." in page
    assert f'value="{day}"' in page  # what she typed is kept
    assert not DatePoll.objects.exists()
    response = client.post(
        url,
        {"slot1_day": day, "slot1_start": "10:00", "slot1_end": "12:00", "answers_until": f"{day}T09:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Propose at least two different times." in response.content.decode()


def test_dates_are_proposed_only_for_a_confirmed_meeting_without_a_date_and_one_poll_at_a_time():
    meeting = confirmed_meeting()
    open_poll(meeting)
    with pytest.raises(MeetingError, match="already has an open date poll"):
        open_poll(meeting)
    proposed = confirmed_meeting()
    proposed.status = Meeting.Status.PROPOSED
    proposed.save()
    with pytest.raises(MeetingError, match="confirmed meeting"):
        open_poll(proposed)
    with pytest.raises(MeetingError, match="before the first proposed time"):
        services.date_poll_open(meeting=confirmed_meeting(), by=None, slots=slot_times(2), answers_until=in_days(31))


# --- Answering -------------------------------------------------------------------------------------


def test_a_double_submission_is_counted_once_and_the_last_answer_wins(client):
    meeting = confirmed_meeting()
    poll = open_poll(meeting)
    member = MemberFactory()
    client_of(client, member.user)
    url = poll.get_absolute_url()
    first = client.post(url, answer_data(poll, YES, NO, MAYBE))
    again = client.post(url, answer_data(poll, YES, NO, MAYBE))  # the same form sent twice
    assert first.status_code == again.status_code == 302
    assert DatePollAnswer.objects.filter(member=member).count() == 3
    client.post(url, answer_data(poll, NO, NO, YES))  # changed her mind
    assert DatePollAnswer.objects.filter(member=member).count() == 3
    results = selectors.poll_results(poll)
    assert [(r.yes, r.if_need_be, r.no) for r in results.slots] == [(0, 0, 1), (0, 0, 1), (1, 0, 0)]
    # Her answers are shown checked when she comes back.
    page = client.get(url).content.decode()
    assert page.count("checked") == 3


def test_an_answer_must_cover_every_time(client):
    poll = open_poll(confirmed_meeting())
    member = MemberFactory()
    client_of(client, member.user)
    data = answer_data(poll, YES, NO, MAYBE)
    data.pop(next(iter(data)))
    response = client.post(poll.get_absolute_url(), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Answer yes, if need be or no for this time." in response.content.decode()
    assert not DatePollAnswer.objects.exists()


def test_answering_after_closing_or_after_the_deadline_is_refused(client):
    poll = open_poll(confirmed_meeting())
    member = MemberFactory()
    answer(poll, member, YES, YES, NO)
    services.date_poll_close(poll=poll, by=None, slot=poll.slots.first(), venue="Aula Magna")
    with pytest.raises(MeetingError, match="closed"):
        answer(poll, member, NO, NO, NO)
    client_of(client, member.user)
    response = client.post(
        poll.get_absolute_url(), answer_data(poll, NO, NO, NO), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain == [(poll.get_absolute_url(), 302)] and "This date poll is closed" in page
    assert list(DatePollAnswer.objects.filter(member=member).values_list("choice", flat=True)) == [YES, YES, NO]
    closed = client.get(poll.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'type="radio"' not in closed  # no form offered; her answers are shown in words
    first = poll.slots.first()
    assert f"{span(first.starts_at, first.ends_at)}: Yes" in closed

    late = open_poll(confirmed_meeting(), answers_until=in_days(2))
    with time_machine.travel(in_days(3), tick=False), pytest.raises(MeetingError) as refused:
        answer(late, member, YES, YES, YES)
    assert refused.value.message == str(_("The last day to answer this date poll has passed."))


def test_only_the_invited_answer_a_steering_group_poll(seats):
    chair, seat = seats
    poll = open_poll(steering_meeting_awaiting_date())
    answer(poll, seat, YES, NO, NO)
    with pytest.raises(MeetingError, match="Only those invited"):
        answer(poll, MemberFactory(), YES, YES, YES)


# --- Reminder ----------------------------------------------------------------------------------------


def test_reminder_goes_only_to_those_who_have_not_answered_and_only_once(mailoutbox):
    meeting = steering_meeting_awaiting_date()
    chair = SteeringGroupSeatFactory(role="chair", starts_on=datetime.date(2020, 1, 1)).member
    answered, silent = (SteeringGroupSeatFactory(starts_on=datetime.date(2020, 1, 1)).member for _ in range(2))
    outsider = MemberFactory()  # not on the steering group: not invited
    poll = open_poll(meeting, answers_until=in_days(10, 17))
    answer(poll, answered, YES, MAYBE, NO)
    assert sweep("meeting_date_poll_reminder", in_days(7))["created"] == 0  # not yet: 2 days before
    outcome = sweep("meeting_date_poll_reminder", in_days(9))
    assert outcome == {"created": 2, chair.email: "sent", silent.email: "sent"}
    reminders = of_kind(mailoutbox, "meeting_date_poll_reminder")  # not the "please answer" of the opening
    (message,) = [m for m in reminders if m.to == [silent.email]]
    assert "Påminnelse: datumförfrågan" in message.subject and poll.get_absolute_url() in message.body
    assert not [m for m in reminders if m.to in ([answered.email], [outsider.email])]
    # Once: the next sweeps record nothing more, even for someone who still has not answered.
    assert sweep("meeting_date_poll_reminder", in_days(9, 18))["created"] == 0
    assert sweep("meeting_date_poll_reminder", in_days(10, 9))["created"] == 0
    assert Delivery.objects.filter(kind="meeting_date_poll_reminder", object_key=reminder_key(poll)).count() == 2
    assert len([m for m in of_kind(mailoutbox, "meeting_date_poll_reminder") if m.to == [silent.email]]) == 1


def test_reminder_recorded_but_answered_since_is_not_sent():
    meeting = confirmed_meeting()
    late = MemberFactory()
    poll = open_poll(meeting, answers_until=in_days(10, 17))
    with time_machine.travel(in_days(9), tick=False):
        from network.outbox.worker import delivery_send, reminders_sweep

        ids = reminders_sweep(only=["meeting_date_poll_reminder"]).ids
        answer(poll, late, YES, YES, YES)
        row = Delivery.objects.get(pk__in=ids, recipient=late, kind="meeting_date_poll_reminder")
        assert delivery_send(delivery_id=row.pk) == "skipped"


# --- Closing -------------------------------------------------------------------------------------


def test_closing_sets_the_date_and_sends_the_invitations_with_the_ics(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = confirmed_meeting(title="Nätverksmöte om livslångt lärande")
    contact = host_contact_of(meeting)
    invited = MemberFactory(language="en")
    poll = open_poll(meeting)
    chosen = list(poll.slots.all())[1]
    answer(poll, invited, NO, YES, MAYBE)
    client_of(client, contact.user)
    close = reverse("meetings:date_poll_close", args=[poll.pk])
    # The time most can come to is chosen already.
    assert re.search(rf'value="{chosen.pk}"[^>]*checked', client.get(close).content.decode())
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            close, {"slot": chosen.pk, "format": "in_person", "venue": "Aula Magna", "address": "Gatan 1"}
        )
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    meeting.refresh_from_db()
    poll.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert (meeting.starts_at, meeting.ends_at) == (chosen.starts_at, chosen.ends_at)
    assert poll.status == DatePoll.Status.CLOSED and poll.chosen_slot == chosen and poll.closed_by == contact.user
    # The invitations: an outbox row per invited member, sent with the meeting's .ics.
    rows = Delivery.objects.filter(kind="meeting_invitation", object_id=meeting.pk)
    assert {row.recipient_id for row in rows} >= {contact.pk, invited.pk}
    assert set(rows.values_list("status", flat=True)) == {Delivery.Status.SENT}
    message = one_mail_to(mailoutbox, invited)
    ics = ics_of(message)
    local = timezone.localtime(chosen.starts_at)
    assert "BEGIN:VEVENT" in ics and local.strftime("%Y%m%dT%H%M%S") in ics and meeting.uid in ics
    # Closed: no second close, no answer.
    assert client.get(close).status_code == 404
    with pytest.raises(MeetingError):
        services.date_poll_close(poll=poll, by=None, slot=chosen)


def test_closing_is_refused_when_the_place_is_missing_and_nothing_changes(client):
    meeting = confirmed_meeting()
    meeting.venue = ""
    meeting.save()
    poll = open_poll(meeting)
    client_of(client, host_contact_of(meeting).user)
    response = client.post(
        reverse("meetings:date_poll_close", args=[poll.pk]),
        {"slot": poll.slots.first().pk, "format": "in_person", "venue": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "Give the venue" in response.content.decode()
    poll.refresh_from_db()
    meeting.refresh_from_db()
    assert poll.is_open and meeting.starts_at is None


# --- Who may do what -------------------------------------------------------------------------------


def test_steering_group_poll_is_invisible_to_members_not_on_it(client, seats):
    chair, seat = seats
    meeting = steering_meeting_awaiting_date()
    outsider = MemberFactory()
    # The chair proposes (her group's meeting), through the page.
    client_of(client, chair.user)
    assert "Propose dates" in client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    poll = open_poll(meeting, by=chair.user)
    urls = [poll.get_absolute_url(), reverse("meetings:date_poll_close", args=[poll.pk])]
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.logout()
    client_of(client, outsider.user)
    for url in [*urls, reverse("meetings:date_poll_add", args=[meeting.pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[0], answer_data(poll, YES, YES, YES)).status_code == 404
    assert not DatePollAnswer.objects.exists()
    client.logout()
    # A seat answers; she sees no results table and may not close.
    client_of(client, seat.user)
    page = client.get(urls[0], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'type="radio"' in page and "Who answered what" not in page
    assert client.get(urls[1]).status_code == 404


def test_the_chair_organises_steering_meetings_only_and_the_secretariat_every_meeting(seats):
    chair, seat = seats
    staff = StaffUserFactory()
    activate_totp(staff)
    steering, network = steering_meeting_awaiting_date(), confirmed_meeting()
    assert chair.user.has_perm("meetings.propose_dates", steering)
    assert not seat.user.has_perm("meetings.propose_dates", steering)
    assert not chair.user.has_perm("meetings.propose_dates", network)
    assert host_contact_of(network).user.has_perm("meetings.propose_dates", network)
    # Staff rights need the second factor in the session: checked through the page.
    scheduled = confirmed_meeting()
    scheduled.status = Meeting.Status.SCHEDULED
    assert not host_contact_of(scheduled).user.has_perm("meetings.propose_dates", scheduled)


def test_results_table_counts_per_time_and_who_answered_what(client):
    meeting = confirmed_meeting()
    contact = host_contact_of(meeting)
    poll = open_poll(meeting)
    karin = MemberFactory(user__first_name="Karin", user__last_name="Ek")
    answer(poll, karin, YES, MAYBE, NO)
    answer(poll, contact, YES, YES, NO)
    client_of(client, contact.user)
    page = client.get(poll.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Karin Ek" in page and "Who answered what" in page
    assert "most can come" in page
    results = selectors.poll_results(poll)
    assert [(r.yes, r.if_need_be, r.no) for r in results.slots] == [(2, 0, 0), (1, 1, 0), (0, 0, 2)]
    assert [r.slot for r in results.best] == [poll.slots.first()]


def test_times_are_shown_in_the_readers_language(client):
    poll = open_poll(confirmed_meeting())
    member = MemberFactory()
    client_of(client, member.user)
    slot = poll.slots.first()
    with translation.override("sv"):
        sv = client.get(poll.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    en = client.get(poll.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "10.00–12.00" in sv and "10:00–12:00" in en
    assert timezone.localtime(slot.starts_at).strftime("%B") in en


# --- Query counts --------------------------------------------------------------------------------


def test_poll_page_costs_constant_queries_at_two_sizes(client):
    meeting = confirmed_meeting()
    contact = host_contact_of(meeting)
    poll = open_poll(meeting, count=4)

    def grow(n):
        for member in MemberFactory.create_batch(n):
            answer(poll, member, YES, NO, MAYBE, YES)

    pages = [poll.get_absolute_url(), reverse("meetings:date_poll_close", args=[poll.pk])]
    client_of(client, contact.user)
    grow(3)
    small = [count_queries(client, url) for url in pages]
    grow(30)
    large = [count_queries(client, url) for url in pages]
    print(f"date poll page / close page queries: {small} (3 answers) / {large} (33 answers, 4 times)")
    assert small == large


def test_no_dates_are_proposed_for_a_scheduled_meeting(client, staff_client):
    meeting = confirmed_meeting()
    contact = host_contact_of(meeting)
    meeting.status = Meeting.Status.SCHEDULED
    meeting.starts_at, meeting.ends_at = in_days(20), in_days(20, 15)
    meeting.save()
    url = reverse("meetings:date_poll_add", args=[meeting.pk])
    assert staff_client.get(url).status_code == 404
    client_of(client, contact.user)
    assert client.get(url).status_code == 404
    assert "Propose dates" not in client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_are_counted_once_on_postgresql(require_postgres):
    """A double click sends the form twice at the same moment: the poll's row lock takes them one
    after the other, and the unique constraint would refuse a second row anyway."""
    import threading

    from django.db import connections

    poll = open_poll(confirmed_meeting())
    member = MemberFactory()
    start = threading.Barrier(2)
    errors = []

    def submit(choices):
        try:
            start.wait(timeout=10)
            answer(poll, member, *choices)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(c,)) for c in ((YES, NO, MAYBE), (YES, NO, MAYBE))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert not errors
    assert DatePollAnswer.objects.filter(member=member).count() == 3
    results = selectors.poll_results(poll)
    assert [(r.yes, r.if_need_be, r.no) for r in results.slots] == [(1, 0, 0), (0, 0, 1), (0, 1, 0)]


def test_a_meeting_scheduled_on_its_own_page_ends_the_answers_and_the_reminder(client):
    meeting = confirmed_meeting()
    poll = open_poll(meeting, answers_until=in_days(10, 17))
    member = MemberFactory()
    from meetings.services import meeting_schedule

    meeting_schedule(meeting=meeting, by=None, starts_at=in_days(40), ends_at=in_days(40, 15), venue="Aula")
    with pytest.raises(MeetingError, match="date is set"):
        answer(poll, member, YES, YES, YES)
    assert sweep("meeting_date_poll_reminder", in_days(9))["created"] == 0
    client_of(client, member.user)
    page = client.get(poll.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "this date poll takes no more answers" in page and 'type="radio"' not in page
