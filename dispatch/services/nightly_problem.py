"""One later date as a solver problem, and the solver's answer as appointments again.

The same model as today's replan, started from the booked plans: each technician who
works that date leaves home at his shift start, takes his lunch inside its window and
is done by his shift end; every appointment is served inside the window its customer
was promised (hard), by a technician with its skills. The day ends at the last
customer (an end point every stop reaches in no time), as the booking counts it.

Appointments booked with someone who no longer works that date (a day off or sick
entered after the bookings) join as optional visits: placed if another technician can
keep their window, left where they are otherwise (the day start unassigns them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from dispatch.domain.day_plan import Appointment, DayPlan
from dispatch.domain.model import Technician
from dispatch.domain.workdays import Workday
from solver.day_slots import Booked, Lunch, PlannedDay, schedule
from solver.model import Pins, Problem, Solution
from solver.model import Vehicle as SVehicle
from solver.model import Visit as SVisit
from solver.model import Window as SWindow
from solver.model.problem import URGENT_PENALTY, Break
from solver.model.timing import travel_of
from solver.traveltime.hourly import rows_at_hours
from solver.traveltime.protocol import TravelTimes

ORPHAN_PENALTY = 100_000  # an appointment whose technician is off: worth placing


@dataclass(frozen=True)
class DateState:
    """What the nightly plan reads for one date, in one transaction."""

    day: date
    technicians: dict[int, Technician]  # those who work that date
    work: dict[int, Workday]
    plans: dict[int, DayPlan]  # every booked plan of the date, also of those off
    skills: dict[int, frozenset[str]]  # ticket id -> skills it needs

    @property
    def size(self) -> int:
        return sum(len(p.appointments) for p in self.plans.values())


@dataclass(frozen=True)
class DateProblem:
    problem: Problem
    origin: int  # epoch seconds of the problem's time zero
    previous: dict[str, list[str]]  # the plans as booked, vehicle id -> visit ids
    travel_before: int
    appointments: dict[int, Appointment]
    fixed: frozenset[int]  # tickets whose technician works: never dropped


def to_problem(state: DateState, travel: TravelTimes) -> DateProblem:
    works = {t: w for t, w in state.work.items() if w.shift is not None}
    origin = min(int(w.shift.start.timestamp()) for w in works.values()) - 3600  # type: ignore[union-attr]
    appointments = {a.ticket_id: a for p in state.plans.values() for a in p.appointments}
    points = [state.technicians[t].home.latlon for t in works]
    points += [a.location.latlon for a in appointments.values()]
    # each leg at the hour its origin is left: a shift's start, an appointment's
    # window's middle plus its work (docs/roads.md)
    leave = [w.shift.start for w in works.values() if w.shift is not None]
    leave += [a.window.start + (a.window.end - a.window.start) / 2 + a.service
              for a in appointments.values()]  # fmt: skip
    n = len(points)
    matrix = np.zeros((n + 1, n + 1), dtype=np.int64)  # the last row/column: the day's end
    matrix[:n, :n] = np.rint(rows_at_hours(travel, points, leave))

    def rel(t: datetime) -> int:
        return int(t.timestamp()) - origin

    vehicles = []
    for k, (tid, w) in enumerate(works.items()):
        assert w.shift is not None
        lunch = w.lunch
        breaks: tuple[Break, ...] = ()
        if lunch is not None:  # a break must start inside its window: end it by ``latest``
            length = int(lunch.duration.total_seconds())
            breaks = (Break(length, SWindow(rel(lunch.earliest), rel(lunch.latest) - length)),)
        vehicles.append(SVehicle(str(tid), k, n, rel(w.shift.start), rel(w.shift.end),
                                 breaks=breaks, skills=state.technicians[tid].skills))  # fmt: skip
    fixed = frozenset(a.ticket_id for a in appointments.values() if a.technician_id in works)
    visits = [
        SVisit(str(a.ticket_id), len(works) + i, int(a.service.total_seconds()),
               skills=state.skills.get(a.ticket_id, frozenset()),
               penalty=URGENT_PENALTY if a.ticket_id in fixed else ORPHAN_PENALTY,
               pins=Pins(promise=SWindow(rel(a.window.start), rel(a.window.end))))
        for i, a in enumerate(appointments.values())
    ]  # fmt: skip
    previous = {str(t): [str(a.ticket_id) for a in state.plans[t].appointments]
                for t in works if t in state.plans}  # fmt: skip
    problem = Problem(vehicles, visits, matrix)
    return DateProblem(problem, origin, previous, travel_of(problem, previous), appointments,
                       fixed)  # fmt: skip


def timed_routes(dp: DateProblem, state: DateState, routes: dict[str, list[str]]
                 ) -> dict[int, list[tuple[Appointment, datetime, int]]] | None:  # fmt: skip
    """Each technician's new order with ETAs and legs, timed as a booking times them
    (``solver.day_slots.schedule``: lunch where it fits, arrival inside each window,
    done by the shift end); None if any route does not hold that way."""
    problem = dp.problem
    where = {v.id: v.location for v in problem.visits}
    out: dict[int, list[tuple[Appointment, datetime, int]]] = {}
    for veh in problem.vehicles:
        tid, ids = int(veh.id), routes.get(veh.id, [])
        here, legs = veh.start_location, []
        for visit_id in ids:
            legs.append(int(problem.durations[here, where[visit_id]]))
            here = where[visit_id]
        items = [dp.appointments[int(i)] for i in ids]
        day = _planned(veh, problem, items, legs, dp.origin, state.work[tid])
        arrivals = schedule(day, legs, day.stops)
        if arrivals is None or any(t > s.close_s for t, s in zip(arrivals, day.stops, strict=True)):
            return None
        zone = items[0].window.start.tzinfo if items else None
        rows = zip(items, arrivals, day.stops, legs, strict=True)
        out[tid] = [(a, datetime.fromtimestamp(max(t, s.open_s), tz=zone), leg)
                    for a, t, s, leg in rows]  # fmt: skip
    return out


def _planned(veh: SVehicle, problem: Problem, items: list[Appointment], legs: list[int],
             origin: int, work: Workday) -> PlannedDay:  # fmt: skip
    lunch = work.lunch
    return PlannedDay(
        int(veh.id), veh.start_time + origin, veh.shift_end + origin,
        Lunch(int(lunch.earliest.timestamp()), int(lunch.latest.timestamp()),
              int(lunch.duration.total_seconds())) if lunch else None,
        [Booked(a.ticket_id, int(a.service.total_seconds()), int(a.window.start.timestamp()),
                int(a.window.end.timestamp())) for a in items],
        legs,
    )  # fmt: skip


def routes_of(solution: Solution) -> dict[str, list[str]]:
    return {r.vehicle: [s.visit for s in r.stops] for r in solution.routes}
