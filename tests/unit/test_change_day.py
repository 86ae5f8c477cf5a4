"""The customer moves their own appointment to another day from the tracking page
(issue 17): no disruption behind it, never left with none or with two."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from builders import BRUSSELS, TRAVEL, demo_fleet, only_on_shift, quoted, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.calendar import Hours, WeeklyPattern
from dispatch.domain.errors import Conflict, InvalidInput
from dispatch.domain.message_rules import kind_for
from dispatch.domain.model import GeoPoint, TicketStatus, VisitStatus
from dispatch.services.bookings import book
from dispatch.services.cases import cancel
from dispatch.services.change_day import change_day
from dispatch.services.offers import OfferPolicy
from dispatch.store.event_codec import from_record

ZONE = "Europe/Brussels"
TUESDAY = date(2026, 11, 24)
FRIDAY = date(2026, 11, 27)
SATURDAY = date(2026, 11, 28)
WEEK = WeeklyPattern(ZONE, {d: Hours(time(8, 0), time(17, 0)) for d in range(5)})
POLICY = OfferPolicy(ZONE)


@pytest.fixture
def booked() -> tuple[FakeUnitOfWork, FakeClock, int, str]:
    """Tine's cable, booked with Jan this Tuesday morning; Jan works weekdays."""
    clock = FakeClock(datetime.combine(TUESDAY, time(9), BRUSSELS))
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan")
    jan = technician(uow, "cpo-jan")
    with uow:
        uow.calendars.set_pattern(jan.id, WEEK, clock.now())
        uow.commit()
    created = quoted(uow, clock, where=GeoPoint(jan.home.lat + 0.01, jan.home.lon))
    book(uow, clock, TRAVEL, created.ticket.id, jan.id)
    return uow, clock, created.ticket.id, created.ticket.tracking_token


def told(uow: FakeUnitOfWork, ticket_id: int, since: datetime) -> list[str]:
    """The customer messages the outbox events since ``since`` become, in order."""
    with uow:
        rows = uow.outbox.for_ticket(ticket_id)
    events = [from_record(kind, payload) for kind, payload in rows]
    return [k.value for e in events if e.at >= since and (k := kind_for(e)) is not None]


def test_the_appointment_moves_to_the_best_time_that_day_and_the_customer_is_told(booked):
    uow, clock, ticket_id, token = booked
    clock.advance(timedelta(minutes=5))
    moved = change_day(uow, clock, TRAVEL, token, FRIDAY, POLICY)
    assert moved.window.start.astimezone(BRUSSELS).date() == FRIDAY
    with uow:
        planned = uow.day_plans.of_ticket(ticket_id)
        ticket = uow.tickets.get(ticket_id)
    assert planned is not None and planned.day == FRIDAY and planned.window == moved.window
    assert ticket is not None and (ticket.visit is None or not ticket.visit.open)
    assert told(uow, ticket_id, clock.now()) == ["rebooked"]  # one message: the new day


def test_a_day_with_nothing_free_leaves_the_appointment_as_it_was(booked):
    uow, clock, ticket_id, token = booked
    with uow:
        before = uow.tickets.get(ticket_id)
    with pytest.raises(Conflict, match="nothing is free on 2026-11-28"):
        change_day(uow, clock, TRAVEL, token, SATURDAY, POLICY)  # nobody works Saturdays
    with uow:
        after = uow.tickets.get(ticket_id)
        assert uow.day_plans.of_ticket(ticket_id) is None
    assert after is not None and before is not None and after.visit == before.visit


def test_today_or_far_ahead_is_refused_with_why(booked):
    uow, clock, _, token = booked
    with pytest.raises(InvalidInput, match="not a later date"):
        change_day(uow, clock, TRAVEL, token, TUESDAY, POLICY)
    with pytest.raises(InvalidInput, match="more than 31 days ahead"):
        change_day(uow, clock, TRAVEL, token, TUESDAY + timedelta(days=40), POLICY)


def test_started_work_or_a_cancelled_case_is_not_moved(booked):
    uow, clock, ticket_id, token = booked
    with uow:
        ticket = uow.tickets.get(ticket_id)
        assert ticket is not None and ticket.visit is not None
        route = uow.routes.get(ticket.visit.technician_id)
        route.set_status(ticket_id, VisitStatus.STARTED, clock.now())
        uow.routes.save(route)
        uow.commit()
    with pytest.raises(Conflict, match="has started"):
        change_day(uow, clock, TRAVEL, token, FRIDAY, POLICY)


def test_a_cancelled_case_is_not_moved(booked):
    uow, clock, ticket_id, token = booked
    cancel(uow, clock, "customer", token=token, why="solved it myself")
    with uow:
        assert uow.tickets.get(ticket_id).status == TicketStatus.CANCELLED  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="cancelled"):
        change_day(uow, clock, TRAVEL, token, FRIDAY, POLICY)
