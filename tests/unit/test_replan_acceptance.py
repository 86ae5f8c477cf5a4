"""When a re-optimised day may replace the one being driven, and how it is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import numpy as np
import pytest
from builders import (
    MORNING,
    TRAVEL,
    demo_fleet,
    only_on_shift,
    quoted,
    technician,
)
from fakes import FakeUnitOfWork

import dispatch.services.replan as replan_module
from dispatch.clock import FakeClock
from dispatch.domain.events import VisitBooked
from dispatch.domain.model import GeoPoint
from dispatch.domain.model import Visit as Booked
from dispatch.domain.stability import Stability
from dispatch.services.bookings import book
from dispatch.services.replan import apply_plan, invalid_plan, load_live_state, refusal, rescued
from dispatch.services.replan_problem import DayProblem, LiveState, keep_names, to_problem
from dispatch.services.routes import get_route
from solver.model import Dropped, Pins, Problem, Route, Solution, StopTime, Vehicle, Visit, Window
from solver.model.timing import slips_in, travel_of

UNIT = 600  # a straight road: each step between places is 10 minutes of driving


def line(promises: dict[str, tuple[int, int]], shift_end: int = 14_400) -> Problem:
    """A technician at place 0 and visits "a" at 1 and "b" at 2, 30 minutes each."""
    durations = np.array([[abs(i - j) * UNIT for j in range(3)] for i in range(3)], np.int64)
    visits = [Visit(v, k + 1, 1800, pins=Pins(promise=Window(*promises[v])))
              for k, v in enumerate("ab")]  # fmt: skip
    return Problem([Vehicle("t", 0, 0, 0, shift_end)], visits, durations)


WIDE = {"a": (0, 7200), "b": (0, 7200)}
PLAN = {"t": ["a", "b"]}


def test_travel_of_drives_home_to_home_through_every_visit() -> None:
    assert travel_of(line(WIDE), PLAN) == UNIT + UNIT + 2 * UNIT
    assert travel_of(line(WIDE), {"t": ["b", "a"]}) == 2 * UNIT + UNIT + UNIT
    assert travel_of(line(WIDE), {}) == 0


def test_slips_in_finds_the_late_customer_and_the_long_day() -> None:
    # a: arrive 600, work to 2400; b: arrive 3000, promised until 1800; home at 6000
    slips = slips_in(line({"a": (0, 3600), "b": (0, 1800)}, shift_end=5000), PLAN)
    assert (slips.late, slips.late_s, slips.overtime) == ({"b"}, 1200, {"t": 1000})
    assert slips_in(line(WIDE), PLAN).late == set()


def test_slips_in_waits_for_a_promise_that_opens_later() -> None:
    # a cannot start before 1800: b is reached at 1800 + 1800 + 600 = 4200
    slips = slips_in(line({"a": (1800, 3600), "b": (0, 4000)}), PLAN)
    assert (slips.late, slips.late_s) == ({"b"}, 200)


def current(problem: Problem) -> DayProblem:
    return DayProblem(problem, 0, PLAN, slips_in(problem, PLAN), travel_of(problem, PLAN))


def solution(*stops: tuple[str, int], travel: int = 2400, lateness: int = 0, **kw: Any) -> Solution:
    """The route of "t" (by default a then b, on time); ``lateness`` is b's."""
    stops = stops or (("a", 600), ("b", 3000))
    timed = tuple(StopTime(v, t, t, lateness if v == "b" else 0) for v, t in stops)
    return Solution((Route("t", timed, 6000),), travel=travel, **kw)


def test_a_plan_that_serves_everyone_inside_their_promise_is_valid() -> None:
    assert invalid_plan(current(line(WIDE)), solution(("a", 600), ("b", 3000))) is None


def test_a_plan_that_drops_or_forgets_a_visit_is_invalid() -> None:
    day = current(line(WIDE))
    dropped = solution(("a", 600), dropped=(Dropped("b", "no time"),))
    assert invalid_plan(day, dropped) == "would drop b"
    assert "b neither served" in str(invalid_plan(day, solution(("a", 600))))


def test_a_plan_that_breaks_a_hard_promise_is_invalid() -> None:
    day = current(line({"a": (0, 7200), "b": (0, 1800)}))
    assert "outside the promise" in str(invalid_plan(day, solution(("a", 600), ("b", 3000))))


def test_a_plan_may_not_make_a_late_customer_or_a_long_day_later() -> None:
    on_time = current(line(WIDE))
    assert refusal(on_time, solution(lateness=60, travel=1000)) is not None
    late = current(line({"a": (0, 3600), "b": (0, 1800)}))  # b is already 1200 s late
    assert refusal(late, solution(lateness=1200, travel=2000)) is None
    assert "later still" in str(refusal(late, solution(lateness=1260, travel=2000)))
    longer = Solution((Route("t", (), 6000, overtime=1),), travel=1000)
    assert "later still" in str(refusal(on_time, longer))


def test_a_plan_that_brings_a_late_customer_back_in_time_may_drive_more() -> None:
    """After a breakdown, handing a visit to someone farther away costs driving; keeping
    the promise is worth it."""
    late = current(line({"a": (0, 3600), "b": (0, 1800)}))  # b is already 1200 s late
    assert refusal(late, solution(lateness=0, travel=10**6)) is None
    assert refusal(late, solution(lateness=600, travel=10**6)) is None
    assert refusal(late, solution(lateness=1200, travel=10**6)) == "the current plan is as good"


@pytest.mark.parametrize(("after", "accepted"), [(2376, True), (2377, False), (2400, False)])
def test_a_plan_must_save_at_least_one_percent_of_the_driving(after: int, accepted: bool) -> None:
    refused = refusal(current(line(WIDE)), solution(travel=after))
    assert (refused is None) == accepted
    assert accepted or refused == "the current plan is as good"


# -- storing the new plan ------------------------------------------------------------


@pytest.fixture
def day_of_two(clock: FakeClock) -> FakeUnitOfWork:
    """Jan and Fatima on shift; two visits next to Jan booked with Fatima."""
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan", "cpo-fatima")
    jan, fatima = technician(uow, "cpo-jan"), technician(uow, "cpo-fatima")
    for k in (1, 2):
        spot = GeoPoint(jan.home.lat + 0.003 * k, jan.home.lon)
        book(uow, clock, TRAVEL, quoted(uow, clock, where=spot).ticket.id, fatima.id)
    return uow


def moving_first_to_jan(
    uow: FakeUnitOfWork, clock: FakeClock
) -> tuple[LiveState, DayProblem, Solution]:
    """The live day as the replan reads it, and a plan handing Fatima's first visit to Jan
    at the same time (so every promise holds)."""
    with uow:
        live = load_live_state(uow, clock.now(), None)
    day = to_problem(live, clock.now(), TRAVEL)
    jan, fatima = technician(uow, "cpo-jan"), technician(uow, "cpo-fatima")
    first, second = live.visits[fatima.id]

    def stop(v: Booked) -> StopTime:
        start = int(v.eta.timestamp()) - day.origin
        return StopTime(str(v.ticket_id), start, start)

    plan = Solution((Route(str(jan.id), (stop(first),), 0),
                     Route(str(fatima.id), (stop(second),), 0)))  # fmt: skip
    return live, day, plan


def promises(uow: FakeUnitOfWork, tech_id: int) -> dict[int, tuple[datetime, datetime, int]]:
    return {v.ticket_id: (v.window.start, v.window.end, v.promise_version)
            for v in get_route(uow, tech_id).stops}  # fmt: skip


def test_apply_plan_moves_a_visit_between_routes_and_keeps_its_promise(
    day_of_two: FakeUnitOfWork, clock: FakeClock
) -> None:
    uow = day_of_two
    jan, fatima = technician(uow, "cpo-jan"), technician(uow, "cpo-fatima")
    before = promises(uow, fatima.id)
    live, day, plan = moving_first_to_jan(uow, clock)
    first, second = (v.ticket_id for v in live.visits[fatima.id])

    assert apply_plan(uow, live, day, plan, MORNING) == 1

    assert promises(uow, jan.id) == {first: before[first]}
    assert promises(uow, fatima.id) == {second: before[second]}
    assert [v.technician_id for v in get_route(uow, jan.id).stops] == [jan.id]
    with uow:
        # no promise moved; the one customer whose technician changed is told so
        assert sorted(k for k, _, _ in uow.outbox.all() if k != VisitBooked.kind) == [
            "VisitReassigned"
        ]
        versions = uow.technicians.route_versions([jan.id, fatima.id])
    assert versions == {jan.id: live.versions[jan.id] + 1, fatima.id: live.versions[fatima.id] + 1}


def test_apply_plan_writes_nothing_when_a_route_changed_meanwhile(
    day_of_two: FakeUnitOfWork, clock: FakeClock
) -> None:
    uow = day_of_two
    jan, fatima = technician(uow, "cpo-jan"), technician(uow, "cpo-fatima")
    live, day, plan = moving_first_to_jan(uow, clock)
    booked_meanwhile = quoted(uow, clock).ticket.id
    book(uow, clock, TRAVEL, booked_meanwhile, jan.id)
    fatima_before = get_route(uow, fatima.id).stops

    assert apply_plan(uow, live, day, plan, MORNING) is None

    assert [v.ticket_id for v in get_route(uow, jan.id).stops] == [booked_meanwhile]
    assert get_route(uow, fatima.id).stops == fatima_before


def test_a_plan_handing_a_told_customer_over_for_little_driving_is_refused(
    day_of_two: FakeUnitOfWork, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the search proposes, the acceptance rule keeps a told name unless the
    move saves 15 minutes of driving per customer moved (on a day this small one move is
    half the told names, so the share cap is lifted to see the driving rule alone)."""
    uow = day_of_two
    fatima = technician(uow, "cpo-fatima")
    live, day, plan = moving_first_to_jan(uow, clock)
    before = [v.ticket_id for v in live.visits[fatima.id]]
    for saved, applied in ((14 * 60, False), (15 * 60, True)):
        offer = replace(plan, travel=day.travel_before - saved)
        monkeypatch.setattr(replan_module, "plan_day", lambda *a, **k: offer)  # noqa: B023
        monkeypatch.setattr(replan_module, "invalid_plan", lambda *a: None)

        report = replan_module.replan(uow, clock, TRAVEL, stability=Stability(most_share=1.0))

        assert report.applied == applied, report.reason
        assert applied or "another technician for 14 min" in report.reason
        stays = [v.ticket_id for v in get_route(uow, fatima.id).stops]
        assert stays == (before if not applied else before[1:])


def test_the_fallback_day_pins_every_told_visit_to_its_technician(
    day_of_two: FakeUnitOfWork, clock: FakeClock
) -> None:
    uow = day_of_two
    fatima = technician(uow, "cpo-fatima")
    _, day, _ = moving_first_to_jan(uow, clock)
    kept = keep_names(day)
    assert day.told and {v.id for v in kept.problem.visits} == set(day.told)
    assert {v.pins.vehicle for v in kept.problem.visits} == {str(fatima.id)}
    assert {v.pins.vehicle for v in day.problem.visits} == {None}  # the first search is free
    assert [v.pins.promise for v in kept.problem.visits] == [
        v.pins.promise for v in day.problem.visits
    ]


@pytest.mark.parametrize(("b_until", "free"), [(1800, {"b"}), (2700, set())])
def test_a_customer_a_quarter_hour_late_moves_to_keep_their_window_for_free(
    b_until: int, free: set[str]
) -> None:
    """b is reached at 3000: 20 minutes past a promise ending at 1800, 5 past one ending
    at 2700. Handed to another van that is there in time, the first move is free (the
    promise holds, the name changes); the second must be paid for like any other."""
    day = current(line({"a": (0, 3600), "b": (0, b_until)}))
    plan = Solution((Route("t", (StopTime("a", 600, 600),), 0),
                     Route("u", (StopTime("b", 1000, 1000),), 0)))  # fmt: skip
    got, others, slips_saved = rescued(day, plan, frozenset({"b"}), Stability())
    assert (set(got), others, slips_saved) == (free, 0, 3000 - b_until)


def test_the_replan_after_a_booking_leaves_a_large_day_to_the_periodic_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "large" lowered to 8 visits for the test (600 in service): 3 technicians x 3
    # visits are above it, so planning it would mean parts in worker processes, which
    # the replan after a booking must not start
    from benchmarks.synthetic_day import seed_synthetic
    from solver.traveltime.haversine import Haversine

    uow, clock = FakeUnitOfWork(), FakeClock(datetime(2026, 11, 24, 10, 0).astimezone())
    seed_synthetic(uow, clock, Haversine(), technicians=3, visits_per_technician=3, seed=1)
    monkeypatch.setattr(replan_module, "LARGE", 8)
    monkeypatch.setattr(replan_module, "plan_day", lambda *a, **k: pytest.fail("planned"))
    report = replan_module.replan(uow, clock, Haversine(), in_parts=False)
    assert not report.applied and report.reason == "9 visits: left to the periodic replan"
