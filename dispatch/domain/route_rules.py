"""The route's invariants as checks, apart from the aggregate that applies them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime

from dispatch.domain.errors import Conflict
from dispatch.domain.model import Visit


class RouteInvariantBroken(Conflict):
    """A change that would leave the route in a state no technician could drive."""


def check_plan(
    technician_id: int, ours: set[int], stops: Sequence[tuple[Visit, datetime, int]]
) -> None:
    """A replan's sequence keeps every open visit once, no closed one, and started work
    in front of planned work."""
    given = [v.ticket_id for v, _, _ in stops]
    if len(given) != len(set(given)) or not ours <= set(given):
        missing = sorted(ours - set(given))
        raise RouteInvariantBroken(
            f"the new plan for technician {technician_id} repeats or loses visits"
            + (f" (missing {missing})" if missing else "")
        )
    if any(not v.open for v, _, _ in stops) or any(
        later.locked and not earlier.locked
        for (earlier, _, _), (later, _, _) in itertools.pairwise(stops)
    ):
        raise RouteInvariantBroken(
            f"the new plan for technician {technician_id} holds a closed visit or "
            "puts planned work before started work"
        )


def check_position(technician_id: int, position: int, open_now: Sequence[Visit]) -> None:
    """New work goes among the open visits, never in front of started work."""
    locked = sum(1 for v in open_now if v.locked)
    if not locked <= position <= len(open_now):
        raise RouteInvariantBroken(
            f"position {position} is outside {locked}..{len(open_now)} on the route of "
            f"technician {technician_id} (started work stays first)")  # fmt: skip


def check_movable(visit: Visit) -> None:
    """Only planned work changes hands: the technician is committed to the rest."""
    if visit.locked or not visit.open:
        raise RouteInvariantBroken(
            f"visit {visit.ticket_id} is {visit.status.value}; only planned visits change hands"
        )


def check_reorder(technician_id: int, moved: int, ours: set[int],
                  stops: Sequence[tuple[Visit, datetime, int]]) -> None:  # fmt: skip
    """A visit moved by hand within its route: the same visits, and every ETA the move
    changes (and the moved visit's) inside the window its customer was told."""
    if {v.ticket_id for v, _, _ in stops} != ours:
        raise RouteInvariantBroken(
            f"a move within the route of technician {technician_id} keeps the same visits"
        )
    for v, eta, _ in stops:
        told = v.promise
        if (eta == v.eta and v.ticket_id != moved) or told.start <= eta <= told.end:
            continue
        late = eta > told.end
        minutes = round(((eta - told.end) if late else (told.start - eta)).total_seconds() / 60)
        raise RouteInvariantBroken(
            f"there, ticket {v.ticket_id} would be reached {max(minutes, 1)} min "
            f"{'after' if late else 'before'} the window its customer was told"
        )
