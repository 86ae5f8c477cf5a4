"""Quotes and bookings against the demo fleet, on SQLite and PostgreSQL."""

import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import numpy as np
import pytest

from dispatch.domain.errors import Conflict
from dispatch.domain.events import PromiseChanged, VisitBooked
from dispatch.domain.model import Customer, GeoPoint, Priority, TicketStatus, TimeWindow
from dispatch.domain.urgency import UrgencyFactors
from dispatch.services.booking import StaleRoute, WouldBreakPromises
from dispatch.services.bookings import book, candidates
from dispatch.services.routes import get_route
from dispatch.services.tickets import NewTicket, create_ticket
from dispatch.store.engine import session_factory
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.haversine import Haversine

JAN_HOME = GeoPoint(51.0740, 4.2880)


def new(where=JAN_HOME, skills=("cable_release",), minutes=30, **kw) -> NewTicket:
    return NewTicket(
        customer=Customer("Griet Cools", locale="nl"),
        location=where,
        kind="cable_stuck",
        skills=frozenset(skills),
        service=timedelta(minutes=minutes),
        **kw,
    )


def quoted(uow, clock, travel, **kw):
    created = create_ticket(uow, clock, travel, new(**kw), quote_only=True)
    assert created.ticket.status == TicketStatus.OPEN
    return created


class River:
    """Haversine, except that crossing longitude 4.31 (a river with one far bridge)
    costs 40 extra minutes: near by air is then far by road."""

    def __init__(self) -> None:
        self.base = Haversine()

    def matrix(self, origins, destinations, depart_at=None):
        m = self.base.matrix(origins, destinations)
        west_o = np.array([p[1] < 4.31 for p in origins])[:, None]
        west_d = np.array([p[1] < 4.31 for p in destinations])[None, :]
        return m + np.where(west_o != west_d, 40 * 60.0, 0.0)


def test_the_nearest_by_road_ranks_first_not_the_nearest_by_air(fleet, clock, backend):
    # Just east of the river: Jan (west bank) is nearer by air than Fatima (east bank).
    spot = GeoPoint(51.0800, 4.3120)
    by_air = quoted(fleet, clock, Haversine(), where=spot).quote
    by_road = quoted(fleet, clock, River(), where=spot).quote
    assert by_air.candidates[0].technician.code == "cpo-jan"
    first = by_road.candidates[0]
    assert first.technician.code != "cpo-jan"
    jan = next(c for c in by_road.candidates if c.technician.code == "cpo-jan")
    assert jan.travel > first.travel
    assert jan.score.value > first.score.value


def test_only_technicians_with_the_skill_and_room_in_their_shift_are_offered(
    fleet, clock, travel, backend
):
    q = quoted(fleet, clock, travel, skills=("dc_fast_charger",)).quote
    assert q.candidates
    for c in q.candidates + q.breaking:
        assert "dc_fast_charger" in c.technician.skills
        assert c.eta + timedelta(minutes=30) <= c.technician.shift.end
    long_job = quoted(fleet, clock, travel, minutes=480).quote
    for c in long_job.candidates:
        assert c.eta + timedelta(hours=8) <= c.technician.shift.end
    offered = {c.technician.code for c in long_job.candidates}
    assert "cpo-jan" not in offered  # 07:00-16:00 cannot fit 8 hours from 09:00


def test_candidates_carry_an_honest_window_and_their_cost(fleet, clock, travel, backend):
    q = quoted(fleet, clock, travel).quote
    best = q.candidates[0]
    assert best.window.start <= best.eta <= best.window.end
    assert best.travel >= timedelta(0)
    assert "arrives in" in best.score.explanation
    scores = [c.score.value for c in q.candidates]
    assert scores == sorted(scores)


def only_jan_on_shift(uow, clock) -> None:
    with uow:
        for t in uow.technicians.all():
            if t.code != "cpo-jan":
                uow.technicians.update_shift(
                    t.id, TimeWindow(clock.now() - timedelta(hours=9), clock.now())
                )
        uow.commit()


def fill_route(uow, clock, travel, tech_code: str, n: int):
    """Book n visits in a row with one technician, all close to their home."""
    with uow:
        tech = uow.technicians.by_code(tech_code)
    ids = []
    for k in range(n):
        spot = GeoPoint(tech.home.lat + 0.002 * (k + 1), tech.home.lon)
        created = quoted(uow, clock, travel, where=spot)
        book(uow, clock, travel, created.ticket.id, tech.id)
        ids.append(created.ticket.id)
    return tech, ids


def test_the_next_visit_gets_a_narrower_window_than_the_sixth(fleet, clock, travel, backend):
    tech, ids = fill_route(fleet, clock, travel, "cpo-jan", 6)
    stops = get_route(fleet, tech.id).stops
    assert [s.ticket_id for s in stops] == ids
    widths = [s.window.end - s.window.start for s in stops]
    assert widths[0] < widths[5]
    assert widths == sorted(widths)


def test_an_insertion_that_breaks_a_promise_is_flagged_and_not_booked_silently(
    fleet, clock, travel, backend
):
    tech, ids = fill_route(fleet, clock, travel, "cpo-jan", 3)
    # A long job that must start within 20 minutes, right at Jan's door.
    now = clock.now()
    window = TimeWindow(now, now + timedelta(minutes=20))
    created = quoted(fleet, clock, travel, minutes=120, window=window)
    q = created.quote
    jan = [c for c in q.breaking if c.technician.id == tech.id]
    assert jan, "Jan's only option breaks the promises of the visits behind it"
    assert any(a.breaks_promise and a.ticket_id in ids for a in jan[0].affected)
    with pytest.raises(WouldBreakPromises, match="confirm that breaking"):
        book(fleet, clock, travel, created.ticket.id, tech.id)
    assert [s.ticket_id for s in get_route(fleet, tech.id).stops] == ids


def test_an_urgent_case_with_property_at_risk_pushes_a_normal_visit_and_tells_them(
    fleet, clock, travel, backend
):
    # Everyone but Jan is off; Jan has a normal visit promised for soon.
    only_jan_on_shift(fleet, clock)
    tech, (normal_id,) = fill_route(fleet, clock, travel, "cpo-jan", 1)
    now = clock.now()
    urgent = create_ticket(
        fleet,
        clock,
        travel,
        new(
            minutes=90,
            priority=Priority.URGENT,
            window=TimeWindow(now, now + timedelta(minutes=15)),
            factors=UrgencyFactors(customer_on_site=True, property_at_risk=True),
        ),
    )
    assert urgent.ticket.status == TicketStatus.ASSIGNED
    stops = get_route(fleet, tech.id).stops
    assert [s.ticket_id for s in stops] == [urgent.ticket.id, normal_id]
    with fleet:
        events = [e for e in fleet.outbox.for_ticket(normal_id) if e[0] != VisitBooked.kind]
    assert [kind for kind, _ in events] == [PromiseChanged.kind]
    payload = events[0][1]
    assert payload["pushed_by_ticket"] == urgent.ticket.id
    assert payload["new_eta"] > payload["old_eta"]


def test_a_normal_ticket_never_pushes_anyone(fleet, clock, travel, backend):
    only_jan_on_shift(fleet, clock)
    tech, ids = fill_route(fleet, clock, travel, "cpo-jan", 1)
    now = clock.now()
    created = create_ticket(
        fleet, clock, travel, new(minutes=90, window=TimeWindow(now, now + timedelta(minutes=15)))
    )
    assert created.ticket.status == TicketStatus.UNASSIGNED
    assert [s.ticket_id for s in get_route(fleet, tech.id).stops] == ids
    with fleet:
        assert [kind for kind, _, _ in fleet.outbox.all() if kind != VisitBooked.kind] == []


def test_a_stale_route_version_is_refused(fleet, clock, travel, backend):
    first = quoted(fleet, clock, travel)
    second = quoted(fleet, clock, travel)
    jan = next(c for c in second.quote.candidates if c.technician.code == "cpo-jan")
    book(fleet, clock, travel, first.ticket.id, jan.technician.id)
    with pytest.raises(StaleRoute, match="changed since the quote"):
        book(fleet, clock, travel, second.ticket.id, jan.technician.id, jan.route_version)
    again = candidates(fleet, clock, travel, second.ticket.id)
    fresh = next(c for c in again.candidates if c.technician.id == jan.technician.id)
    assert fresh.route_version == jan.route_version + 1
    booked = book(fleet, clock, travel, second.ticket.id, jan.technician.id, fresh.route_version)
    assert booked.booking is not None


def test_booking_twice_books_once_and_another_technician_is_refused(fleet, clock, travel, backend):
    created = quoted(fleet, clock, travel)
    one = book(fleet, clock, travel, created.ticket.id, None)
    assert one.booking is not None
    again = book(fleet, clock, travel, created.ticket.id, None)
    assert again.booking is None and again.ticket.visit is not None
    other = next(
        c.technician.id
        for c in created.quote.candidates
        if c.technician.id != one.booking.visit.technician_id
    )
    with pytest.raises(Conflict, match="already booked"):
        book(fleet, clock, travel, created.ticket.id, other)


def test_twenty_parallel_bookings_into_one_route_lose_nothing(
    fleet, engine, clock, travel, backend
):
    with fleet:
        jan = fleet.technicians.by_code("cpo-jan")
    tickets = [
        quoted(fleet, clock, travel, where=GeoPoint(51.0740 + 0.0005 * k, 4.2880)).ticket.id
        for k in range(20)
    ]
    sessions = session_factory(engine)

    def attempt(ticket_id: int) -> str:
        for _ in range(60):
            try:
                book(SqlUnitOfWork(sessions), clock, travel, ticket_id, jan.id)
                return "booked"
            except StaleRoute:
                continue
            except Conflict as exc:  # the route filled up: an honest refusal
                return f"refused: {exc}"
        return "gave up"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, tickets))
    booked = [t for t, o in zip(tickets, outcomes, strict=True) if o == "booked"]
    assert "gave up" not in outcomes
    stops = get_route(fleet, jan.id).stops
    # no double booking, no lost update: the route holds exactly the booked tickets once
    assert sorted(s.ticket_id for s in stops) == sorted(booked)
    assert len({s.sequence for s in stops}) == len(stops)
    for before, after in itertools.pairwise(stops):
        assert after.sequence > before.sequence
    assert len(booked) >= 10
