"""Who may see, vote on, comment on, propose and close proposals: django-rules predicates, named once.

A steering-group proposal is seen by its seats and the secretariat only (anyone else: 404), like a
steering-group meeting. Permission names avoid Django's model permissions (`view_proposal`,
`add_proposal`, ...). Who may vote: on a steering-group proposal every member with a current seat;
on a network proposal every active member of a current member institution, for her institution, as
long as no colleague holds its vote (the first to vote holds it; she may change it).
"""

import rules

from network.rules import is_active_member, is_staff_with_mfa

from ..rules import sits_on_steering_group

is_staff = is_staff_with_mfa


@rules.predicate
def is_steering_proposal(user, proposal) -> bool:
    return proposal is not None and proposal.audience == "steering"


@rules.predicate
def accepts_votes(user, proposal) -> bool:
    """Open and before its deadline: a state of the proposal and the clock, the same for everyone."""
    return proposal is not None and proposal.is_open and not proposal.deadline_passed


@rules.predicate
def proposal_is_open(user, proposal) -> bool:
    return proposal is not None and proposal.is_open


@rules.predicate
def is_entitled_to_vote(user, proposal) -> bool:
    """A seat holder on a steering-group proposal; on a network proposal an active member of a
    current member institution (staff without a Member row never vote)."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    if proposal is None or member is None or not member.is_active_member:
        return False
    if proposal.audience == "steering":
        return sits_on_steering_group(user)
    return True  # is_active_member: her institution is a current member


@rules.predicate
def holds_or_may_take_the_vote(user, proposal) -> bool:
    """Network proposals: nobody else of her institution has cast its vote (one query)."""
    if proposal is None or proposal.audience == "steering":
        return True
    member = user.member
    return not proposal.votes.filter(institution_id=member.institution_id).exclude(member=member).exists()


may_see_proposal = is_active_member & (~is_steering_proposal | is_staff | sits_on_steering_group)

rules.add_perm("meetings.list_proposals", is_active_member)
rules.add_perm("meetings.read_proposal", may_see_proposal)
# The voting page: whoever may vote on it at all (the service refuses a late or taken vote, saying why).
rules.add_perm("meetings.open_vote_page", may_see_proposal & is_entitled_to_vote)
rules.add_perm(
    "meetings.vote_on_proposal", may_see_proposal & is_entitled_to_vote & accepts_votes & holds_or_may_take_the_vote
)
rules.add_perm("meetings.comment_on_proposal", may_see_proposal & proposal_is_open)
# Put a question to the steering group or the member institutions: its seats and the secretariat.
rules.add_perm("meetings.put_proposal", is_staff | sits_on_steering_group)
rules.add_perm("meetings.close_proposal", is_staff & proposal_is_open)


@rules.predicate
def is_proposer(user, proposal) -> bool:
    return proposal is not None and user.is_authenticated and proposal.proposed_by_id == user.pk


# The outcome statement after closing: whoever proposed it (while she may still see it) or the secretariat.
rules.add_perm("meetings.state_outcome", may_see_proposal & ~proposal_is_open & (is_staff | is_proposer))
