"""A given plan of a vehicle with a break, timed as the ETA refresh times it.

The replan compares its answer with the plan being driven (``timing.slips_in``); with a
lunch still to take, that plan is timed with the lunch where the refresh puts it
(``solver.day_schedule``: at a stop boundary, as early as keeps every window), so a
plan that holds every promise with its lunch is not taken for one that breaks them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from solver.day_schedule import NEVER, Door, LunchRule, arrivals_with_lunch
from solver.model.problem import Problem, Vehicle, Visit


def lunch_slips(problem: Problem, veh: Vehicle, visit_ids: Sequence[str],
                where: Mapping[str, Visit]) -> tuple[dict[str, int], int] | None:  # fmt: skip
    """(visit -> seconds late, the time he is home), or None when the break cannot be
    had in this plan at all (then it is timed without it). ``where``: visits by id."""
    (brk,) = veh.breaks
    t, here, k = veh.start_time, veh.start_location, 0
    while k < len(visit_ids) and where[visit_ids[k]].pins.started_at is not None:
        v = where[visit_ids[k]]  # work under way: its real start, no lunch before it ends
        t = int(v.pins.started_at or 0) + v.service
        here, k = v.location, k + 1
    legs: list[int] = []
    doors: list[Door] = []
    for visit_id in visit_ids[k:]:
        v = where[visit_id]
        legs.append(int(problem.durations[here, v.location]))
        promise = v.pins.promise
        doors.append(Door(v.service, promise.start if promise else 0,
                          promise.end if promise else NEVER))  # fmt: skip
        here = v.location
    legs.append(int(problem.durations[here, veh.end_location]))  # home: a door with no
    doors.append(Door(0))  # window, so a lunch after the last visit delays getting there
    lunch = LunchRule(max(brk.window.start, t), brk.window.end + brk.duration, brk.duration)
    arrivals = arrivals_with_lunch(t, NEVER, lunch, legs, doors)
    if arrivals is None:
        return None
    timed = zip(visit_ids[k:], arrivals, doors, strict=False)
    late = {
        vid: max(a, d.open_s) - d.close_s for vid, a, d in timed if max(a, d.open_s) > d.close_s
    }
    return late, arrivals[-1]
