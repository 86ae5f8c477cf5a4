"""An independent check of any solution against its problem.

It shares no code with the solver: it replays each route on the problem's own matrix
and reports every broken rule, so a bug in the model cannot certify itself. Used by the
tests and by every benchmark run.
"""

from __future__ import annotations

from solver.model.problem import Problem
from solver.model.solution import Solution


def check(problem: Problem, solution: Solution) -> list[str]:
    """Every violation found, in words; an empty list means the solution is valid."""
    errors: list[str] = []
    visits = {v.id: v for v in problem.visits}
    vehicles = {v.id: v for v in problem.vehicles}
    seen: dict[str, str] = {}
    for route in solution.routes:
        veh = vehicles.get(route.vehicle)
        if veh is None:
            errors.append(f"route for unknown vehicle {route.vehicle}")
            continue
        t = veh.start_time
        here = veh.start_location
        load = 0
        intervals: list[tuple[int, int]] = []
        for pos, stop in enumerate(route.stops):
            v = visits.get(stop.visit)
            if v is None:
                errors.append(f"{veh.id}: unknown visit {stop.visit}")
                continue
            if stop.visit in seen:
                errors.append(f"visit {stop.visit} served twice ({seen[stop.visit]}, {veh.id})")
            seen[stop.visit] = veh.id
            if not v.skills <= veh.skills:
                errors.append(f"visit {v.id}: {veh.id} lacks {sorted(v.skills - veh.skills)}")
            if v.pins.vehicle is not None and v.pins.vehicle != veh.id:
                errors.append(f"visit {v.id}: pinned to {v.pins.vehicle}, served by {veh.id}")
            if v.pins.started_on is not None:
                if v.pins.started_on != veh.id or pos != 0:
                    errors.append(f"visit {v.id}: started on {v.pins.started_on}, must stay first")
                if v.pins.started_at is not None and stop.start != v.pins.started_at:
                    errors.append(f"visit {v.id}: started at {v.pins.started_at}, moved")
                t = min(t, stop.start)
            earliest = t + int(problem.durations[here, v.location])
            if v.pins.started_on is None and stop.start < earliest:
                errors.append(
                    f"visit {v.id}: service starts at {stop.start}, but {veh.id} cannot be "
                    f"there before {earliest}"
                )
            if v.windows and not any(w.start <= stop.start <= w.end for w in v.windows):
                errors.append(f"visit {v.id}: starts at {stop.start}, outside its windows")
            p = v.pins.promise
            if p is not None and v.pins.promise_hard and not p.start <= stop.start <= p.end:
                errors.append(f"visit {v.id}: starts at {stop.start}, outside the promise")
            if p is not None and not v.pins.promise_hard:
                opens = not v.windows or any(w.end >= p.start for w in v.windows)
                if opens and stop.start < p.start:
                    errors.append(f"visit {v.id}: starts at {stop.start}, before the window "
                                  f"told ({p.start})")  # fmt: skip
                late = max(0, stop.start - p.end)
                if late != stop.lateness:
                    errors.append(f"visit {v.id}: lateness reported {stop.lateness}, is {late}")
            intervals.append((stop.start, stop.start + v.service))
            t = stop.start + v.service
            here = v.location
            load += v.demand
        back = t + int(problem.durations[here, veh.end_location])
        breaks = sorted(zip(route.breaks, [b.duration for b in veh.breaks], strict=False))
        if len(route.breaks) != len(veh.breaks):
            errors.append(f"{veh.id}: {len(veh.breaks)} breaks due, {len(route.breaks)} taken")
        for (start, duration), b in zip(breaks, sorted(veh.breaks, key=lambda b: b.window.start),
                                         strict=False):  # fmt: skip
            if not b.window.start <= start <= b.window.end:
                errors.append(f"{veh.id}: break at {start} outside its window")
            for a, z in intervals:
                if start < z and a < start + duration:
                    errors.append(f"{veh.id}: break at {start} overlaps a visit at {a}")
        gaps = [0] + [s for s, _ in intervals]
        ends = [veh.start_time] + [z for _, z in intervals]
        for k in range(1, len(gaps)):
            pause = sum(d for s, d in breaks if ends[k - 1] <= s < gaps[k])
            stop = route.stops[k - 1]
            v = visits.get(stop.visit)
            if v is None or v.pins.started_on is not None:
                continue
            prev_loc = veh.start_location if k == 1 else visits[route.stops[k - 2].visit].location
            need = int(problem.durations[prev_loc, v.location]) + pause
            if gaps[k] - ends[k - 1] < need:
                errors.append(f"visit {v.id}: not enough time to drive there and take the break")
        limit = veh.shift_end + veh.overtime
        if back > limit:
            errors.append(f"{veh.id}: back at {back}, after the shift end {limit}")
        if veh.capacity is not None and load > veh.capacity:
            errors.append(f"{veh.id}: load {load} exceeds capacity {veh.capacity}")
    dropped = {d.visit for d in solution.dropped}
    for v in problem.visits:
        if v.id in seen and v.id in dropped:
            errors.append(f"visit {v.id} both served and dropped")
        if v.id not in seen and v.id not in dropped:
            errors.append(f"visit {v.id} neither served nor reported dropped")
    if len(solution.routes) > len(problem.vehicles):
        errors.append("more routes than vehicles")
    return errors
