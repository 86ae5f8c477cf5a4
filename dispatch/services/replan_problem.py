"""The live day as a solver problem, and the solver's answer as stops on routes.

Each technician starts where they are, no earlier than now, their shift start or the
end of a breakdown; started and en-route visits are pinned to them; every booked visit
must be served inside the window its customer was told; skills hold. What the current
plan already misses cannot be a wall for the next one, or one late customer (or a day
running past its shift end) blocks every improvement: those promises and shift ends
turn soft, at a price, and the acceptance rule forbids making them worse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np

from dispatch.domain import lunch
from dispatch.domain.fieldstate import FieldState
from dispatch.domain.model import Technician, Visit
from dispatch.domain.stability import Stability
from dispatch.services.live import ON_SITE, at, lunch_rule, start_point
from solver.model import Break as SBreak
from solver.model import Pins, Problem, Solution
from solver.model import Vehicle as SVehicle
from solver.model import Visit as SVisit
from solver.model import Window as SWindow
from solver.model.problem import URGENT_PENALTY
from solver.model.timing import Slips, slips_in, travel_of
from solver.traveltime.hourly import rows_at_hours
from solver.traveltime.protocol import TravelTimes

# A minute more for a customer already waiting costs as much as ten minutes of driving.
LATE_COST_PER_MIN = 600


@dataclass(frozen=True)
class LiveState:
    """What the replan reads in one transaction."""

    technicians: list[Technician]
    versions: dict[int, int]
    visits: dict[int, list[Visit]]  # technician id -> open visits in order
    states: dict[int, FieldState]
    skills: dict[int, frozenset[str]]  # ticket id -> skills it needs
    busy: dict[int, datetime] = field(default_factory=dict)  # disrupted until (no work before)

    @property
    def size(self) -> int:
        return sum(len(vs) for vs in self.visits.values())


@dataclass(frozen=True)
class DayProblem:
    problem: Problem
    origin: int  # epoch seconds of the problem's time zero
    previous: dict[str, list[str]]  # the plan driven now, vehicle id -> visit ids
    slips: Slips  # what that plan already misses
    travel_before: int  # seconds of driving in that plan
    told: frozenset[str] = frozenset()  # visits whose customer was told a technician's name


def vehicle_key(t: Technician) -> str:
    return str(t.id)


def to_problem(
    live: LiveState, now: datetime, travel: TravelTimes, stability: Stability = Stability()
) -> DayProblem:
    origin = int((now - timedelta(hours=12)).timestamp())
    points: list[tuple[float, float]] = []
    leave: list[datetime] = []  # when each point is expected to be left (its legs' hour)
    index: dict[tuple[float, float], int] = {}

    def loc(p: tuple[float, float], left: datetime) -> int:
        if p not in index:
            index[p] = len(points)
            points.append(p)
            leave.append(max(left, now))
        return index[p]

    def rel(moment: datetime) -> int:
        return int(moment.timestamp()) - origin

    vehicles: list[SVehicle] = []
    svisits: list[SVisit] = []
    previous: dict[str, list[str]] = {}
    for t in live.technicians:
        key, mine = vehicle_key(t), live.visits[t.id]
        begin = max(now, t.shift.start)
        if t.id in live.busy:  # a breakdown or an absence: no work before it ends
            begin = max(begin, live.busy[t.id])
        begin = min(begin, max(now, t.shift.end))  # out past his shift: a day with no room
        breaks = _lunch(t, live.states.get(t.id), mine, begin, rel)
        vehicles.append(SVehicle(id=key, start_location=loc(start_point(t, mine), begin),
                                 end_location=loc(t.home.latlon, begin), start_time=rel(begin),
                                 shift_end=rel(t.shift.end), skills=t.skills,
                                 breaks=breaks))  # fmt: skip
        previous[key] = [str(v.ticket_id) for v in mine]
        for v in mine:
            pins = Pins(promise=SWindow(rel(v.promise.start), rel(v.promise.end)),
                        move_cost=stability.move_cost_s(told_a_name(v)))  # fmt: skip
            if v.locked:
                on_site = v.status.value in ("arrived", "started")
                pins = Pins(started_on=key, started_at=rel(v.eta) if on_site else None)
            svisits.append(SVisit(id=str(v.ticket_id), location=loc(v.location.latlon, v.departs),
                                  service=int(v.service.total_seconds()),
                                  skills=live.skills[v.ticket_id], penalty=URGENT_PENALTY,
                                  pins=pins))  # fmt: skip
    matrix = np.rint(rows_at_hours(travel, points, leave)).astype(np.int64)
    slips = slips_in(Problem(vehicles, svisits, matrix), previous)
    svisits = [
        replace(v, pins=replace(v.pins, promise_hard=False,
                                lateness_cost_per_minute=LATE_COST_PER_MIN))
        if v.id in slips.late else v
        for v in svisits
    ]  # fmt: skip
    vehicles = [
        replace(veh, overtime=slips.overtime[veh.id], overtime_cost_per_hour=LATE_COST_PER_MIN * 60)
        if veh.id in slips.overtime
        else veh
        for veh in vehicles
    ]
    problem = Problem(vehicles, svisits, matrix)
    told = frozenset(str(v.ticket_id) for vs in live.visits.values() for v in vs if told_a_name(v))
    return DayProblem(problem, origin, previous, slips, travel_of(problem, previous), told)


def _lunch(t: Technician, state: FieldState | None, mine: list[Visit], begin: datetime,
           rel: Callable[[datetime], int]) -> tuple[SBreak, ...]:  # fmt: skip
    """Today's lunch if still to take, not before the work under way is done."""
    free = begin
    if mine and mine[0].status in ON_SITE:
        free = max(free, mine[0].eta + mine[0].service)
    rule = lunch_rule(lunch.due(t, state or FieldState()), int(free.timestamp()))
    if rule is None:
        return ()
    start = rel(at(rule.earliest_s))
    return (SBreak(rule.duration_s, SWindow(start, rel(at(rule.latest_s)) - rule.duration_s)),)


def keep_names(day: DayProblem) -> DayProblem:
    """The same day with every told visit pinned to the technician it is with: what the
    replan still improves (the order, visits nobody was told a name for) when moving
    names is not worth it."""
    owner = {visit: tech for tech, visits in day.previous.items() for visit in visits}
    visits = [replace(v, pins=replace(v.pins, vehicle=owner[v.id]))
              if v.id in day.told and v.pins.started_on is None else v
              for v in day.problem.visits]  # fmt: skip
    return replace(day, problem=replace(day.problem, visits=visits))


def told_a_name(v: Visit) -> bool:
    """Every booking's confirmation names the technician, so a visit with a promise
    given (version 1 and up) has a customer who expects that person."""
    return v.promise_version > 0


def new_routes(
    day: DayProblem, solution: Solution, live: LiveState
) -> dict[int, list[tuple[int, datetime, int]]]:
    """Technician id -> (ticket id, ETA, leg into it) in the new driving order."""
    problem = day.problem
    where = {v.id: v.location for v in problem.visits}
    starts = {v.id: v.start_location for v in problem.vehicles}
    by_key = {vehicle_key(t): t for t in live.technicians}
    out: dict[int, list[tuple[int, datetime, int]]] = {t.id: [] for t in live.technicians}
    for route in solution.routes:
        tech = by_key[route.vehicle]
        here = starts[route.vehicle]
        for stop in route.stops:
            leg = int(problem.durations[here, where[stop.visit]])
            eta = datetime.fromtimestamp(stop.start + day.origin).astimezone(
                tech.shift.start.tzinfo
            )
            out[tech.id].append((int(stop.visit), eta, leg))
            here = where[stop.visit]
    return out
