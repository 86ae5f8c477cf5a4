"""A technician at a job is at its door, whatever his last position fix said: phones
report every few minutes while driving, so the last fix often predates the arrival."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from builders import (
    MORNING,
    TRAVEL,
    demo_fleet,
    only_on_shift,
    quoted,
    tech_at_home,
    technician,
    visit,
)

from dispatch.clock import FakeClock
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import GeoPoint, VisitStatus
from dispatch.domain.promise import comfortable_end
from dispatch.services.bookings import book
from dispatch.services.field_events import record_events
from dispatch.services.live import build_live_day, ts
from dispatch.services.replan import load_live_state
from dispatch.services.replan_problem import to_problem
from solver.routing.pipeline import solve
from solver.routing.search_config import SearchConfig


def test_the_replan_starts_a_technician_at_the_job_he_began_and_its_plan_loads(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan")
    jan = technician(uow, "cpo-jan")
    spots = [GeoPoint(jan.home.lat + 0.02 * k, jan.home.lon + 0.01) for k in (1, 2, 3)]
    ids = [quoted(uow, clock, where=s).ticket.id for s in spots]
    for t in ids:
        book(uow, clock, TRAVEL, t, jan.id)
    record_events(uow, clock, TRAVEL, jan.id, [  # the last fix: leaving home
        FieldEvent("p", EventType.POSITION, clock.now(), position=jan.home),
        FieldEvent("d", EventType.EN_ROUTE, clock.now(), ticket_id=ids[0]),
    ])  # fmt: skip
    clock.advance(timedelta(minutes=12))  # no fix since: arrived and started at once
    record_events(uow, clock, TRAVEL, jan.id, [
        FieldEvent("a", EventType.ARRIVED, clock.now(), ticket_id=ids[0]),
        FieldEvent("s", EventType.STARTED, clock.now(), ticket_id=ids[0]),
    ])  # fmt: skip
    clock.advance(timedelta(minutes=5))

    with uow:
        live = load_live_state(uow, clock.now(), None)
    day = to_problem(live, clock.now(), TRAVEL)
    (vehicle,) = day.problem.vehicles
    started = next(v for v in day.problem.visits if v.pins.started_on == vehicle.id)
    assert vehicle.start_location == started.location  # not his home, 2 km away

    config = SearchConfig(time_limit_s=1.0, sisr_share=1.0, sisr_iterations=200)
    with caplog.at_level(logging.WARNING, logger="solver"):
        plan = solve(day.problem, config, day.previous)
    assert "did not load" not in caplog.text
    (route,) = plan.routes
    assert [s.visit for s in route.stops] == [str(t) for t in ids]
    assert route.stops[0].start == started.pins.started_at


def test_the_quote_times_his_day_from_the_door_and_the_work_left() -> None:
    """Twenty minutes into a 30-minute job: the quote's route has no drive into it, ten
    minutes of it left, and the next customer waited for at their told window's start
    with a margin kept before its end."""
    tech = tech_at_home()
    arrived = MORNING - timedelta(minutes=20)
    here = visit(1, 1, arrived, status=VisitStatus.STARTED)
    tech.position = GeoPoint(tech.home.lat, tech.home.lon)  # a fix from before he left
    later = visit(2, 2, MORNING + timedelta(hours=2))
    day = build_live_day(MORNING, [tech], {tech.id: 1}, {tech.id: [here, later]}, {})
    (route,) = day.routes
    assert route.start == here.location.latlon and route.legs_s[0] == 0
    assert (route.stops[0].service_s, route.stops[0].earliest_s) == (600, None)
    assert route.stops[1].earliest_s == ts(later.promise.start)
    assert route.stops[1].comfort_end_s == ts(comfortable_end(later.promise))

