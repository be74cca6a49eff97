"""Planner time for 35 institutions x 40 slots: `.venv/bin/python bench/planner_time.py` (no Django)."""

import datetime
import random
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meetings.rotation import Candidate, SlotToPlan, next_slot, plan


def main() -> None:
    rng = random.Random(4)
    candidates = [
        Candidate(i, f"Lärosäte {i:02d}", datetime.date(2017 + rng.randint(0, 5), 1, 1)) for i in range(1, 36)
    ]
    history, slot = [], (2017, 0)
    for _ in range(20):
        history.append((slot, rng.randint(1, 35)))
        slot = next_slot(slot)
    slots = []
    for _ in range(40):
        slots.append(
            SlotToPlan(
                slot,
                confirmed_host=rng.randint(1, 35) if rng.random() < 0.1 else None,
                declined=frozenset(rng.sample(range(1, 36), 2)),
            )
        )
        slot = next_slot(slot)
    runs = 200
    seconds = timeit.timeit(lambda: plan(candidates=candidates, history=history, slots=slots), number=runs) / runs
    print(f"planner: 35 institutions x 40 slots (20 past meetings): {seconds * 1000:.2f} ms per plan")


if __name__ == "__main__":
    main()
