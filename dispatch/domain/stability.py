"""When a replan may give a visit to another technician, and what a replan changed.

A customer who was told "Jan comes" and then reads "Lotte comes" loses trust even when
the window holds, and the technician loses the job they prepared for. So moving a visit
whose customer was told a name has to be worth it: each one must be paid for by
``told_move`` (15 minutes by default) of driving saved, or of lateness or overtime
taken off the day, or by a late customer brought back inside their window. A late
customer rescued by moving eight others is not worth it; rescued by moving one, it is;
and a customer a quarter of an hour late (``told_move``) who keeps their window with
another technician is moved for free: the name changes, the promise holds, and that is
the better news. (A few minutes late is not enough: on the simulated days, freeing
those moved 7-8 % of the told names in one replan.) Visits
nobody was told a name for move at the old, small price. The optimiser sees both
prices as a cost per visit moved, so it looks for plans that keep names; ``refusal``
checks its answer independently, and the replan falls back to a plan that keeps every
told name when the answer fails it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Hashable)


@dataclass(frozen=True)
class Stability:
    told_move: timedelta = timedelta(minutes=15)  # per visit whose customer knows a name
    other_move: timedelta = timedelta(minutes=3)  # per visit nobody was told a name for
    # and however much it gains, one replan moves at most this share of the told visits
    # (rounded down) that must be paid for: a day is not reshuffled at once. Customers
    # a quarter of an hour late moved to keep their own window are not counted.
    most_share: float = 0.05

    def move_cost_s(self, told: bool) -> int:
        return int((self.told_move if told else self.other_move).total_seconds())

    def refusal(self, told_moved: int, saved_s: int, rescued: int = 0,
                slips_saved_s: int = 0, told: int | None = None) -> str | None:  # fmt: skip
        """Why a plan that moves ``told_moved`` of the ``told`` visits may not be
        applied, or None. ``saved_s``: driving saved; ``rescued``: broken promises kept
        again; ``slips_saved_s``: lateness and overtime taken off the day."""
        price = self.move_cost_s(True)
        if told is not None and told_moved > int(self.most_share * told):
            return (f"it would give {told_moved} of {told} customers told a name another "
                    f"technician (at most {self.most_share:.0%} per replan)")  # fmt: skip
        gained = max(0, saved_s) + max(0, slips_saved_s)
        if told_moved <= gained // price + rescued:
            return None
        needed = (told_moved - rescued) * price // 60
        return (f"it would give {told_moved} customer(s) another technician for "
                f"{gained // 60} min of driving, lateness and overtime saved "
                f"(needs {needed})")  # fmt: skip


@dataclass(frozen=True)
class PlanChanges:
    """What a replan changed: visits handed to another technician, and visits that kept
    their technician but moved in the order (the fewest moves that turn the old order
    into the new one, so a swap of two neighbours counts one)."""

    reassigned: frozenset[Hashable]
    reordered: int


def plan_changes(before: Mapping[K, Sequence[V]], after: Mapping[K, Sequence[V]]) -> PlanChanges:
    was = {v: k for k, vs in before.items() for v in vs}
    now = {v: k for k, vs in after.items() for v in vs}
    reassigned = frozenset(v for v, k in now.items() if v in was and was[v] != k)
    reordered = 0
    for k, new in after.items():
        old = [v for v in before.get(k, ()) if now.get(v) == k]
        kept = [v for v in new if was.get(v) == k]
        reordered += len(kept) - _common(old, kept)
    return PlanChanges(reassigned, reordered)


def _common(a: Sequence[V], b: Sequence[V]) -> int:
    """Length of the longest common subsequence: the visits left where they were."""
    row = [0] * (len(b) + 1)
    for x in a:
        diagonal = 0
        for j, y in enumerate(b, start=1):
            diagonal, row[j] = row[j], diagonal + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]
