"""The host rotation planner: a pure function, free of Django (tested with hypothesis).

The rules, in order:
- only current member institutions are candidates; an institution that declined a slot is skipped
  for that slot;
- never the same host in two consecutive slots (also not next to a confirmed host);
- a confirmed host (accepted by the institution or fixed by the secretariat) is never moved;
- among the candidates: fewest times hosted, then longest since last hosted (never hosted first),
  then earliest joined, then name in Swedish order (A-Z, Å, Ä, Ö; network/language/swedish.py, plain Python)
  (then id, so that the result is total and deterministic).

`explain()` turns a proposal's reason into words; it takes the translation functions as arguments,
so that this module needs no Django (`makemessages` still finds the `_()` strings).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from network.language.swedish import sort_key

Slot = tuple[int, int]  # (year, 0 = spring / 1 = autumn)


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    joined_on: datetime.date


@dataclass(frozen=True)
class SlotToPlan:
    slot: Slot
    confirmed_host: int | None = None  # fixed: never moved
    declined: frozenset[int] = field(default_factory=frozenset)
    skip: bool = False  # a cancelled slot: nobody hosts it, it does not count


@dataclass(frozen=True)
class Proposal:
    slot: Slot
    host: int | None
    confirmed: bool
    reason: dict  # kind + numbers; `explain()` renders it


def slot_index(slot: Slot) -> int:
    return slot[0] * 2 + slot[1]


def next_slot(slot: Slot) -> Slot:
    return (slot[0], 1) if slot[1] == 0 else (slot[0] + 1, 0)


def plan(
    *,
    candidates: Iterable[Candidate],
    history: Iterable[tuple[Slot, int]],
    slots: Sequence[SlotToPlan],
) -> list[Proposal]:
    """Propose a host for each slot of `slots` (in slot order).

    `history`: (slot, host id) of the meetings before the first slot to plan that were (or will be)
    hosted; it decides the counts and "last hosted". Hosts of `history` who are not candidates any
    more simply do not matter.
    """
    candidates = sorted(candidates, key=lambda c: c.id)
    count: dict[int, int] = {}
    last: dict[int, int] = {}
    previous_host: int | None = None
    previous_index: int | None = None
    for slot, host in sorted(history):
        count[host] = count.get(host, 0) + 1
        last[host] = max(last.get(host, -1), slot_index(slot))
        previous_host, previous_index = host, slot_index(slot)

    slots = sorted(slots, key=lambda s: s.slot)
    proposals: list[Proposal] = []
    for position, to_plan in enumerate(slots):
        index = slot_index(to_plan.slot)
        # "Consecutive" means the slot right before; a gap (no meeting) breaks the chain.
        before = previous_host if previous_index == index - 1 else None
        if to_plan.skip:
            proposals.append(Proposal(to_plan.slot, None, False, {"kind": "skipped"}))
            continue
        if to_plan.confirmed_host is not None:
            host = to_plan.confirmed_host
            proposals.append(Proposal(to_plan.slot, host, True, {"kind": "confirmed"}))
        else:
            after = None
            if position + 1 < len(slots):
                following = slots[position + 1]
                if slot_index(following.slot) == index + 1 and not following.skip:
                    after = following.confirmed_host
            eligible = [c for c in candidates if c.id not in to_plan.declined and c.id != before and c.id != after]
            if not eligible:
                proposals.append(Proposal(to_plan.slot, None, False, {"kind": "nobody"}))
                previous_host, previous_index = None, index
                continue
            chosen = min(
                eligible,
                key=lambda c: (count.get(c.id, 0), last.get(c.id, -1), c.joined_on, sort_key(c.name), c.id),
            )
            host = chosen.id
            last_index = last.get(host)
            proposals.append(
                Proposal(
                    to_plan.slot,
                    host,
                    False,
                    {
                        "kind": "proposed",
                        "count": count.get(host, 0),
                        "last_year": None if last_index is None else last_index // 2,
                        "last_season": None if last_index is None else last_index % 2,
                        "joined_year": chosen.joined_on.year,
                        "declined": len(to_plan.declined),
                    },
                )
            )
        count[host] = count.get(host, 0) + 1
        last[host] = index
        previous_host, previous_index = host, index
    return proposals


def explain(
    reason: dict,
    _: Callable[[str], str] = lambda s: s,
    ngettext: Callable[[str, str, int], str] = lambda s, p, n: s if n == 1 else p,
) -> str:
    """A proposal's reason in words, e.g. "hosted 0 times; never hosted; member since 2017"."""
    kind = reason.get("kind")
    if kind == "confirmed":
        return _("confirmed host: never moved by re-planning")
    if kind == "skipped":
        return _("cancelled slot")
    if kind == "nobody":
        return _("no eligible institution for this slot")
    if kind == "override":
        return _("host set by the secretariat")
    if kind != "proposed":
        return ""
    count = reason.get("count", 0)
    parts = [ngettext("hosted %(count)d time", "hosted %(count)d times", count) % {"count": count}]
    if reason.get("last_year") is None:
        parts.append(_("never hosted"))
    else:
        season = _("spring") if reason.get("last_season") == 0 else _("autumn")
        parts.append(_("last hosted %(season)s %(year)d") % {"season": season, "year": reason["last_year"]})
    parts.append(_("member since %(year)d") % {"year": reason["joined_year"]})
    if reason.get("declined"):
        declined = reason["declined"]
        parts.append(
            ngettext("%(count)d institution declined", "%(count)d institutions declined", declined)
            % {"count": declined}
        )
    return "; ".join(parts)
