"""The outcome of a proposal from its figures: pure, free of Django (tested as plain functions).

- No quorum: fewer votes were cast (abstaining counts) than the quorum's share of those entitled
  to vote, rounded up (at least one vote). Nothing is decided, whatever the votes say.
- Blocked: the quorum is there and at least one voter blocks (Loomio's block: "I have a serious
  objection and cannot live with this"). A block stops the proposal, however many agree.
- Agreed: more agree than disagree (abstentions count for the quorum, not for either side).
- Not agreed: otherwise (a tie is not a majority for the proposal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

AGREED, NOT_AGREED, BLOCKED, NO_QUORUM = "agreed", "not_agreed", "blocked", "no_quorum"
CHOICES = ("agree", "abstain", "disagree", "block")


def votes_needed(*, eligible: int, quorum: int) -> int:
    """How many votes make the quorum: `quorum` per cent of `eligible`, rounded up, at least one."""
    return max(1, math.ceil(eligible * quorum / 100))


@dataclass(frozen=True)
class Figures:
    agree: int = 0
    abstain: int = 0
    disagree: int = 0
    block: int = 0
    eligible: int = 0
    quorum: int = 50

    @property
    def votes(self) -> int:
        return self.agree + self.abstain + self.disagree + self.block

    @property
    def needed(self) -> int:
        return votes_needed(eligible=self.eligible, quorum=self.quorum)

    @property
    def has_quorum(self) -> bool:
        return self.votes >= self.needed

    @property
    def outcome(self) -> str:
        if not self.has_quorum:
            return NO_QUORUM
        if self.block:
            return BLOCKED
        return AGREED if self.agree > self.disagree else NOT_AGREED

    def as_dict(self) -> dict:
        return {
            **{choice: getattr(self, choice) for choice in CHOICES},
            "votes": self.votes,
            "eligible": self.eligible,
            "quorum": self.quorum,
            "needed": self.needed,
        }
