"""Re-optimise the live day without breaking a single promise.

The live state becomes a solver problem: each technician starts where they are (no
earlier than now or their shift), started and en-route visits are locked first, every
booked visit must be served inside the window its customer was told, skills hold, and
the previous plan is the warm start with a cost per visit moved to another technician.
A new plan is applied only if the independent checker finds nothing wrong, no visit is
dropped, every promise holds and the driving goes down; otherwise the day stays as it
is. Routes that changed meanwhile (their version moved) make the whole replan yield.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from dispatch.clock import Clock
from dispatch.domain.fieldstate import Activity
from dispatch.domain.model import Technician
from dispatch.services.live import start_point
from dispatch.services.live_cache import ROUTES
from dispatch.store.uow import UnitOfWork
from solver.checker import check
from solver.model import Pins, Problem, Solution
from solver.model import Vehicle as SVehicle
from solver.model import Visit as SVisit
from solver.model import Window as SWindow
from solver.model.problem import URGENT_PENALTY
from solver.routing import SearchConfig, sisr, solve
from solver.traveltime.protocol import TravelTimes

MAX_VISITS = 600  # a bigger day is replanned route by route by the insertion engine
MOVE_COST_S = 180  # a visit moved to another technician must save 3 minutes of driving
MIN_GAIN = 0.01  # and the day must drive at least 1 % less
# A promise the current plan already misses becomes soft at this price (and so does a
# shift end it already runs past): a minute more for a customer already waiting costs
# as much as ten minutes of driving.
LATE_COST_PER_MIN = 600
# OR-Tools' polish stalls every other thread of the process (measured: a 3 s GLS-only
# solve stopped the main thread for 3.0 s; kernel + 10 % polish for 0.30 s), so the
# replan gives the polish 3 %: 60 ms after a booking, 150 ms in the periodic replan.
KERNEL_SHARE = 0.97


@dataclass
class Slips:
    late: set[str]  # visits reached after their promise
    late_s: int  # seconds late, all together
    overtime: dict[str, int]  # vehicle -> seconds past the shift end


@dataclass(frozen=True)
class ReplanReport:
    applied: bool
    reason: str
    travel_before_s: int = 0
    travel_after_s: int = 0
    moved: int = 0
    seconds: float = 0.0


def prepare_optimiser() -> None:
    """Compile the optimiser's kernel (or load it from numba's cache) ahead of the
    first replan; a service calls this at start-up, in a thread of its own."""
    sisr.warm_up()


def _technician_key(t: Technician) -> str:
    return str(t.id)


def replan(
    uow: UnitOfWork,
    clock: Clock,
    travel: TravelTimes,
    time_limit_s: float = 5.0,
    technician_ids: list[int] | None = None,
) -> ReplanReport:
    started = time.perf_counter()
    now = clock.now()
    with uow:
        techs = [
            t
            for t in uow.technicians.all()
            if t.shift.end > now and (technician_ids is None or t.id in technician_ids)
        ]
        ids = [t.id for t in techs]
        versions = uow.technicians.route_versions(ids)
        routes = ROUTES.routes(uow, ids, versions)
        states = uow.technicians.field_states(ids)
        visits = {tid: [v for v, _, _ in routes.get(tid, []) if v.open] for tid in ids}
        skills: dict[int, frozenset[str]] = {}
        for vs in visits.values():
            for v in vs:
                ticket = uow.tickets.get(v.ticket_id)
                skills[v.ticket_id] = ticket.skills if ticket else frozenset()
    total = sum(len(vs) for vs in visits.values())
    if total == 0:
        return ReplanReport(False, "nothing to plan")
    if total > MAX_VISITS:
        return ReplanReport(False, f"{total} visits: above {MAX_VISITS}, left to insertion")

    origin = int((now - timedelta(hours=12)).timestamp())
    points: list[tuple[float, float]] = []
    index: dict[tuple[float, float], int] = {}

    def loc(p: tuple[float, float]) -> int:
        if p not in index:
            index[p] = len(points)
            points.append(p)
        return index[p]

    vehicles: list[SVehicle] = []
    svisits: list[SVisit] = []
    previous: dict[str, list[str]] = {}
    for t in techs:
        key = _technician_key(t)
        state = states.get(t.id)
        here = start_point(t)
        mine = visits[t.id]
        begin = max(now, t.shift.start)
        if state is not None and state.activity == Activity.BROKEN_DOWN and state.back_at:
            begin = max(begin, state.back_at)
        vehicles.append(
            SVehicle(
                id=key,
                start_location=loc(here),
                end_location=loc(t.home.latlon),
                start_time=int(begin.timestamp()) - origin,
                shift_end=int(t.shift.end.timestamp()) - origin,
                skills=t.skills,
            )
        )
        previous[key] = [str(v.ticket_id) for v in mine]
        for v in mine:
            pins = Pins(promise=SWindow(int(v.window.start.timestamp()) - origin,
                                        int(v.window.end.timestamp()) - origin))  # fmt: skip
            if v.locked:
                arrived = int(v.eta.timestamp()) - origin
                on_site = v.status.value in ("arrived", "started")
                pins = Pins(started_on=key, started_at=arrived if on_site else None)
            svisits.append(
                SVisit(
                    id=str(v.ticket_id),
                    location=loc(v.location.latlon),
                    service=int(v.service.total_seconds()),
                    skills=skills[v.ticket_id],
                    penalty=URGENT_PENALTY,
                    pins=pins,
                )
            )
    matrix = np.rint(travel.matrix(points, points, now)).astype(np.int64)
    # What the current plan already misses cannot be a wall for the next one, or one
    # late customer (or a day running past its shift end) blocks every improvement:
    # those promises and shift ends turn soft, at a price, and may not get worse.
    slips = _slips_in(Problem(vehicles, svisits, matrix), previous)
    soft = {v.id: replace(v.pins, promise_hard=False, lateness_cost_per_minute=LATE_COST_PER_MIN)
            for v in svisits if v.id in slips.late}  # fmt: skip
    svisits = [replace(v, pins=soft[v.id]) if v.id in soft else v for v in svisits]
    vehicles = [
        replace(veh, overtime=slips.overtime[veh.id], overtime_cost_per_hour=LATE_COST_PER_MIN * 60)
        if veh.id in slips.overtime
        else veh
        for veh in vehicles
    ]
    problem = Problem(vehicles, svisits, matrix)
    before = _travel_of(problem, previous)
    # The day optimiser's own setup (ruin-and-recreate, then guided local search),
    # from the current plan, with a cost per visit handed to another technician. The
    # replan runs beside the HTTP server: the compiled kernel releases the GIL, OR-Tools
    # holds it for its whole search, so the polish gets only a sliver of the time.
    config = replace(
        SearchConfig.for_budget(time_limit_s), move_cost=MOVE_COST_S, sisr_share=KERNEL_SHARE
    )
    solution = solve(problem, config, previous)
    problems = check(problem, solution)
    if problems or solution.dropped:
        why = problems[0] if problems else f"would drop {solution.dropped[0].visit}"
        return ReplanReport(False, f"no valid better plan ({why})", before, before,
                            seconds=time.perf_counter() - started)  # fmt: skip
    after = solution.travel
    late_after = sum(stop.lateness for route in solution.routes for stop in route.stops)
    over_after = sum(route.overtime for route in solution.routes)
    if late_after > slips.late_s or over_after > sum(slips.overtime.values()):
        return ReplanReport(False, "it would make a late customer or a long day later still",
                            before, after,
                            seconds=time.perf_counter() - started)  # fmt: skip
    if after > before * (1 - MIN_GAIN):
        return ReplanReport(False, "the current plan is as good", before, after,
                            seconds=time.perf_counter() - started)  # fmt: skip
    moved = _apply(uow, techs, versions, solution, problem, origin, previous)
    if moved is None:
        return ReplanReport(False, "routes changed meanwhile; next cycle", before, after)
    return ReplanReport(True, "applied", before, after, moved, time.perf_counter() - started)


def _slips_in(problem: Problem, routes: dict[str, list[str]]) -> Slips:
    """What the current plan already misses, timed as the solver times it (service
    starts at the later of arrival and the promise's start; work under way at its real
    start): the visits reached after their promise, by how many seconds in all, and
    how far each technician's day runs past the shift end."""
    where = {v.id: v for v in problem.visits}
    slips = Slips(set(), 0, {})
    for veh in problem.vehicles:
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
            t += v.service
            here = v.location
        t += int(problem.durations[here, veh.end_location])
        if t > veh.shift_end:
            slips.overtime[veh.id] = t - veh.shift_end
    return slips


def _travel_of(problem: Problem, routes: dict[str, list[str]]) -> int:
    where = {v.id: v.location for v in problem.visits}
    total = 0
    for veh in problem.vehicles:
        here = veh.start_location
        for visit_id in routes.get(veh.id, []):
            total += int(problem.durations[here, where[visit_id]])
            here = where[visit_id]
        total += int(problem.durations[here, veh.end_location])
    return total


def _apply(
    uow: UnitOfWork,
    techs: list[Technician],
    versions: dict[int, int],
    solution: Solution,
    problem: Problem,
    origin: int,
    previous: dict[str, list[str]],
) -> int | None:
    by_key = {_technician_key(t): t for t in techs}
    where = {v.id: v.location for v in problem.visits}
    starts = {v.id: v.start_location for v in problem.vehicles}
    was = {visit: veh for veh, visits in previous.items() for visit in visits}
    moved = 0
    with uow:
        for t in techs:
            if not uow.technicians.claim_route(t.id, versions[t.id]):
                uow.rollback()
                return None
        for route in solution.routes:
            tech = by_key[route.vehicle]
            # after every visit this technician already finished, in the new order
            base = max((v.sequence for v in uow.technicians.route(tech.id)), default=0)
            here = starts[route.vehicle]
            for seq, stop in enumerate(route.stops, start=1):
                leg = int(problem.durations[here, where[stop.visit]])
                eta = datetime.fromtimestamp(stop.start + origin).astimezone(
                    tech.shift.start.tzinfo
                )
                uow.tickets.reassign_visit(int(stop.visit), tech.id, base + seq, eta, leg)
                moved += was.get(stop.visit) != route.vehicle
                here = where[stop.visit]
        uow.commit()
    return moved
