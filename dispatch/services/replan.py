"""Re-optimise the live day without breaking a single promise.

The live state becomes a solver problem: each technician starts where they are (no
earlier than now or their shift), started and en-route visits are locked first, every
booked visit must be served inside the window its customer was told, skills hold, and
the previous plan is the warm start with a cost per visit moved to another technician.
A new plan is applied only if the independent checker finds nothing wrong, no visit is
dropped, every promise holds and the driving goes down; otherwise the day stays as it
is. Routes that changed meanwhile (their version moved) make the whole replan yield.

Names are kept (``dispatch.domain.stability``): a visit whose customer was told who
comes costs 15 minutes of driving to hand to someone else, in the search and in the
acceptance rule (a late customer brought back in time pays for one name). A plan that
fails that rule gives way to the best plan that keeps every told name, so the order
still improves. Customers moved anyway are told by ``Route.plan`` (``VisitReassigned``).
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass, replace
from datetime import datetime

from dispatch.clock import Clock
from dispatch.domain.model import Visit
from dispatch.domain.stability import PlanChanges, Stability, plan_changes
from dispatch.services.disruptions import busy_until
from dispatch.services.live_cache import ROUTES
from dispatch.services.replan_problem import (
    DayProblem,
    LiveState,
    keep_names,
    new_routes,
    to_problem,
)
from dispatch.store.ports import UnitOfWork
from solver.checker import check
from solver.model import Solution
from solver.routing import SearchConfig, sisr
from solver.routing.large_day import LARGE, plan_day
from solver.traveltime.protocol import TravelTimes

MIN_GAIN = 0.01  # and the day must drive at least 1 % less
# OR-Tools' polish stalls every other thread of the process (measured: a 3 s GLS-only
# solve stopped the main thread for 3.0 s; kernel + 10 % polish for 0.30 s), so the
# replan gives the polish 3 %: 60 ms after a booking, 150 ms in the periodic replan.
KERNEL_SHARE = 0.97
# The search that keeps every told name, after a plan refused for the names it moved,
# gets this share of the replan's time limit: a refused replan takes at most 1.3 times it.
FALLBACK_SHARE = 0.3
LARGE_DAY_S = 15.0  # at least this long for a day above ``LARGE`` visits (in parts)


@dataclass(frozen=True)
class ReplanReport:
    applied: bool
    reason: str
    travel_before_s: int = 0
    travel_after_s: int = 0
    moved: int = 0  # visits handed to another technician
    seconds: float = 0.0
    reordered: int = 0  # visits that kept their technician but changed place in the order
    told: int = 0  # visits on the day whose customer was told a technician's name

    @property
    def saved_s(self) -> int:
        return self.travel_before_s - self.travel_after_s if self.applied else 0


def prepare_optimiser() -> None:
    """Compile the optimiser's kernel (or load it from numba's cache) ahead of the
    first replan; a service calls this at start-up, in a thread of its own."""
    sisr.warm_up()


def replan(
    uow: UnitOfWork,
    clock: Clock,
    travel: TravelTimes,
    time_limit_s: float = 5.0,
    technician_ids: list[int] | None = None,
    config: SearchConfig | None = None,
    stability: Stability = Stability(),
    in_parts: bool = True,
) -> ReplanReport:
    """``config`` replaces the time-limited search (the simulator passes a fixed amount
    of search, so the same seed replans the same way on any machine). ``in_parts=False``
    (the replan after each booking) leaves a day above ``LARGE`` visits to the periodic
    replan: planning it in parts takes both cores for 15 s, and on a busy day bookings
    come faster than that (measured: the helpdesk's quotes 1.5x slower)."""
    started = time.perf_counter()
    now = clock.now()
    with uow:
        live = load_live_state(uow, now, technician_ids)
    if live.size == 0:
        return ReplanReport(False, "nothing to plan")
    if live.size > LARGE and not in_parts:
        return ReplanReport(False, f"{live.size} visits: left to the periodic replan")
    if live.size > LARGE and config is None:  # parts need workers started and two passes
        time_limit_s = max(time_limit_s, LARGE_DAY_S)
    day = to_problem(live, now, travel, stability)
    # The day optimiser's own setup, from the current plan, with a cost per visit handed
    # to another technician. The compiled kernel releases the GIL; OR-Tools holds it for
    # its whole search, so beside the HTTP server the polish gets only a sliver of time.
    first = search_setup(config, time_limit_s, stability)
    before, told = day.travel_before, len(day.told)
    # above 600 visits, in parts of nearby technicians, in worker processes
    verdict = judged(day, plan_day(day.problem, first, day.previous), stability)
    if verdict.names_refused:  # the gain is not worth the names: the best plan keeping them
        kept = keep_names(day)
        fallback_s = time_limit_s * FALLBACK_SHARE
        if live.size > LARGE:  # in parts again: the workers must start again too
            fallback_s = max(fallback_s, LARGE_DAY_S)
        again = search_setup(config, fallback_s, stability)
        verdict = judged(kept, plan_day(kept.problem, again, day.previous), stability)
    solution = verdict.solution
    seconds = time.perf_counter() - started
    if verdict.refused:
        after = before if verdict.invalid else solution.travel
        return ReplanReport(False, verdict.refused, before, after, seconds=seconds, told=told)
    moved = apply_plan(uow, live, day, solution, now)
    if moved is None:
        return ReplanReport(False, "routes changed meanwhile; next cycle", before,
                            solution.travel, told=told)  # fmt: skip
    return ReplanReport(True, "applied", before, solution.travel, moved,
                        time.perf_counter() - started, verdict.changes.reordered, told)  # fmt: skip


def search_setup(config: SearchConfig | None, time_limit_s: float, stability: Stability
           ) -> SearchConfig:  # fmt: skip
    """The day optimiser's setup within ``time_limit_s`` (or the caller's fixed one),
    with the price of a visit nobody was told a name for."""
    base = config or replace(SearchConfig.for_budget(time_limit_s), sisr_share=KERNEL_SHARE)
    return replace(base, move_cost=stability.move_cost_s(False))


@dataclass(frozen=True)
class Verdict:
    solution: Solution
    changes: PlanChanges
    refused: str | None = None
    invalid: bool = False  # the checker found it wrong (not merely not worth it)
    names_refused: bool = False  # refused only for the told names it would change


def judged(day: DayProblem, solution: Solution, stability: Stability) -> Verdict:
    """The new plan against the rules, in order: valid, no promise worse, worth its
    driving, worth the names it changes."""
    changes = plan_changes(day.previous, solution.order())
    invalid = invalid_plan(day, solution)
    if invalid:
        return Verdict(solution, changes, f"no valid better plan ({invalid})", invalid=True)
    refused = refusal(day, solution)
    if refused:
        return Verdict(solution, changes, refused)
    saved = day.travel_before - solution.travel
    free, others, slips_saved = rescued(day, solution, changes.reassigned, stability)
    to_pay = len((changes.reassigned & day.told) - free)
    names = stability.refusal(to_pay, saved, others, slips_saved, told=len(day.told))
    return Verdict(solution, changes, names, names_refused=names is not None)


def load_live_state(uow: UnitOfWork, now: datetime, technician_ids: list[int] | None) -> LiveState:
    techs = [
        t
        for t in uow.technicians.all()
        if t.shift.end > now and (technician_ids is None or t.id in technician_ids)
    ]
    ids = [t.id for t in techs]
    versions = uow.technicians.route_versions(ids)
    routes = ROUTES.routes(uow, ids, versions)
    visits: dict[int, list[Visit]] = {
        tid: [v for v, _, _ in routes[tid].visits if v.open] if tid in routes else [] for tid in ids
    }
    wanted = [v.ticket_id for vs in visits.values() for v in vs]
    tickets = uow.tickets.skills_and_kinds(wanted)
    skills = {t: tickets[t][0] if t in tickets else frozenset[str]() for t in wanted}
    return LiveState(techs, versions, visits, uow.technicians.field_states(ids), skills,
                     busy_until(uow, now))  # fmt: skip


def invalid_plan(day: DayProblem, solution: Solution) -> str | None:
    """What the independent checker finds wrong with the new plan, or whom it drops."""
    problems = check(day.problem, solution)
    if problems:
        return problems[0]
    return f"would drop {solution.dropped[0].visit}" if solution.dropped else None


def refusal(day: DayProblem, solution: Solution) -> str | None:
    """Why a valid new plan may not replace the one being driven, or None to apply it:
    it may make no late customer or long day later still; one that makes some of them
    less late is applied whatever it drives (promises first); otherwise it must drive at
    least ``MIN_GAIN`` less."""
    late_after = sum(stop.lateness for route in solution.routes for stop in route.stops)
    over_after = sum(route.overtime for route in solution.routes)
    over_before = sum(day.slips.overtime.values())
    if late_after > day.slips.late_s or over_after > over_before:
        return "it would make a late customer or a long day later still"
    if late_after < day.slips.late_s or over_after < over_before:
        return None  # a customer on time again (a broken-down van's work taken over) pays
    if solution.travel > day.travel_before * (1 - MIN_GAIN):
        return "the current plan is as good"
    return None


def rescued(day: DayProblem, solution: Solution, moved: frozenset[Hashable],
            stability: Stability) -> tuple[frozenset[str], int, int]:  # fmt: skip
    """What may pay for names changed: (the late customers moved to keep their own window
    who were at least a told name's price late, and so move for free; how many other
    promises were kept again, late customers not moved themselves and long days back
    inside their shift; seconds of lateness and overtime taken off)."""
    late = {stop.visit: stop.lateness for route in solution.routes for stop in route.stops
            if stop.lateness}  # fmt: skip
    over = [route.overtime for route in solution.routes if route.overtime]
    kept = frozenset(day.slips.late - set(late))
    badly = stability.move_cost_s(told=True)
    free = frozenset(v for v in kept & moved if day.slips.late_by.get(v, 0) >= badly)
    others = len(kept - moved) + max(0, len(day.slips.overtime) - len(over))
    slips = day.slips.late_s + sum(day.slips.overtime.values()) - sum(late.values()) - sum(over)
    return free, others, slips


def apply_plan(
    uow: UnitOfWork, live: LiveState, day: DayProblem, solution: Solution, now: datetime
) -> int | None:
    """Store the new plan on every route at once, or nothing if any route moved since
    it was read; returns how many visits changed technician."""
    plan = new_routes(day, solution, live)
    with uow:
        routes = uow.routes.get_many(list(plan))
        if any(routes[t].version != live.versions[t] for t in plan):
            return None
        owner = {v.ticket_id: t for t, r in routes.items() for v in r.open_visits}
        handed = {
            ticket: routes[owner[ticket]].hand_over(ticket)
            for t, stops in plan.items()
            for ticket, _, _ in stops
            if owner[ticket] != t
        }
        for t, stops in plan.items():
            route = routes[t]
            route.plan([(handed.get(k) or route.visit(k), eta, leg) for k, eta, leg in stops],
                       now)  # fmt: skip
        if len(uow.routes.save_all(list(routes.values()))) != len(routes):
            uow.rollback()
            return None
        uow.commit()
    return len(handed)
