"""Lunch from the calendar in today's route, end to end on the fake store: the quote
books around it, the refresh keeps those times, the replan plans it where the checker
accepts it, and a break the phone reports ends it."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from builders import MORNING, TRAVEL, demo_fleet, fill_route, only_on_shift, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import LunchBreak, Visit
from dispatch.services.field_events import record_events
from dispatch.services.refresh import refresh_etas
from dispatch.services.replan import load_live_state
from dispatch.services.replan_problem import to_problem
from solver.checker import check
from solver.routing.pipeline import solve
from solver.routing.search_config import SearchConfig

MIN = timedelta(minutes=1)
NOON = MORNING.replace(hour=12)
LUNCH = LunchBreak(NOON, NOON + 90 * MIN, 30 * MIN)


def jans_day(at: datetime, visits: int = 4) -> tuple[FakeUnitOfWork, FakeClock, int]:
    clock = FakeClock(at)
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan")
    jan = technician(uow, "cpo-jan")
    with uow:
        uow.technicians.update_shift(jan.id, jan.shift, LUNCH)
        uow.commit()
    fill_route(uow, clock, "cpo-jan", visits)
    return uow, clock, jan.id


def open_visits(uow: FakeUnitOfWork, tid: int) -> list[Visit]:
    with uow:
        return uow.routes.get(tid).open_visits


def idle_between(visits: list[Visit]) -> list[timedelta]:
    return [b.eta - (a.eta + a.service) - timedelta(seconds=b.leg_s)
            for a, b in pairwise(visits)]  # fmt: skip


def test_bookings_leave_room_for_lunch_and_the_refresh_keeps_their_times() -> None:
    uow, clock, jan = jans_day(NOON - 30 * MIN)
    booked = open_visits(uow, jan)
    gaps = idle_between(booked)
    assert max(gaps) >= 30 * MIN, gaps  # half an hour between two customers: lunch
    k = gaps.index(max(gaps))
    assert NOON <= booked[k].eta + booked[k].service <= NOON + 60 * MIN
    refresh_etas(uow, clock, TRAVEL)
    after = open_visits(uow, jan)
    assert [abs(a.eta - b.eta) < MIN for a, b in zip(booked, after, strict=True)] == [True] * 4


def test_the_replan_plans_the_lunch_inside_its_window_and_the_checker_agrees() -> None:
    uow, clock, _ = jans_day(NOON - 30 * MIN)
    with uow:
        live = load_live_state(uow, clock.now(), None)
    day = to_problem(live, clock.now(), TRAVEL)
    (vehicle,) = day.problem.vehicles
    (lunch,) = vehicle.breaks
    assert lunch.duration == 1800 and lunch.window.end - lunch.window.start == 3600
    assert not day.slips.late  # the plan being driven keeps every promise with its lunch
    plan = solve(day.problem, SearchConfig(time_limit_s=1.0, sisr_share=1.0,
                                           sisr_iterations=200), day.previous)  # fmt: skip
    assert check(day.problem, plan) == []
    (route,) = plan.routes
    assert lunch.window.start <= route.breaks[0] <= lunch.window.end


def test_after_a_reported_break_no_lunch_is_planned_any_more() -> None:
    uow, clock, jan = jans_day(NOON - 30 * MIN, visits=3)
    clock.advance(35 * MIN)  # 12:05: he stops before his first job for a quick break
    record_events(uow, clock, TRAVEL, jan, [FieldEvent("b1", EventType.BREAK_START, clock.now())])
    clock.advance(20 * MIN)
    record_events(uow, clock, TRAVEL, jan, [FieldEvent("b2", EventType.BREAK_END, clock.now())])
    refresh_etas(uow, clock, TRAVEL)
    assert max(idle_between(open_visits(uow, jan))) < 5 * MIN
    with uow:
        live = load_live_state(uow, clock.now(), None)
    assert to_problem(live, clock.now(), TRAVEL).problem.vehicles[0].breaks == ()
