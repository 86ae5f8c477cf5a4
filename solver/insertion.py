"""Cheapest feasible insertion of one new job into live routes.

This is what the helpdesk quote runs while the customer is on the phone, so it must
answer in milliseconds: one travel-time row and one column for the new place, the
existing legs of each route, and an O(n²) scan of every position in every route. It
reports what each option does to the customers already on that route, so the agent
sees the price of a choice before making it.

Times are integer seconds on any common scale (the caller uses Unix time).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from solver.insertion_lunch import insertions_with_lunch
from solver.live_route import (
    URGENT_PUSH_GAIN_S,
    Insertion,
    LiveRoute,
    NewJob,
    Shift,
    Stop,
    begin_at,
    squeezed_by,
)

__all__ = ["URGENT_PUSH_GAIN_S", "Insertion", "LiveRoute", "NewJob", "Shift", "Stop",
           "best_insertions", "insertions_for_route"]  # fmt: skip


def _schedule(
    route: LiveRoute, legs: Sequence[int], stops: Sequence[Stop]
) -> tuple[list[int], int]:
    """Arrival at each stop and the final departure, waiting for windows as needed."""
    t = route.start_s
    arrivals: list[int] = []
    for leg, stop in zip(legs, stops, strict=True):
        arrive = t + leg
        arrivals.append(arrive)
        begin = max(arrive, stop.earliest_s) if stop.earliest_s is not None else arrive
        t = begin + stop.service_s
    return arrivals, t


def _flat(_t: int) -> float:
    return 1.0


def insertions_for_route(
    route: LiveRoute,
    job: NewJob,
    to_job_s: Sequence[int],
    from_job_s: Sequence[int],
    hour: Callable[[int], float] = _flat,
) -> list[Insertion]:
    """Every feasible position in one route.

    ``to_job_s[0]`` is from the route's start, ``to_job_s[i + 1]`` from ``stops[i]``;
    ``from_job_s[i]`` is from the job to ``stops[i]``. Shift end is hard; promises to
    other customers are not (a broken one is reported, and never chosen silently).
    ``hour``: the traffic factor for a departure at a moment; the job's rows are then
    free of the hour, and the drives into and out of the job are timed at their own
    departures. Stored legs are kept as the route stored them.
    """
    if route.lunch is not None:
        planned = insertions_with_lunch(route, job, to_job_s, from_job_s, hour)
        if planned is not None:
            return planned
    stops = list(route.stops)
    n = len(stops)
    base_arrivals, _ = _schedule(route, route.legs_s, stops)
    base_begins = [begin_at(stop, a) for stop, a in zip(stops, base_arrivals, strict=True)]
    out: list[Insertion] = []
    for pos in range(route.first_free, n + 1):
        # departure from the previous point
        depart = base_begins[pos - 1] + stops[pos - 1].service_s if pos else route.start_s
        travel_in = round(to_job_s[pos] * hour(depart))
        arrival = depart + travel_in
        start = job.start_for(arrival)
        if start is None:
            continue
        t = start + job.service_s
        shifted: list[Shift] = []
        added = travel_in
        leg_after = round(from_job_s[pos] * hour(t)) if pos < n else None
        if leg_after is not None:
            added += leg_after - route.legs_s[pos]
            leg = leg_after
            for k in range(pos, n):
                if k > pos:
                    leg = route.legs_s[k]
                stop = stops[k]
                begin = begin_at(stop, t + leg)  # a stop waits for its earliest start
                if begin != base_begins[k]:
                    late = stop.promise_end_s is not None and begin > stop.promise_end_s
                    shifted.append(Shift(stop.id, base_begins[k], begin, late,
                                         squeezed_by(stop, base_begins[k], begin)))
                t = begin + stop.service_s
        if t > route.shift_end_s:
            continue
        out.append(
            Insertion(
                vehicle_id=route.vehicle_id,
                position=pos,
                arrival_s=arrival,
                start_s=start,
                travel_s=travel_in,
                added_travel_s=added,
                stops_ahead=pos,
                shifted=tuple(shifted),
                leg_after_s=leg_after,
            )
        )
    return out


def best_insertions(
    routes: Sequence[LiveRoute],
    job: NewJob,
    to_job: Sequence[Sequence[int]],
    from_job: Sequence[Sequence[int]],
    urgent: bool = False,
    hour: Callable[[int], float] = _flat,
) -> list[Insertion]:
    """The best position per route, in two lists' worth: keeping promises beats breaking.

    A normal job takes the cheapest position (least added driving plus the margin it
    takes from other customers' windows, a minute for a minute; then earliest). An
    urgent one takes the earliest start, and may break promises only of stops marked
    ``pushable``; a position that would break any other promise is never offered.
    """
    best: list[Insertion] = []
    for route, to_j, from_j in zip(routes, to_job, from_job, strict=True):
        pushable = {s.id for s in route.stops if s.pushable}
        options = [
            o
            for o in insertions_for_route(route, job, to_j, from_j, hour)
            if all(s.stop_id in pushable for s in o.broken_promises) or not urgent
        ]
        if not options:
            continue
        if urgent:
            choice = min(options, key=lambda o: (o.start_s, not o.keeps_promises, o.position))
            keeping = [o for o in options if o.keeps_promises]
            # an urgent job still keeps promises when that costs it under 15 minutes
            if keeping:
                kept = min(keeping, key=lambda o: (o.start_s, o.added_travel_s))
                if kept.start_s - choice.start_s <= URGENT_PUSH_GAIN_S:
                    choice = kept
        else:
            choice = min(
                options,
                key=lambda o: (not o.keeps_promises, o.added_travel_s + o.squeezed_s,
                               o.start_s, o.position),
            )
        best.append(choice)
    return best
