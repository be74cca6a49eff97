"""Proposals decided between meetings (issue 27, point 3): who may vote, a vote after the deadline
refused, a double submission counted once, one vote per institution, the outcome rules, the decision
recorded once, the reminder to non-voters only and once, and a steering-group proposal invisible to
everyone but its seats and the secretariat (list, page, search, registers, feed, mail)."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision, Meeting, Proposal, Vote
from meetings.proposals import outcome, selectors, services
from meetings.proposals.services import ProposalError
from meetings.tests.factories import ScheduledMeetingFactory, in_days
from meetings.tests.test_reminders import sweep
from network.models import Delivery
from network.outbox.worker import delivery_send
from network.tests.factories import InstitutionFactory, MemberFactory, StaffUserFactory, SteeringGroupSeatFactory, login

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def network_meeting() -> Meeting:
    # No host: its institution would be one more member institution, entitled to a vote.
    return ScheduledMeetingFactory(
        host=None, starts_at=in_days(40), ends_at=in_days(40, 16), registration_deadline=None
    )


def steering_meeting() -> Meeting:
    return ScheduledMeetingFactory(
        kind=Meeting.Kind.STEERING,
        host=None,
        starts_at=in_days(40),
        ends_at=in_days(40, 12),
        registration_deadline=None,
    )


def seat(**kwargs):
    return SteeringGroupSeatFactory(member=MemberFactory(**kwargs)).member


def proposal(audience=Proposal.Audience.NETWORK, *, days=10, quorum=50, **kwargs) -> Proposal:
    meeting = steering_meeting() if audience == Proposal.Audience.STEERING else network_meeting()
    fields = {"title": "Ett gemensamt yttrande", "text": "Nätverket yttrar sig.", **kwargs}
    return Proposal.objects.create(
        audience=audience, deadline=timezone.now() + days * DAY, quorum=quorum, meeting=meeting, **fields
    )


# --- The outcome rules (pure) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "eligible", "quorum", "expected"),
    [
        ({"agree": 3}, 10, 50, "no_quorum"),  # 3 of 5 needed
        ({"agree": 1, "block": 1}, 10, 50, "no_quorum"),  # no quorum: nothing decided, not even a block
        ({"agree": 4, "abstain": 1}, 10, 50, "agreed"),  # abstaining counts for the quorum
        ({"agree": 4, "block": 1}, 10, 50, "blocked"),  # one block stops it
        ({"agree": 2, "disagree": 2, "abstain": 1}, 10, 50, "not_agreed"),  # a tie is no majority
        ({"agree": 1, "disagree": 3, "abstain": 1}, 10, 50, "not_agreed"),
        ({"agree": 1}, 1, 100, "agreed"),
        ({"agree": 6}, 10, 70, "no_quorum"),  # 70 % of 10 is 7
        ({"agree": 1}, 0, 50, "agreed"),  # nobody entitled: one vote is the least a quorum needs
    ],
)
def test_outcome_follows_quorum_block_and_majority(votes, eligible, quorum, expected):
    assert outcome.Figures(**votes, eligible=eligible, quorum=quorum).outcome == expected


def test_votes_needed_rounds_up():
    assert outcome.votes_needed(eligible=35, quorum=50) == 18
    assert outcome.votes_needed(eligible=8, quorum=50) == 4
    assert outcome.votes_needed(eligible=0, quorum=50) == 1


# --- Voting ---------------------------------------------------------------------------------------------


def test_vote_after_the_deadline_is_refused():
    item = proposal(days=2)
    voter = MemberFactory()
    late = time_machine.travel(item.deadline + datetime.timedelta(seconds=1), tick=False)
    with late, pytest.raises(ProposalError, match="deadline has passed"):
        services.vote_cast(proposal=item, by=voter.user, choice="agree")
    assert not item.votes.exists()


def test_vote_after_the_deadline_is_refused_by_the_page(client):
    item = proposal(days=2)
    voter = MemberFactory()
    login(client, voter.user)
    with time_machine.travel(item.deadline + datetime.timedelta(minutes=1), tick=False):
        response = client.post(
            reverse("meetings:proposal_vote", args=[item.pk]), {"choice": "agree"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert "The deadline has passed" in response.content.decode()
    assert not item.votes.exists()


def test_a_vote_may_be_changed_until_the_deadline_and_counts_once():
    item = proposal()
    voter = MemberFactory()
    services.vote_cast(proposal=item, by=voter.user, choice="disagree", reason="För tidigt.")
    services.vote_cast(proposal=item, by=voter.user, choice="agree")
    (vote,) = item.votes.all()
    assert (vote.choice, vote.reason, vote.institution_id) == ("agree", "", voter.institution_id)
    assert selectors.figures(item).agree == 1 and selectors.figures(item).votes == 1


def test_a_double_submission_through_the_page_is_counted_once(client):
    item = proposal()
    voter = MemberFactory()
    login(client, voter.user)
    url = reverse("meetings:proposal_vote", args=[item.pk])
    for _ in range(2):
        response = client.post(url, {"choice": "block", "reason": "Kan inte leva med det."})
        assert response.status_code == 302
    assert item.votes.count() == 1
    assert selectors.figures(item).block == 1


def test_the_database_refuses_a_second_vote_of_a_member_or_an_institution():
    item = proposal()
    voter = MemberFactory()
    colleague = MemberFactory(institution=voter.institution)
    Vote.objects.create(proposal=item, member=voter, institution=voter.institution, choice="agree")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(proposal=item, member=voter, institution=voter.institution, choice="block")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(proposal=item, member=colleague, institution=voter.institution, choice="block")
    assert item.votes.count() == 1


def test_one_vote_per_institution_the_first_voter_holds_it(client):
    item = proposal()
    first = MemberFactory(user__first_name="Anna", user__last_name="Lind")
    colleague = MemberFactory(institution=first.institution)
    services.vote_cast(proposal=item, by=first.user, choice="agree")
    with pytest.raises(ProposalError, match="Anna Lind has already cast the vote"):
        services.vote_cast(proposal=item, by=colleague.user, choice="disagree")
    assert not colleague.user.has_perm("meetings.vote_on_proposal", item)
    # Her colleague sees plainly who cast her institution's vote, and how.
    login(client, colleague.user)
    page = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Anna Lind has cast the vote of {first.institution.name}: Agree." in page
    assert 'action="' + reverse("meetings:proposal_vote", args=[item.pk]) not in page


def test_on_a_steering_group_proposal_only_seats_vote():
    item = proposal(Proposal.Audience.STEERING)
    member, chair = MemberFactory(), seat()
    colleague = MemberFactory(institution=chair.institution)
    SteeringGroupSeatFactory(member=colleague)  # two seats of one institution vote each
    with pytest.raises(ProposalError, match="not entitled"):
        services.vote_cast(proposal=item, by=member.user, choice="agree")
    services.vote_cast(proposal=item, by=chair.user, choice="agree")
    services.vote_cast(proposal=item, by=colleague.user, choice="abstain")
    assert item.votes.count() == 2 and not item.votes.filter(institution__isnull=False).exists()


def test_a_former_seat_no_longer_votes():
    item = proposal(Proposal.Audience.STEERING)
    former = SteeringGroupSeatFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1)).member
    with pytest.raises(ProposalError, match="not entitled"):
        services.vote_cast(proposal=item, by=former.user, choice="agree")


# --- Proposing ------------------------------------------------------------------------------------------


def test_a_seat_proposes_and_those_entitled_to_vote_are_told_in_their_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    proposer = seat(language="sv")
    other_seat = seat(language="en")
    outsider = MemberFactory()
    meeting = steering_meeting()
    login(client, proposer.user)
    deadline = timezone.localtime(timezone.now() + 5 * DAY).strftime("%Y-%m-%dT%H:%M")
    form = {"audience": "steering", "title": "Ny ordförande", "text": "Vi föreslår ...", "deadline": deadline}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:proposal_add"), {**form, "quorum": "60", "meeting": ""})
    item = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert (item.meeting, item.quorum, item.proposed_by) == (meeting, 60, proposer.user)
    assert {m.to[0] for m in mailoutbox} == {proposer.email, other_seat.email}
    assert outsider.email not in {m.to[0] for m in mailoutbox}
    (english,) = [m for m in mailoutbox if m.to == [other_seat.email]]
    assert "New proposal: Ny ordförande" in english.subject
    (swedish,) = [m for m in mailoutbox if m.to == [proposer.email]]
    assert "Nytt förslag: Ny ordförande" in swedish.subject
    assert item.get_absolute_url() in swedish.body


def test_bad_input_re_renders_the_form_with_a_translated_error(client):
    proposer = seat()
    steering_meeting()
    login(client, proposer.user)
    soon = timezone.localtime(timezone.now() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("meetings:proposal_add"),
        {"audience": "steering", "title": "Snart", "text": "Text", "deadline": soon, "quorum": "50"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "at least 24 hours from now" in page
    assert 'value="Snart"' in page
    assert not Proposal.objects.exists()


def test_a_steering_group_proposal_needs_a_coming_steering_group_meeting():
    proposer = seat()
    network_meeting()
    with pytest.raises(ProposalError, match="no coming steering-group meeting"):
        services.proposal_create(
            by=proposer.user, audience="steering", title="T", text="T", deadline=timezone.now() + 3 * DAY
        )
    with pytest.raises(ProposalError, match="reported at a coming steering-group meeting"):
        services.proposal_create(
            by=proposer.user,
            audience="steering",
            title="T",
            text="T",
            deadline=timezone.now() + 3 * DAY,
            meeting=network_meeting(),
        )


def test_members_who_hold_no_seat_do_not_propose(client):
    login(client, MemberFactory().user)
    assert client.get(reverse("meetings:proposal_add")).status_code == 404


# --- Visibility -----------------------------------------------------------------------------------------


def test_a_steering_group_proposal_is_invisible_to_other_members(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    secret = proposal(Proposal.Audience.STEERING, title="Hemlig styrgruppsfråga", text="Internt underlag")
    public = proposal(title="Öppen nätverksfråga")
    member_seat, member = seat(), MemberFactory(calendar_token="member-feed-token")
    services.vote_cast(proposal=secret, by=member_seat.user, choice="agree")
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_close(proposal=secret, by=StaffUserFactory())
    login(client, member.user)
    listing = client.get(reverse("meetings:proposal_list")).content.decode()
    assert "Öppen nätverksfråga" in listing and "Hemlig styrgruppsfråga" not in listing
    found = client.get(reverse("meetings:proposal_list"), {"q": "hemlig"}).content.decode()
    assert "Hemlig" not in found
    for name in ("proposal_detail", "proposal_vote", "proposal_comment", "proposal_close"):
        assert client.get(reverse(f"meetings:{name}", args=[secret.pk])).status_code == 404, name
    register = client.get(reverse("meetings:decision_register"), {"q": "styrgruppsfråga"}).content.decode()
    assert "Hemlig styrgruppsfråga" not in register
    export = client.get(reverse("meetings:decision_export"), {"format": "csv"}).content.decode()
    assert "Hemlig" not in export
    feed = client.get(reverse("meetings:calendar_feed", args=["member-feed-token"])).content.decode()
    assert "Hemlig" not in feed and "styrgrupp" not in feed.lower()
    assert member.email not in {m.to[0] for m in mailoutbox}  # the outcome went to the seats only
    assert member_seat.email in {m.to[0] for m in mailoutbox}
    # Its seat sees all of it.
    login(client, member_seat.user)
    assert "Hemlig styrgruppsfråga" in client.get(reverse("meetings:proposal_list"), {"q": "hemlig"}).content.decode()
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert "Hemlig styrgruppsfråga" in client.get(reverse("meetings:decision_register")).content.decode()
    assert public.title in client.get(reverse("meetings:proposal_list")).content.decode()


# --- Closing --------------------------------------------------------------------------------------------


def test_closing_records_the_outcome_once_as_a_decision_with_the_figures(
    mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(2):
        InstitutionFactory()  # four member institutions in all, with the two voters'
    item = proposal(quorum=50, title="Gemensamt yttrande")
    sv_voter, en_voter = MemberFactory(language="sv"), MemberFactory(language="en")
    services.vote_cast(proposal=item, by=sv_voter.user, choice="agree")
    services.vote_cast(proposal=item, by=en_voter.user, choice="abstain", reason="Jävig.")
    with time_machine.travel(item.deadline + datetime.timedelta(minutes=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.proposals_close_due() == 1
        assert services.proposals_close_due() == 0
        again = services.proposal_close(proposal=item)
    assert not again.closed_now
    item.refresh_from_db()
    decision = Decision.objects.get(proposal=item)
    assert (item.status, item.outcome, again.decision) == ("closed", "agreed", decision)
    assert item.tally == {
        "agree": 1,
        "abstain": 1,
        "disagree": 0,
        "block": 0,
        "votes": 2,
        "eligible": 4,
        "quorum": 50,
        "needed": 2,
    }
    assert decision.meeting == item.meeting
    assert "Gemensamt yttrande" in decision.text_sv and "Bifallet" in decision.text_sv
    assert "1 agree, 1 abstain, 0 disagree, 0 block: 2 of 4 votes cast, 2 needed" in decision.text_en
    assert Decision.objects.filter(proposal=item).count() == 1
    (english,) = [m for m in mailoutbox if m.to == [en_voter.email]]
    assert english.subject.endswith("Proposal “Gemensamt yttrande”: Agreed")
    (swedish,) = [m for m in mailoutbox if m.to == [sv_voter.email]]
    assert "Bifallet" in swedish.subject


def test_an_open_proposal_is_not_closed_before_its_deadline_except_by_the_secretariat(client):
    item = proposal()
    assert services.proposals_close_due() == 0
    with pytest.raises(ProposalError):
        services.proposal_close(proposal=item)
    staff = StaffUserFactory()
    from network.tests.factories import activate_totp

    activate_totp(staff)
    login(client, staff)
    response = client.post(
        reverse("meetings:proposal_close", args=[item.pk]), {"statement": "Ärendet avgörs på mötet."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.outcome, item.closed_by) == ("closed", "no_quorum", staff)
    assert "Ärendet avgörs på mötet." in item.decision.text_sv
    # Closed: no more votes, comments or closing.
    assert client.get(reverse("meetings:proposal_close", args=[item.pk])).status_code == 404
    voter = MemberFactory()
    with pytest.raises(ProposalError):
        services.vote_cast(proposal=item, by=voter.user, choice="agree")


def test_a_cancelled_meeting_hands_the_decision_to_the_next_one():
    item = proposal()
    item.meeting.status = Meeting.Status.CANCELLED
    item.meeting.save()
    later = ScheduledMeetingFactory(
        host=None, starts_at=in_days(90), ends_at=in_days(90, 16), registration_deadline=None
    )
    with time_machine.travel(item.deadline + DAY, tick=False):
        services.proposals_close_due()
    assert Decision.objects.get(proposal=item).meeting == later


def test_blocked_and_no_quorum_are_recorded_as_such():
    InstitutionFactory.create_batch(2)
    blocked, silent = proposal(quorum=50), proposal(quorum=50)
    for choice in ("agree", "block"):
        services.vote_cast(proposal=blocked, by=MemberFactory().user, choice=choice)
    with time_machine.travel(blocked.deadline + DAY, tick=False):
        services.proposals_close_due()
    blocked.refresh_from_db()
    silent.refresh_from_db()
    assert (blocked.outcome, silent.outcome) == ("blocked", "no_quorum")
    assert "Blocked" in blocked.decision.text_en and "No quorum" in silent.decision.text_en


# --- The reminder ---------------------------------------------------------------------------------------


def test_the_reminder_goes_to_non_voters_only_and_only_once(mailoutbox):
    item = proposal(days=10)
    voter = MemberFactory()
    colleague = MemberFactory(institution=voter.institution)  # her institution has voted
    silent = MemberFactory(language="en")
    silent_colleague = MemberFactory(institution=silent.institution, optional_reminders=False)
    services.vote_cast(proposal=item, by=voter.user, choice="agree")
    too_early = sweep("proposal_vote_reminder", item.deadline - 3 * DAY)
    assert too_early == {"created": 0}
    outcome_ = sweep("proposal_vote_reminder", item.deadline - 2 * DAY + datetime.timedelta(minutes=1))
    assert outcome_ == {"created": 2, silent.email: "sent", silent_colleague.email: "skipped"}  # she opted out
    assert {m.to[0] for m in mailoutbox} == {silent.email}
    assert voter.email not in outcome_ and colleague.email not in outcome_
    (message,) = mailoutbox
    assert "Reminder: vote on “Ett gemensamt yttrande”" in message.subject
    assert f"{silent.institution.name} has not yet voted" in message.body
    assert sweep("proposal_vote_reminder", item.deadline - DAY)["created"] == 0
    assert Delivery.objects.filter(kind="proposal_vote_reminder").count() == 2


def test_a_vote_after_the_reminder_was_queued_stops_it():
    item = proposal(Proposal.Audience.STEERING, days=10)
    late = seat()
    with time_machine.travel(item.deadline - DAY, tick=False):
        from network.outbox.worker import reminders_sweep

        result = reminders_sweep(only=["proposal_vote_reminder"])
        services.vote_cast(proposal=item, by=late.user, choice="agree")
        (pk,) = result.ids
        assert delivery_send(delivery_id=pk) == "skipped"


def test_a_proposal_opened_inside_the_reminder_window_gets_no_reminder():
    item = proposal(days=1)
    MemberFactory()
    assert sweep("proposal_vote_reminder", item.deadline - datetime.timedelta(hours=12)) == {"created": 0}


def test_beat_closes_due_proposals_every_five_minutes():
    from kloss_site.celery import app
    from meetings.proposals.tasks import proposals_close_due_task

    entry = app.conf.beat_schedule["proposals-close-due"]
    assert (entry["task"], entry["schedule"]) == ("meetings.proposals_close_due", 300.0)
    assert "meetings.proposals.tasks" in app.conf.include  # the worker registers it at start
    due, later = proposal(days=1), proposal(days=5)
    with time_machine.travel(due.deadline + datetime.timedelta(minutes=5), tick=False):
        assert proposals_close_due_task.apply().get() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("closed", "open")


def test_the_voting_page_says_whose_vote_counts(client):
    item = proposal()
    first = MemberFactory(user__first_name="Erik", user__last_name="Ek")
    colleague = MemberFactory(institution=first.institution)
    services.vote_cast(proposal=item, by=first.user, choice="disagree")
    login(client, colleague.user)
    url = reverse("meetings:proposal_vote", args=[item.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Each member institution has one vote: the first of its members to vote casts it" in page
    assert f"Erik Ek has cast the vote of {first.institution.name}: Disagree." in page
    response = client.post(url, {"choice": "agree"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Erik Ek has already cast the vote" in response.content.decode()
    assert item.votes.get().choice == "disagree"


def test_the_proposer_writes_the_outcome_statement_after_the_deadline(client):
    proposer = seat()
    item = proposal(proposed_by=proposer.user, title="Höstens tema")
    with time_machine.travel(item.deadline + DAY, tick=False):
        services.proposals_close_due()
    login(client, proposer.user)
    url = reverse("meetings:proposal_statement", args=[item.pk])
    assert url in client.get(item.get_absolute_url()).content.decode()
    response = client.post(url, {"statement": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(url, {"statement": "Frågan tas upp igen på vårmötet."})
    assert response.status_code == 302
    decision = Decision.objects.get(proposal=item)
    assert decision.text_sv.endswith("Frågan tas upp igen på vårmötet.") and "Höstens tema" in decision.text_sv
    assert "No quorum" in decision.text_en and decision.text_en.endswith("Frågan tas upp igen på vårmötet.")
    login(client, MemberFactory().user)
    assert client.get(url).status_code == 404  # another member did not propose it


def test_the_admin_closes_now_and_keeps_a_closed_proposal_as_voted(admin_client):
    item = proposal(title="Från administrationen")
    page = admin_client.get(reverse("admin:meetings_proposal_change", args=[item.pk])).content.decode()
    assert 'name="audience"' in page and 'name="deadline_0"' in page  # open: still to be corrected
    response = admin_client.post(
        reverse("admin:meetings_proposal_changelist"),
        {"action": "close_now", "_selected_action": [item.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "1 proposal closed." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "closed" and Decision.objects.filter(proposal=item).exists()
    page = admin_client.get(reverse("admin:meetings_proposal_change", args=[item.pk])).content.decode()
    assert 'name="audience"' not in page and 'name="deadline_0"' not in page
