"""Situations several browser tests start from."""

from __future__ import annotations

from datetime import time, timedelta

from dispatch.clock import FakeClock
from dispatch.domain.calendar import Hours, WeeklyPattern
from dispatch.domain.model import Customer, GeoPoint, Technician, Ticket, TimeWindow
from dispatch.services.tickets import NewTicket, create_ticket
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes

WEEK = WeeklyPattern("Europe/Brussels", {d: Hours(time(8, 0), time(17, 0)) for d in range(5)})


def jan_alone_with_a_customer(fleet: SqlUnitOfWork, clock: FakeClock, travel: TravelTimes,
                              email: str | None = None, locale: str = "nl",
                              ) -> tuple[Technician, Ticket]:  # fmt: skip
    """Everyone works weekdays 08:00-17:00, but only Jan is still on shift today; Tine's
    locked cable is booked with him. When Jan breaks down nobody can take it today, so
    Tine is offered new times on the next working days."""
    now = clock.now()
    with fleet:
        techs = fleet.technicians.all()
        jan = next(t for t in techs if t.code == "cpo-jan")
        for t in techs:
            fleet.calendars.set_pattern(t.id, WEEK, now)
            if t.id != jan.id:
                fleet.technicians.update_shift(t.id, TimeWindow(now - timedelta(hours=9), now))
        fleet.commit()
    ticket = create_ticket(fleet, clock, travel, NewTicket(
        customer=Customer("Tine Smets", email=email, locale=locale),
        location=GeoPoint(jan.home.lat + 0.01, jan.home.lon), kind="cable_stuck",
        skills=frozenset({"cable_release"}), service=timedelta(minutes=30))).ticket  # fmt: skip
    return jan, ticket
