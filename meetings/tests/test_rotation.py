"""The planner as a pure function: rules, explanations and hypothesis properties."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.rotation import Candidate, SlotToPlan, explain, next_slot, plan


def slots(count, first=(2030, 0)):
    result = [first]
    while len(result) < count:
        result.append(next_slot(result[-1]))
    return result


def candidates(n, joined=None):
    return [Candidate(i, f"Inst {i:02d}", joined[i] if joined else datetime.date(2017, 3, 8)) for i in range(1, n + 1)]


def hosts(proposals):
    return [p.host for p in proposals]


def test_plan_fewest_hosted_first_then_never_hosted():
    history = [((2020, 0), 1), ((2020, 1), 2), ((2021, 0), 1)]
    result = plan(candidates=candidates(3), history=history, slots=[SlotToPlan(s) for s in slots(1, (2021, 1))])
    assert hosts(result) == [3]
    assert result[0].reason["count"] == 0
    assert explain(result[0].reason) == "hosted 0 times; never hosted; member since 2017"


def test_plan_longest_since_last_hosted_breaks_ties():
    history = [((2020, 0), 2), ((2020, 1), 1), ((2021, 0), 3)]
    result = plan(candidates=candidates(3), history=history, slots=[SlotToPlan(s) for s in slots(1, (2021, 1))])
    assert hosts(result) == [2]
    assert "last hosted spring 2020" in explain(result[0].reason)


def test_plan_earliest_joined_then_name_break_ties():
    joined = {1: datetime.date(2019, 1, 1), 2: datetime.date(2017, 3, 8), 3: datetime.date(2017, 3, 8)}
    cands = [Candidate(1, "A", joined[1]), Candidate(2, "C", joined[2]), Candidate(3, "B", joined[3])]
    assert hosts(plan(candidates=cands, history=[], slots=[SlotToPlan((2030, 0))])) == [3]


def test_plan_name_tie_break_is_swedish_order():
    """Equal counts and join dates: A-Z first, then Å, Ä, Ö (not Python's code-point order Ä, Å, Ö)."""
    day = datetime.date(2017, 3, 8)
    names = ["Örebro universitet", "Ängelholms högskola", "Åbo akademi", "Växjö högskola", "Umeå universitet"]
    cands = [Candidate(i, name, day) for i, name in enumerate(names, start=1)]
    result = plan(candidates=cands, history=[], slots=[SlotToPlan(s) for s in slots(5)])
    assert [names[h - 1] for h in hosts(result)] == [
        "Umeå universitet",
        "Växjö högskola",
        "Åbo akademi",
        "Ängelholms högskola",
        "Örebro universitet",
    ]


def test_plan_skips_declined_institution():
    result = plan(candidates=candidates(3), history=[], slots=[SlotToPlan((2030, 0), declined=frozenset({1}))])
    assert hosts(result) == [2]
    assert "1 institution declined" in explain(result[0].reason)


def test_plan_never_repeats_the_host_of_the_previous_slot():
    result = plan(candidates=candidates(2), history=[((2029, 1), 1)], slots=[SlotToPlan((2030, 0))])
    assert hosts(result) == [2]


def test_plan_avoids_host_of_a_confirmed_next_slot():
    result = plan(
        candidates=candidates(2), history=[], slots=[SlotToPlan((2030, 0)), SlotToPlan((2030, 1), confirmed_host=1)]
    )
    assert hosts(result) == [2, 1]


def test_plan_nobody_eligible_leaves_slot_open():
    result = plan(candidates=candidates(1), history=[((2029, 1), 1)], slots=[SlotToPlan((2030, 0))])
    assert hosts(result) == [None]
    assert explain(result[0].reason) == "no eligible institution for this slot"


def test_plan_cancelled_slot_is_skipped_and_breaks_the_chain():
    result = plan(
        candidates=candidates(2),
        history=[((2029, 1), 1)],
        slots=[SlotToPlan((2030, 0), skip=True), SlotToPlan((2030, 1))],
    )
    assert hosts(result) == [None, 2]


# --- Properties -------------------------------------------------------------------------------

institution_counts = st.integers(min_value=2, max_value=12)


@st.composite
def world(draw):
    n = draw(institution_counts)
    joined = {
        i: datetime.date(2017, 3, 8) + datetime.timedelta(days=draw(st.integers(0, 2000))) for i in range(1, n + 1)
    }
    cands = candidates(n, joined)
    count = draw(st.integers(min_value=1, max_value=3 * n))
    plan_slots = slots(count)
    confirmed = {}
    for slot in plan_slots:
        if draw(st.booleans()) and draw(st.booleans()):
            confirmed[slot] = draw(st.integers(1, n))
    declined = {slot: frozenset(draw(st.sets(st.integers(1, n), max_size=max(0, n - 3)))) for slot in plan_slots}
    return cands, plan_slots, confirmed, declined


@settings(max_examples=150, deadline=None)
@given(n=institution_counts)
def test_property_fairness_every_institution_hosts_once_before_anyone_twice(n):
    result = hosts(plan(candidates=candidates(n), history=[], slots=[SlotToPlan(s) for s in slots(2 * n)]))
    assert None not in result
    for window_start in range(len(result)):
        seen = set()
        for host in result[window_start:]:
            if host in seen:
                assert len(seen) == n, f"{host} hosts twice before all {n} hosted once: {result}"
                break
            seen.add(host)
    assert sorted(result[:n]) == list(range(1, n + 1))


@settings(max_examples=150, deadline=None)
@given(world())
def test_property_no_consecutive_repeats_and_confirmed_never_move(data):
    cands, plan_slots, confirmed, declined = data
    to_plan = [SlotToPlan(s, confirmed_host=confirmed.get(s), declined=declined[s]) for s in plan_slots]
    result = plan(candidates=cands, history=[], slots=to_plan)
    for proposal in result:
        if proposal.slot in confirmed:
            assert proposal.host == confirmed[proposal.slot] and proposal.confirmed
        elif proposal.host is not None:
            assert proposal.host not in declined[proposal.slot]
    for previous, current in zip(result, result[1:], strict=False):
        both_confirmed = previous.slot in confirmed and current.slot in confirmed
        if previous.host is not None and not both_confirmed:
            assert previous.host != current.host, result


@settings(max_examples=100, deadline=None)
@given(world(), st.randoms())
def test_property_deterministic_whatever_the_input_order(data, random):
    cands, plan_slots, confirmed, declined = data
    to_plan = [SlotToPlan(s, confirmed_host=confirmed.get(s), declined=declined[s]) for s in plan_slots]
    first = plan(candidates=cands, history=[], slots=to_plan)
    shuffled_cands, shuffled_slots = list(cands), list(to_plan)
    random.shuffle(shuffled_cands)
    random.shuffle(shuffled_slots)
    assert plan(candidates=shuffled_cands, history=[], slots=shuffled_slots) == first
