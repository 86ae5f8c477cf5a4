"""Load the demo fleet and open tickets, idempotently.

Demo shifts are recurring local times ("07:00 for 9 hours"); seeding places each
technician on the shift instance that covers now, or the next one, so a test's fleet
works at any hour. ``dispatch seed`` then stores each technician's real week
(``seed_calendars``), and today's shifts follow it: outside working hours a new
ticket is booked into the next morning's first slot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dispatch.clock import Clock
from dispatch.domain.model import Customer, GeoPoint, Priority, Technician, TimeWindow
from dispatch.services.first_slot import book_first_slot
from dispatch.services.tickets import NewTicket, create_ticket, get_ticket
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

Progress = Callable[[str], None]


def shift_instance(now: datetime, zone: ZoneInfo, start: str, hours: float) -> TimeWindow:
    """The shift that covers ``now``, or the next one if none does."""
    local_day = now.astimezone(zone).date()
    clock_time = time.fromisoformat(start)
    for offset in (-1, 0, 1):
        day: date = local_day + timedelta(days=offset)
        begin = datetime.combine(day, clock_time, tzinfo=zone)
        end = begin + timedelta(hours=hours)
        if end > now:
            return TimeWindow(begin, end)
    raise AssertionError("unreachable: tomorrow's shift always ends after now")


def seed_skills(uow: UnitOfWork, skills: Iterable[Mapping[str, str]]) -> int:
    with uow:
        count = 0
        for s in skills:
            uow.skills.upsert(s["code"], s["label"])
            count += 1
        uow.commit()
    return count


def seed_fleet(uow: UnitOfWork, clock: Clock, fleet: Mapping[str, Any]) -> int:
    zone = ZoneInfo(fleet.get("timezone", "Europe/Brussels"))
    now = clock.now()
    with uow:
        for t in fleet["technicians"]:
            shift = shift_instance(now, zone, t["shift"]["start"], float(t["shift"]["hours"]))
            existing = uow.technicians.by_code(t["code"])
            if existing is not None:
                uow.technicians.update_shift(existing.id, shift)
                continue
            uow.technicians.add(
                Technician(
                    id=0,
                    code=t["code"],
                    name=t["name"],
                    home=GeoPoint(t["home"]["lat"], t["home"]["lon"]),
                    shift=shift,
                    skills=frozenset(t["skills"]),
                )
            )
        uow.commit()
    return len(fleet["technicians"])


def seed_tickets(
    uow: UnitOfWork,
    clock: Clock,
    travel: TravelTimes,
    tickets: Iterable[Mapping[str, Any]],
    progress: Progress | None = None,
    zone: str | None = None,
) -> tuple[int, int]:
    """Create the demo tickets through the normal use case; returns (assigned, total).
    With a ``zone`` (the fleet has calendars), a ticket nobody can take today is booked
    into the first slot of a later day, as the API does."""
    assigned = total = 0
    for t in tickets:
        c = t["customer"]
        created = create_ticket(
            uow,
            clock,
            travel,
            NewTicket(
                customer=Customer(c["name"], c.get("phone"), c.get("email"), c.get("locale", "nl")),
                location=GeoPoint(t["location"]["lat"], t["location"]["lon"]),
                kind=t["kind"],
                skills=frozenset(t["skills"]),
                service=timedelta(minutes=t["duration_min"]),
                priority=Priority(t.get("priority", "normal")),
            ),
            idempotency_key=f"seed:{t['ref']}",
        )
        total += 1
        later = created.ticket.visit is None and not created.replayed and zone is not None
        if later and book_first_slot(uow, clock, travel, created.ticket.id, str(zone)):
            created.ticket.visit = get_ticket(uow, created.ticket.id).ticket.visit
        assigned += created.ticket.visit is not None
        if progress:
            who = "assigned" if created.ticket.visit else "unassigned"
            progress(f"ticket {t['ref']}: {who}")
    return assigned, total
