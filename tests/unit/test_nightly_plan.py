"""The nightly plan of a later date, on the fake unit of work (issue 13): it re-orders
and re-assigns booked work to drive less, never moves anyone out of their window, and
stores nothing when it cannot do better or someone booked meanwhile."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt
from builders import BRUSSELS, TRAVEL, kinds_told
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.calendar import DateException, DayKind, Hours, Lunch, WeeklyPattern
from dispatch.domain.day_plan import Appointment
from dispatch.domain.model import (
    Customer,
    GeoPoint,
    Priority,
    Technician,
    Ticket,
    TicketStatus,
    TimeWindow,
)
from dispatch.services.nightly_groups import groups
from dispatch.services.nightly_plan import load_date, nightly_plans, plan_date
from solver.geo import LatLon

ZONE = "Europe/Brussels"
NOW = datetime(2026, 12, 4, 22, 0, tzinfo=BRUSSELS)  # Friday night
MONDAY = date(2026, 12, 7)
OFFICE = Hours(time(8, 0), time(17, 0), Lunch(time(12, 0), time(13, 30), 30))
WEEK = WeeklyPattern(ZONE, dict.fromkeys(range(5), OFFICE))
WEST, EAST = GeoPoint(51.07, 4.20), GeoPoint(51.07, 4.40)


def at(hour: float) -> datetime:
    return datetime.combine(MONDAY, time(0, 0), tzinfo=BRUSSELS) + timedelta(hours=hour)


def fleet() -> tuple[FakeUnitOfWork, int, int]:
    uow = FakeUnitOfWork()
    with uow:
        ids = [
            uow.technicians.add(Technician(0, code, code, home, TimeWindow(NOW, NOW),
                                           frozenset({"ac"})))
            for code, home in (("west", WEST), ("east", EAST))
        ]  # fmt: skip
        for tid in ids:
            uow.calendars.set_pattern(tid, WEEK, NOW)
        uow.commit()
    return uow, ids[0], ids[1]


def book_crossed(uow: FakeUnitOfWork, west: int, east: int) -> dict[int, GeoPoint]:
    """Three jobs near each home, each booked with the technician from the other side:
    as a busy helpdesk might, one call at a time."""
    places: dict[int, GeoPoint] = {}
    with uow:
        for tid, near in ((west, EAST), (east, WEST)):
            plan = uow.day_plans.get(tid, MONDAY)
            for k in range(3):
                where = GeoPoint(near.lat + 0.004 * k, near.lon + 0.006 * k)
                ticket = Ticket(0, Customer(f"c{tid}-{k}"), where, "cable_stuck", frozenset({"ac"}),
                                timedelta(minutes=45), Priority.NORMAL, secrets.token_urlsafe(8),
                                NOW, status=TicketStatus.ASSIGNED)  # fmt: skip
                tid_ticket = uow.tickets.add(ticket)
                places[tid_ticket] = where
                window = TimeWindow(at(8), at(12)) if k < 2 else TimeWindow(at(13), at(17))
                eta = at(9 + k) if k < 2 else at(14)
                plan.book(Appointment(tid_ticket, tid, MONDAY, where, timedelta(minutes=45),
                                      window, eta, 1200), k, NOW)  # fmt: skip
            uow.day_plans.save(plan)
        uow.commit()
    return places


def monday(uow: FakeUnitOfWork, tid: int) -> tuple[int, tuple[Appointment, ...]]:
    with uow:
        plan = uow.day_plans.get(tid, MONDAY)
        return plan.version, plan.appointments


def near(a: GeoPoint, b: GeoPoint) -> bool:
    return abs(a.lon - b.lon) < 0.05


def test_the_night_gives_each_technician_the_work_near_his_home() -> None:
    uow, west, east = fleet()
    places = book_crossed(uow, west, east)
    report = plan_date(uow, TRAVEL, MONDAY, NOW, time_limit_s=1.0)
    assert report.applied and report.visits == 6 and report.moved == 6
    assert report.travel_after_s < 0.6 * report.travel_before_s
    for tid, home in ((west, WEST), (east, EAST)):
        version, items = monday(uow, tid)
        assert version == 2 and len(items) == 3
        assert all(near(a.location, home) for a in items)
        assert all(a.window.contains(a.eta) and a.technician_id == tid for a in items)
        assert [a.sequence for a in items] == [1, 2, 3]
    for ticket in places:  # a new name, same window: each customer is told who comes
        assert kinds_told(uow, ticket) == ["VisitBooked", "VisitReassigned"]


def test_work_booked_with_someone_now_off_goes_to_whoever_can_keep_its_window() -> None:
    uow, west, east = fleet()
    book_crossed(uow, west, east)
    with uow:
        uow.calendars.add_exception(west, DateException(MONDAY, DayKind.SICK), NOW)
        uow.commit()
    report = plan_date(uow, TRAVEL, MONDAY, NOW, time_limit_s=1.0)
    assert report.applied and report.placed_orphans == 3
    _, left = monday(uow, west)
    _, items = monday(uow, east)
    assert left == () and len(items) == 6
    assert all(a.window.contains(a.eta) for a in items)


def test_a_plan_that_cannot_improve_is_left_as_booked() -> None:
    uow, west, east = fleet()
    book_crossed(uow, west, east)
    assert plan_date(uow, TRAVEL, MONDAY, NOW, time_limit_s=1.0).applied
    again = plan_date(uow, TRAVEL, MONDAY, NOW, time_limit_s=1.0)
    assert not again.applied and again.reason == "the booked plan is as good"
    assert monday(uow, west)[0] == 2  # not written again


class BookingMeanwhile:
    """Road times that, asked for the night's matrix, let the helpdesk book first."""

    def __init__(self, uow: FakeUnitOfWork, tid: int) -> None:
        self.uow, self.tid, self.done = uow, tid, False

    def matrix(self, origins: Sequence[LatLon], destinations: Sequence[LatLon],
               depart_at: datetime | None = None) -> npt.NDArray[np.float64]:  # fmt: skip
        if not self.done:
            self.done = True
            with self.uow:
                plan = self.uow.day_plans.get(self.tid, MONDAY)
                late = plan.appointments[-1]
                plan.replan([(a, a.eta, a.leg_s) for a in plan.appointments[:-1]]
                            + [(late, late.eta, late.leg_s)], NOW)  # fmt: skip
                assert self.uow.day_plans.save(plan)
                self.uow.commit()
        return TRAVEL.matrix(origins, destinations, depart_at)


def test_a_booking_made_during_the_night_plan_wins() -> None:
    uow, west, east = fleet()
    book_crossed(uow, west, east)
    report = plan_date(uow, BookingMeanwhile(uow, east), MONDAY, NOW, time_limit_s=1.0)
    assert not report.applied and "meanwhile" in report.reason
    _, items = monday(uow, west)
    assert not any(near(a.location, WEST) for a in items)  # still as booked


def test_nothing_booked_is_nothing_to_do() -> None:
    uow, _, _ = fleet()
    report = plan_date(uow, TRAVEL, MONDAY, NOW, time_limit_s=1.0)
    assert not report.applied and report.reason == "nothing booked"


def test_a_large_fleet_is_cut_into_groups_of_nearby_technicians() -> None:
    """Every working technician in exactly one group, at most GROUP each, people who
    live close together in the same group, and a second cut with other borders."""
    uow = FakeUnitOfWork()
    with uow:
        homes = [GeoPoint(51.0 + 0.01 * (i % 8), 4.1 + 0.02 * (i // 8)) for i in range(64)]
        ids = [uow.technicians.add(Technician(0, f"t{i}", f"t{i}", home, TimeWindow(NOW, NOW),
                                              frozenset({"ac"})))
               for i, home in enumerate(homes)]  # fmt: skip
        for tid in ids:
            uow.calendars.set_pattern(tid, WEEK, NOW)
        uow.calendars.add_exception(ids[0], DateException(MONDAY, DayKind.OFF), NOW)
        plan = uow.day_plans.get(ids[0], MONDAY)  # booked before he took the day off
        where = GeoPoint(51.0, 4.1)
        ticket = uow.tickets.add(Ticket(0, Customer("c"), where, "cable_stuck", frozenset({"ac"}),
                                        timedelta(minutes=30), Priority.NORMAL, "tok", NOW))
        plan.book(Appointment(ticket, ids[0], MONDAY, where, timedelta(minutes=30),
                              TimeWindow(at(8), at(10)), at(9), 600), 0, NOW)  # fmt: skip
        uow.day_plans.save(plan)
        uow.commit()
        state = load_date(uow, MONDAY)
    first, second = groups(state, size=16), groups(state, second=True, size=16)
    for cut in (first, second):
        assert sorted(t for g in cut for t in g.work) == sorted(ids[1:])
        assert all(len(g.work) <= 16 for g in cut) and len(cut) == 4
        assert sum(ids[0] in g.plans for g in cut) == 1  # the day off's booking: one group
    spans = [max(t.home.lat for t in g.technicians.values())
             - min(t.home.lat for t in g.technicians.values()) for g in first]
    assert max(spans) <= 0.04  # cut north-south first: each group a band of homes
    assert {frozenset(g.work) for g in first} != {frozenset(g.work) for g in second}


def test_the_night_job_plans_each_later_date_on_its_own() -> None:
    """Friday night, three dates ahead: Saturday and Sunday have nothing booked,
    Monday is planned; each is reported."""
    uow, west, east = fleet()
    book_crossed(uow, west, east)
    reports = nightly_plans(uow, FakeClock(NOW), TRAVEL, ZONE, days=3, time_limit_s=1.0)
    assert [(r.day.isoformat(), r.applied) for r in reports] == [
        ("2026-12-05", False), ("2026-12-06", False), ("2026-12-07", True)]  # fmt: skip
    assert reports[0].reason == "nothing booked"
