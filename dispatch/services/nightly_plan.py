"""The nightly plan: each later date re-optimised from its bookings, no promise broken.

Bookings go into a day one at a time, each at its cheapest position then; by the night
before, the day holds what a whole fleet's helpdesk booked, in that order. The day
optimiser (the same model and search as today's replan) plans it again from those
plans: windows stay hard, lunch stays inside its window, the day ends by the shift end.

A new plan is stored only when the independent checker finds nothing wrong with it, no
booked visit is dropped, every route also holds as a booking times it (lunch where it
fits, arrival inside each window), and it drives at least ``MIN_GAIN`` less; otherwise
the date stays as booked. It is written in one transaction that claims every plan's
version, so a booking made meanwhile wins and the date is tried again next time.
Windows never change; a customer whose visit goes to another technician was told a
name, so is told the new one (``VisitReassigned``, through the outbox). Handing a
visit over must save ``MOVE_COST_S`` of driving: the live replan's price for a visit
nobody was told a name for, because days ahead there is time to tell (the live day
asks 15 minutes per told name, ``dispatch.domain.stability``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from dispatch.clock import Clock
from dispatch.domain.day_plan import Appointment, DayPlan
from dispatch.domain.stability import Stability
from dispatch.domain.workdays import local_date, workday
from dispatch.services.nightly_groups import groups
from dispatch.services.nightly_problem import DateState, routes_of, timed_routes
from dispatch.services.nightly_problem import to_problem as date_problem
from dispatch.services.replan import KERNEL_SHARE, MIN_GAIN
from dispatch.store.ports import UnitOfWork
from solver.checker import check
from solver.routing import SearchConfig, solve
from solver.traveltime.protocol import TravelTimes

log = logging.getLogger(__name__)
MOVE_COST_S = Stability().move_cost_s(told=False)
Timed = dict[int, list[tuple[Appointment, datetime, int]]]
MIN_GROUP_S = 0.5  # the least search a group gets, whatever the budget


@dataclass(frozen=True)
class NightlyReport:
    day: date
    applied: bool
    reason: str
    visits: int = 0
    travel_before_s: int = 0
    travel_after_s: int = 0
    moved: int = 0
    placed_orphans: int = 0
    seconds: float = 0.0


def load_date(uow: UnitOfWork, day: date) -> DateState:
    techs = {t.id: t for t in uow.technicians.all()}
    ids = list(techs)
    patterns = uow.calendars.patterns_of(ids)
    exceptions = uow.calendars.exceptions_of(ids, day, day)
    work = {tid: workday(p, exceptions[tid], day) for tid, p in patterns.items()}
    working = {tid: w for tid, w in work.items() if w.shift is not None}
    plans = {t: p for (t, _d), p in uow.day_plans.plans(ids, day, day).items() if p.appointments}
    wanted = [a.ticket_id for p in plans.values() for a in p.appointments]
    kinds = uow.tickets.skills_and_kinds(wanted)
    skills = {t: kinds[t][0] for t in wanted if t in kinds}
    return DateState(day, {t: techs[t] for t in working}, working, plans, skills)


def plan_date(uow: UnitOfWork, travel: TravelTimes, day: date, now: datetime,
              time_limit_s: float = 30.0, seed: int = 1,
              kernel_share: float = KERNEL_SHARE) -> NightlyReport:  # fmt: skip
    """The whole date: one problem for a small fleet; groups of nearby technicians, in
    two passes cut different ways, for a large one (``nightly_groups``). Each group is
    judged and stored on its own."""
    started = time.perf_counter()
    with uow:
        state = load_date(uow, day)
    if state.size == 0 or not state.work:
        return NightlyReport(day, False, "nothing booked" if state.size == 0 else "nobody works")
    first = groups(state)
    deadline = started + time_limit_s
    planned = [g for g in first if g.size]
    left = 2 * len(planned) if len(first) > 1 else len(planned)
    reports: list[NightlyReport] = []
    extra: list[float] = []  # per group: time beyond its search (problem, model, reading)

    def run(group: DateState) -> None:
        nonlocal left
        spare = sum(extra) / len(extra) if extra else 0.0
        budget = max(MIN_GROUP_S, (deadline - time.perf_counter()) / left - spare)
        t = time.perf_counter()
        reports.append(_plan_group(uow, travel, group, now, budget, seed, kernel_share))
        extra.append(max(0.0, time.perf_counter() - t - budget))
        left = max(1, left - 1)

    for g in planned:
        run(g)
    before = sum(r.travel_before_s for r in reports)
    if len(first) > 1:  # cut the other way, from what the first pass stored
        with uow:
            again = groups(load_date(uow, day), second=True)
        for g in again:
            if g.size:
                run(g)
    if len(reports) == 1:
        return replace(reports[0], seconds=time.perf_counter() - started)
    applied = [r for r in reports if r.applied]
    saved = sum(r.travel_before_s - r.travel_after_s for r in applied)
    reason = f"applied in {len(applied)} of {len(reports)} groups" if applied else reports[0].reason
    return NightlyReport(day, bool(applied), reason, state.size, before, before - saved,
                         sum(r.moved for r in applied), sum(r.placed_orphans for r in applied),
                         time.perf_counter() - started)  # fmt: skip


def _plan_group(uow: UnitOfWork, travel: TravelTimes, state: DateState, now: datetime,
                time_limit_s: float, seed: int, kernel_share: float) -> NightlyReport:  # fmt: skip
    started, day = time.perf_counter(), state.day
    dp = date_problem(state, travel)
    def kept(reason: str, after: int = dp.travel_before) -> NightlyReport:
        return NightlyReport(day, False, reason, state.size, dp.travel_before, after,
                             seconds=time.perf_counter() - started)  # fmt: skip

    config = replace(SearchConfig.for_budget(time_limit_s), move_cost=MOVE_COST_S, seed=seed,
                     sisr_share=kernel_share)  # fmt: skip
    solution = solve(dp.problem, config, dp.previous)
    problems = check(dp.problem, solution)
    if problems:
        return kept(f"no valid plan ({problems[0]})")
    lost = sorted(int(d.visit) for d in solution.dropped if int(d.visit) in dp.fixed)
    if lost:
        return kept(f"would drop ticket {lost[0]}")
    timed = timed_routes(dp, state, routes_of(solution))
    if timed is None:
        return kept("a route would not hold as booked (lunch or a window)")
    after = solution.travel
    placed = sum(1 for items in timed.values() for a, _, _ in items if a.ticket_id not in dp.fixed)
    if placed == 0 and after > dp.travel_before * (1 - MIN_GAIN):
        return kept("the booked plan is as good", after)
    if not _apply(uow, state, timed, now):
        return kept("booked meanwhile; tried again next run", after)
    moved = sum(1 for t, items in timed.items() for a, _, _ in items
                if a.technician_id != t and a.ticket_id in dp.fixed)  # fmt: skip
    return NightlyReport(day, True, "applied", state.size, dp.travel_before, after, moved,
                         placed, time.perf_counter() - started)  # fmt: skip


def _apply(uow: UnitOfWork, state: DateState, timed: Timed, now: datetime) -> bool:
    """Every plan of the date at once, or nothing if any was booked since it was read."""
    with uow:
        ids = sorted(set(state.plans) | set(timed))
        now_plans = uow.day_plans.plans(ids, state.day, state.day)
        current = {t: now_plans.get((t, state.day), DayPlan(t, state.day, 0, [])) for t in ids}
        if any(current[t].version != state.plans[t].version for t in state.plans):
            return False
        taken = {a.ticket_id for items in timed.values() for a, _, _ in items}
        before = {t: current[t].appointments for t in ids}
        for t in ids:
            if t in timed:
                current[t].replan(timed[t], now)
            else:  # off that date: keeps what nobody else could take
                left = [a for a in current[t].appointments if a.ticket_id not in taken]
                if len(left) != len(current[t].appointments):
                    current[t].replan([(a, a.eta, a.leg_s) for a in left], now)
        changed = [p for t, p in current.items() if p.appointments != before[t]]
        if not all(uow.day_plans.save(p) for p in changed):
            uow.rollback()
            return False
        uow.commit()
    return True


def nightly_plans(uow: UnitOfWork, clock: Clock, travel: TravelTimes, zone: str, days: int,
                  time_limit_s: float) -> list[NightlyReport]:  # fmt: skip
    """Every later date up to ``days`` ahead, each on its own: one that cannot be planned
    (or is booked meanwhile) holds up no other."""
    today = local_date(clock.now(), zone)
    reports = []
    for k in range(1, days + 1):
        day = today + timedelta(days=k)
        try:
            reports.append(plan_date(uow, travel, day, clock.now(), time_limit_s))
        except Exception:  # one date's failure is logged; the next date still runs
            log.exception("the nightly plan of %s failed", day)
    return reports
