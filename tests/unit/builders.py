"""Small builders shared by the unit ring's service tests: a demo fleet on a fake unit
of work, tickets, visits, and a guard that makes any database access fail."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy
import sqlalchemy.engine
import sqlalchemy.orm
from fakes import FakeUnitOfWork

import dispatch.store.engine
from dispatch.clock import FakeClock
from dispatch.domain.model import (
    Customer,
    GeoPoint,
    Technician,
    TimeWindow,
    Visit,
    VisitStatus,
)
from dispatch.services.bookings import book
from dispatch.services.seed import seed_fleet, seed_skills
from dispatch.services.tickets import Created, NewTicket, create_ticket
from fixtures import load_json
from solver.traveltime.haversine import Haversine

BRUSSELS = ZoneInfo("Europe/Brussels")
# A Tuesday morning: the day shifts (07:00, 08:00) are on, the night on-call is off.
MORNING = datetime(2026, 11, 24, 9, 0, tzinfo=BRUSSELS)
TRAVEL = Haversine(speed_kmh=35.0, detour_factor=1.3)  # as tests/conftest.py builds it
JAN_HOME = GeoPoint(51.0740, 4.2880)  # cpo-jan, on shift 07:00-16:00


def forbid_databases(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every way of reaching a database (a SQLite file, an engine, a session) fail."""

    def refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise AssertionError("the unit ring must not open a database")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", refuse)
    for module in (sqlalchemy, sqlalchemy.engine, dispatch.store.engine):
        monkeypatch.setattr(module, "create_engine", refuse)
    monkeypatch.setattr(sqlalchemy.orm.Session, "__init__", refuse)


def demo_fleet(clock: FakeClock) -> FakeUnitOfWork:
    """The demo skills and fleet, seeded through the use cases, on shifts covering now."""
    uow = FakeUnitOfWork()
    seed_skills(uow, load_json("skills.json"))
    seed_fleet(uow, clock, load_json("demo_fleet.json"))
    return uow


def technician(uow: FakeUnitOfWork, code: str) -> Technician:
    with uow:
        tech = uow.technicians.by_code(code)
    assert tech is not None, code
    return tech


def only_on_shift(uow: FakeUnitOfWork, clock: FakeClock, *codes: str) -> None:
    """Send everyone else home: their shift ended just now."""
    now = clock.now()
    with uow:
        for t in uow.technicians.all():
            if t.code not in codes:
                uow.technicians.update_shift(t.id, TimeWindow(now - timedelta(hours=9), now))
        uow.commit()


def new_ticket(
    where: GeoPoint = JAN_HOME,
    skills: tuple[str, ...] = ("cable_release",),
    minutes: int = 30,
    kind: str = "cable_stuck",
    **kw: Any,
) -> NewTicket:
    return NewTicket(Customer("Griet Cools"), where, kind, frozenset(skills),
                     timedelta(minutes=minutes), **kw)  # fmt: skip


def quoted(uow: FakeUnitOfWork, clock: FakeClock, **kw: Any) -> Created:
    """A ticket stored and quoted, not booked."""
    return create_ticket(uow, clock, TRAVEL, new_ticket(**kw), quote_only=True)


def fill_route(uow: FakeUnitOfWork, clock: FakeClock, code: str, n: int) -> list[int]:
    """Book n visits in a row with one technician, each a little north of their home."""
    tech = technician(uow, code)
    ids = []
    for k in range(n):
        spot = GeoPoint(tech.home.lat + 0.003 * (k + 1), tech.home.lon)
        created = quoted(uow, clock, where=spot)
        book(uow, clock, TRAVEL, created.ticket.id, tech.id)
        ids.append(created.ticket.id)
    return ids


def kinds_told(uow: FakeUnitOfWork, ticket_id: int) -> list[str]:
    """The kinds of message queued for one customer, in order."""
    with uow:
        return [kind for kind, _ in uow.outbox.for_ticket(ticket_id)]


def visit(
    ticket_id: int,
    sequence: int,
    eta: datetime,
    *,
    technician_id: int = 1,
    minutes: int = 30,
    half_width_min: int = 30,
    status: VisitStatus = VisitStatus.PLANNED,
    leg_s: int = 600,
    promise_version: int = 1,
) -> Visit:
    """A visit promised eta ± half_width, at a place derived from its ticket id."""
    half = timedelta(minutes=half_width_min)
    return Visit(ticket_id, technician_id, sequence,
                 GeoPoint(51.0 + ticket_id / 1000, 4.2), eta, timedelta(minutes=minutes),
                 TimeWindow(eta - half, eta + half), status, leg_s, promise_version)  # fmt: skip


def tech_at_home(technician_id: int = 1, shift_hours: float = 9) -> Technician:
    start = MORNING - timedelta(hours=2)
    return Technician(technician_id, f"t{technician_id}", f"Tech {technician_id}", JAN_HOME,
                      TimeWindow(start, start + timedelta(hours=shift_hours)),
                      frozenset({"cable_release"}))  # fmt: skip
