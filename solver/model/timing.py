"""A given plan timed as the solver times it: how far it drives, and what it misses.

The replan compares the optimiser's answer with the plan the technicians are driving
now, so both must be measured by the same rules: service starts at the later of the
arrival and the promise's start, and work under way at its real start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from solver.model.lunch_timing import lunch_slips
from solver.model.problem import Problem


@dataclass
class Slips:
    late: set[str] = field(default_factory=set)  # visits reached after their promise
    late_s: int = 0  # seconds late, all together
    late_by: dict[str, int] = field(default_factory=dict)  # visit -> seconds late
    overtime: dict[str, int] = field(default_factory=dict)  # vehicle -> seconds past shift


def slips_in(problem: Problem, routes: Mapping[str, Sequence[str]]) -> Slips:
    """The visits a plan reaches after their promise, by how many seconds in all, and
    how far each vehicle's day runs past its shift end. A vehicle with one break takes
    it where it keeps every window if any place does (``lunch_slips``)."""
    where = {v.id: v for v in problem.visits}
    slips = Slips()
    for veh in problem.vehicles:
        timed = (lunch_slips(problem, veh, routes.get(veh.id, []), where)
                 if len(veh.breaks) == 1 else None)  # fmt: skip
        if timed is not None:
            late_by, end = timed
            slips.late |= set(late_by)
            slips.late_s += sum(late_by.values())
            slips.late_by.update(late_by)
            if end > veh.shift_end:
                slips.overtime[veh.id] = end - veh.shift_end
            continue
        t, here = veh.start_time, veh.start_location
        for visit_id in routes.get(veh.id, []):
            v = where[visit_id]
            t += int(problem.durations[here, v.location])
            promise = v.pins.promise
            if v.pins.started_at is not None:
                t = v.pins.started_at
            elif promise is not None:
                t = max(t, promise.start)
                if t > promise.end:
                    slips.late.add(visit_id)
                    slips.late_s += t - promise.end
                    slips.late_by[visit_id] = t - promise.end
            t += v.service
            here = v.location
        t += int(problem.durations[here, veh.end_location])
        if t > veh.shift_end:
            slips.overtime[veh.id] = t - veh.shift_end
    return slips


def travel_of(problem: Problem, routes: Mapping[str, Sequence[str]]) -> int:
    """Seconds of driving, home to home, of a plan given as vehicle -> visit ids."""
    where = {v.id: v.location for v in problem.visits}
    total = 0
    for veh in problem.vehicles:
        here = veh.start_location
        for visit_id in routes.get(veh.id, []):
            total += int(problem.durations[here, where[visit_id]])
            here = where[visit_id]
        total += int(problem.durations[here, veh.end_location])
    return total
