"""One later date's slots for a ticket: every window with its best technician.

At fleet scale this is where the time goes, so the work is cut three ways. The travel
to and from the new place is two one-to-many queries for the whole day (every home and
every booked stop of every technician), not two per technician. Each technician gets a
lower bound on the driving the job would add (the cheapest detour over his positions,
ignoring time); per window, technicians are tried in that order and the search stops
as soon as the bound cannot beat the best fit found. And an urgent job takes the first
fit, since its rank is the window's start alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from dispatch.domain.day_plan import DayPlan
from dispatch.domain.model import Technician, Ticket, TimeWindow
from dispatch.domain.workdays import Workday
from dispatch.services.plan_cache import Stops
from solver.day_slots import Booked, Fit, Lunch, PlannedDay, cheapest_keeping, timing
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class TechDay:
    technician: Technician
    work: Workday
    plan: DayPlan
    windows: list[TimeWindow]
    stops: Stops | None = None  # the plan converted for the solver, when cached


def ts(t: datetime) -> int:
    return int(t.timestamp())


def planned_day(d: TechDay) -> PlannedDay:
    work, plan = d.work, d.plan
    assert work.shift is not None
    lunch = work.lunch
    stops, legs = d.stops or (
        [Booked(a.ticket_id, int(a.service.total_seconds()), ts(a.window.start),
                ts(a.window.end)) for a in plan.appointments],
        [a.leg_s for a in plan.appointments],
    )  # fmt: skip
    return PlannedDay(
        d.technician.id, ts(work.shift.start), ts(work.shift.end),
        Lunch(ts(lunch.earliest), ts(lunch.latest), int(lunch.duration.total_seconds()))
        if lunch else None, stops, legs,
    )  # fmt: skip


def legs_to_job(travel: TravelTimes, ticket: Ticket, days: list[TechDay]
                ) -> list[tuple[list[int], list[int]]]:  # fmt: skip
    """(from each point to the job, from the job to each stop) per technician-day, with
    one query each way for all of them."""
    points = [
        p
        for d in days
        for p in (d.technician.home.latlon, *(a.location.latlon for a in d.plan.appointments))
    ]
    if not points:
        return []
    here = ticket.location.latlon
    to_all = np.rint(travel.matrix(points, [here])[:, 0]).astype(int).tolist()
    from_all = np.rint(travel.matrix([here], points)[0, :]).astype(int).tolist()
    out, k = [], 0
    for d in days:
        n = len(d.plan.appointments) + 1
        out.append((to_all[k : k + n], from_all[k + 1 : k + n]))
        k += n
    return out


def _bound(day: PlannedDay, to_job: list[int], from_job: list[int]) -> int:
    """No position adds less driving than this (time windows aside)."""
    n = len(day.stops)
    detours = [to_job[p] + from_job[p] - day.legs_s[p] for p in range(n)]
    return min([*detours, to_job[n]])


def _free_s(day: PlannedDay) -> int:
    """The day's time not yet driven, worked or eaten: an upper bound on what a new job
    (with its detour) can take, whatever the windows."""
    used = sum(s.service_s for s in day.stops) + sum(day.legs_s)
    return day.end_s - day.start_s - used - (day.lunch.duration_s if day.lunch else 0)


def best_per_window(travel: TravelTimes, ticket: Ticket, days: list[TechDay],
                    urgent: bool) -> dict[datetime, tuple[TechDay, Fit]]:  # fmt: skip
    """For every window offered that day, the technician who fits it best."""
    service = int(ticket.service.total_seconds())
    planned = [planned_day(d) for d in days]
    room = [i for i, p in enumerate(planned) if _free_s(p) >= service]  # a full day: no
    days, planned = [days[i] for i in room], [planned[i] for i in room]
    legs = legs_to_job(travel, ticket, days)
    bounds = {i: _bound(planned[i], *legs[i]) for i in range(len(days))}
    roomy = [i for i in bounds if _free_s(planned[i]) >= service + bounds[i]]  # nor with the drive
    order = sorted(roomy, key=lambda i: bounds[i])
    starts = sorted({w.start for d in days for w in d.windows})
    times = [timing(p) for p in planned]
    best: dict[datetime, tuple[TechDay, Fit]] = {}
    for start in starts:
        job: Booked | None = None
        for i in order:
            found = best.get(start)
            if found is not None and (urgent or bounds[i] >= found[1].added_travel_s):
                break  # nobody further down the order can do better
            window = next((w for w in days[i].windows if w.start == start), None)
            if window is None:
                continue
            if job is None or job.close_s != ts(window.end):  # most windows share an end
                job = Booked(ticket.id, service, ts(window.start), ts(window.end))
            below = None if found is None else found[1].added_travel_s
            fit = cheapest_keeping(planned[i], job, *legs[i], below, times[i])
            if fit is not None:
                best[start] = (days[i], fit)
    return best


def window_of(d: TechDay, start: datetime) -> TimeWindow:
    return next(w for w in d.windows if w.start == start)


def eta_of(fit: Fit, window: TimeWindow) -> datetime:
    return datetime.fromtimestamp(max(fit.arrival_s, ts(window.start)), tz=window.start.tzinfo)
