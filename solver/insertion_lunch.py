"""Insertion into a live route that still has its lunch to take.

The lunch is placed the way the ETA refresh and the nightly plan place it
(``solver.day_schedule``: at a stop boundary, as early as keeps every window), both in
the route as it is and with the new job in each position, so what the quote says about
the other customers is what the refresh will then tell them. The plain scan
(``solver.insertion``) does this in O(n) per position; here each position re-times the
route, O(n) too, with a larger constant: only routes with a lunch due pay it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from solver.day_schedule import NEVER, Door, LunchRule, State, finish, first_state, step
from solver.live_route import Insertion, LiveRoute, NewJob, Shift, Stop, squeezed_by


def _door(stop: Stop) -> Door:
    close = NEVER if stop.promise_end_s is None else stop.promise_end_s
    return Door(stop.service_s, stop.earliest_s or 0, close)


def _job_door(job: NewJob, start: int) -> Door:
    """The job's window that ``start`` falls in: with lunch first, he must still be there
    before that window closes (a later window is a different promise)."""
    for lo, hi in job.windows or ((job.earliest_s, job.latest_s),):
        if (lo is None or lo <= start) and (hi is None or start <= hi):
            return Door(job.service_s, lo or 0, NEVER if hi is None else hi)
    return Door(job.service_s, start, start)


def _states(route: LiveRoute, lunch: LunchRule, doors: list[Door], keep: bool) -> list[State]:
    """The timing state before each stop (and after the last) of the route as it is: a
    job inserted at ``pos`` leaves everything before it as it was."""
    states = [first_state(route.start_s, lunch)]
    for leg, door in zip(route.legs_s, doors, strict=True):
        states.append(step(states[-1], leg, door, lunch, keep))
    return states


def insertions_with_lunch(route: LiveRoute, job: NewJob, to_job_s: Sequence[int],
                          from_job_s: Sequence[int],
                          hour: Callable[[int], float]) -> list[Insertion] | None:  # fmt: skip
    """Every feasible position, as ``insertion.insertions_for_route``; None when the
    lunch cannot be had in this route at all (he takes it when he can: time it plain)."""
    lunch: LunchRule | None = route.lunch
    assert lunch is not None
    stops = list(route.stops)
    doors = [_door(s) for s in stops]
    n = len(stops)
    kept, late = _states(route, lunch, doors, True), _states(route, lunch, doors, False)
    base = finish(kept[-1], lunch, NEVER) or finish(late[-1], lunch, NEVER)
    if base is None:
        return None
    begins = [max(a, d.open_s) for a, d in zip(base, doors, strict=True)]
    out: list[Insertion] = []
    for pos in range(route.first_free, n + 1):
        depart = begins[pos - 1] + stops[pos - 1].service_s if pos else route.start_s
        travel_in = round(to_job_s[pos] * hour(depart))
        start = job.start_for(depart + travel_in)
        if start is None:
            continue
        leg_after = round(from_job_s[pos] * hour(start + job.service_s)) if pos < n else None
        mine = _job_door(job, start)
        timed = None
        for states, keep in ((kept, True), (late, False)):
            state = step(states[pos], travel_in, mine, lunch, keep)
            for k in range(pos, n):
                leg = leg_after if k == pos and leg_after is not None else route.legs_s[k]
                state = step(state, leg, doors[k], lunch, keep)
            timed = finish(state, lunch, route.shift_end_s)
            if timed is not None:
                break
        if timed is None or timed[pos] > mine.close_s:
            continue  # past the day's end, or lunch first would miss the job's window
        arrival = timed[pos]
        shifted: list[Shift] = []
        for k, stop in enumerate(stops):
            new = max(timed[k if k < pos else k + 1], doors[k].open_s)
            if new != begins[k]:
                broken = stop.promise_end_s is not None and new > stop.promise_end_s
                shifted.append(Shift(stop.id, begins[k], new, broken,
                                     squeezed_by(stop, begins[k], new)))  # fmt: skip
        added = travel_in + (leg_after - route.legs_s[pos] if leg_after is not None else 0)
        legs = [*route.legs_s[:pos], travel_in]
        lunched = _lunch_before(route.start_s, timed[: pos + 1], legs, [*doors[:pos], mine])
        out.append(Insertion(route.vehicle_id, pos, arrival, max(arrival, mine.open_s),
                             travel_in, added, pos, tuple(shifted), leg_after,
                             lunched))  # fmt: skip
    return out


def _lunch_before(start_s: int, arrivals: Sequence[int], legs: Sequence[int],
                  doors: Sequence[Door]) -> bool:  # fmt: skip
    """Whether the lunch is taken before the last of these stops: only a lunch makes an
    arrival later than the drive from the stop before (a wait for a window comes after
    the arrival)."""
    done = start_s
    for arrive, leg, door in zip(arrivals, legs, doors, strict=True):
        if arrive > done + leg:
            return True
        done = max(arrive, door.open_s) + door.service_s
    return False
