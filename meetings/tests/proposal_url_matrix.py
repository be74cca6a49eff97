"""The proposals' rows of the URL x role matrix (added to meetings/tests/url_matrix.py).

None of the member roles sits on the steering group: a steering-group proposal is the
secretariat's only among them (404 to every member, as its meetings). Staff have no Member row:
they never vote (404 on the voting page), but close proposals.
"""

import datetime

from django.utils import timezone

from meetings.models import Decision, Proposal


def build(world: dict) -> None:
    deadline = timezone.now() + datetime.timedelta(days=10)
    world["network_proposal"] = Proposal.objects.create(
        audience=Proposal.Audience.NETWORK,
        title="Nätverket yttrar sig över forskningspropositionen",
        text="Förslag: nätverket lämnar ett gemensamt yttrande.",
        deadline=deadline,
        meeting=world["meeting"],
    )
    world["steering_proposal"] = Proposal.objects.create(
        audience=Proposal.Audience.STEERING,
        title="Styrgruppen föreslår en ny ordförande",
        text="Internt förslag.",
        deadline=deadline,
        meeting=world["steering_meeting"],
    )
    # Closed at its deadline with its decision; the plain member proposed it (when she held a seat).
    closed = Proposal.objects.create(
        title="Nätverket antar en gemensam uppföljningsmodell",
        text="Förslag.",
        deadline=timezone.now() - datetime.timedelta(days=2),
        meeting=world["meeting"],
        status=Proposal.Status.CLOSED,
        outcome=Proposal.Outcome.NO_QUORUM,
        proposed_by=world["member"],
    )
    Decision.objects.create(meeting=world["meeting"], text_sv="Inte beslutfört.", proposal=closed)
    world["closed_proposal"] = closed


def cases(world: dict, members_only, hosts_only) -> list[tuple[str, dict, dict]]:
    network = {"pk": world["network_proposal"].pk}
    steering = {"pk": world["steering_proposal"].pk}
    staff_only = members_only(404, staff=200)
    return [
        ("meetings:proposal_list", {}, members_only()),
        # The steering group's seats and the secretariat put proposals.
        ("meetings:proposal_add", {}, staff_only),
        ("meetings:proposal_detail", network, members_only()),
        ("meetings:proposal_detail", {"pk": 999999}, members_only(404)),
        ("meetings:proposal_detail", steering, staff_only),
        # Every member may cast her institution's vote; staff (no Member row) never vote.
        ("meetings:proposal_vote", network, members_only(staff=404)),
        ("meetings:proposal_vote", steering, members_only(404)),
        ("meetings:proposal_comment", network, members_only()),
        ("meetings:proposal_comment", steering, staff_only),
        ("meetings:proposal_close", network, staff_only),
        ("meetings:proposal_close", steering, staff_only),
        ("meetings:proposal_detail", {"pk": world["closed_proposal"].pk}, members_only()),
        # The outcome statement after closing: whoever proposed it (the member) and the secretariat.
        ("meetings:proposal_statement", {"pk": world["closed_proposal"].pk}, staff_only | {"member": 200}),
        ("meetings:proposal_statement", network, members_only(404)),
        ("meetings:proposal_close", {"pk": world["closed_proposal"].pk}, members_only(404)),
    ]
