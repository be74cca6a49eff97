"""Proposals between meetings (issue 27) in the browser: a steering-group seat puts a proposal to the
member institutions, members vote (one per institution, with a reason), a colleague of a voter sees
who holds her institution's vote, the secretariat closes it now, the outcome is a decision in the
register with a link back to the proposal and its votes, and the proposer words the outcome. Every
page: zero axe violations (WCAG 2.0/2.1 A and AA) in Swedish and English, at 360 px and 1280 px, no
sideways scroll."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import viewports
from .test_decision_pages import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")


@viewports
def test_propose_vote_close_and_find_the_decision(site, world):
    from meetings.models import Decision, Proposal
    from meetings.tests.factories import ScheduledMeetingFactory, in_days
    from network.models import Member
    from network.tests.factories import MemberFactory, SteeringGroupSeatFactory

    meeting = ScheduledMeetingFactory(
        host=None, title="Vårmöte i Umeå", starts_at=in_days(40), ends_at=in_days(40, 16), registration_deadline=None
    )
    SteeringGroupSeatFactory(member=world.member)  # Anna Lind (Malmö universitet) sits on the steering group
    other = MemberFactory(user__first_name="Erik", user__last_name="Johansson")

    # Anna puts the proposal to every member institution.
    site.login(world.member.user)
    site.goto(reverse("meetings:meeting_list"))
    site.page.locator(f"main a[href='{reverse('meetings:proposal_list')}']").first.click()
    assert site.path() == reverse("meetings:proposal_list")
    site.check("proposal_list_empty", languages=BOTH)
    site.page.locator(f"main a[href='{reverse('meetings:proposal_add')}']").click()
    site.check("proposal_form", languages=BOTH)
    site.page.locator("input[name=audience][value=network]").check()
    site.page.locator("input[name=title]").fill("Gemensamt inspel till forskningspropositionen")
    site.page.locator("textarea[name=text]").fill("Nätverket lämnar ett gemensamt inspel.")
    deadline = timezone.localtime(timezone.now() + datetime.timedelta(days=7)).replace(hour=12, minute=0)
    site.page.locator("input[name=deadline]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    submit(site)
    proposal = Proposal.objects.get()
    assert site.path() == proposal.get_absolute_url() and proposal.meeting == meeting
    site.check("proposal_open", languages=BOTH)

    # She casts Malmö universitet's vote, with a reason.
    site.page.locator("input[name=choice][value=agree]").check()
    site.page.locator("textarea[name=reason]").fill("Bra att vi talar med en röst.")
    submit(site)
    assert proposal.votes.get().institution == world.institution
    site.check("proposal_voted", languages=BOTH)

    # A colleague sees who holds the institution's vote; she comments instead.
    # An approved colleague, not the institution's applicant (members are ordered by their random
    # names: `.first()` of all of them was the applicant now and then).
    colleague = Member.objects.active().filter(institution=world.institution).exclude(pk=world.member.pk).first()
    site.login(colleague.user)
    site.goto(proposal.get_absolute_url())
    assert site.page.get_by_text("Anna Lind").first.is_visible()
    assert site.page.locator("input[name=choice]").count() == 0
    site.page.locator("textarea[name=text]").fill("Vi stöder inspelet.")
    submit(site)
    assert proposal.comments.count() == 1

    # Erik (another institution) votes on the page of its own, through the keyboard-friendly radios.
    site.login(other.user)
    site.goto(reverse("meetings:proposal_vote", args=[proposal.pk]))
    site.check("proposal_vote", languages=BOTH)
    site.page.get_by_label("Avstår" if site.language() == "sv" else "Abstain").check()
    submit(site)
    assert proposal.votes.count() == 2

    # The secretariat closes it now; the decision is in the register, linked to the proposal.
    site.login(world.staff)
    site.goto(proposal.get_absolute_url())
    site.page.locator(f"main a[href='{reverse('meetings:proposal_close', args=[proposal.pk])}']").click()
    site.check("proposal_close", languages=BOTH)
    site.page.locator("textarea[name=statement]").fill("Inspelet skickas in av ordföranden.")
    submit(site)
    proposal.refresh_from_db()
    assert proposal.status == "closed"
    decision = Decision.objects.get(proposal=proposal)
    site.check("proposal_closed", languages=BOTH)
    site.goto(reverse("meetings:decision_register"))
    link = site.page.locator(f"main a[href='{proposal.get_absolute_url()}']")
    assert link.first.is_visible()
    site.check("decision_register_with_proposal", languages=BOTH)
    site.goto(meeting.get_absolute_url() + f"#decision-{decision.pk}")
    assert site.page.locator(f"#decision-{decision.pk}").is_visible()

    # Anna, who proposed it, words the outcome afterwards; the decision's text follows.
    site.login(world.member.user)
    site.goto(reverse("meetings:proposal_statement", args=[proposal.pk]))
    site.check("proposal_statement", languages=BOTH)
    site.page.locator("textarea[name=statement]").fill("Inspelet lämnas den 1 mars.")
    submit(site)
    decision.refresh_from_db()
    assert decision.text_sv.endswith("Inspelet lämnas den 1 mars.")
