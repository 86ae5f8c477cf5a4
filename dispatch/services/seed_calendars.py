"""The demo fleet's real weeks: each technician's weekly pattern, from the fixture.

``fixtures/demo_fleet.json`` gives each technician a week in the service-hours form
("tue-fri 10:00-19:00, sat 09:00-13:00") and a lunch ("12:00-13:30 30", taken on the
days whose hours hold it). ``dispatch seed`` stores them as calendars (a pattern set
by hand is kept) and starts the day, so today's shifts follow the calendar: at 21:00
nobody works, and a new ticket is booked into the next morning's first slot.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

from dispatch.clock import Clock
from dispatch.domain.calendar import Hours, Lunch, WeeklyPattern
from dispatch.domain.service_hours import ServiceHours
from dispatch.services.day_start import start_day
from dispatch.store.ports import UnitOfWork


def pattern_of(week: str, lunch: str | None, zone: str) -> WeeklyPattern:
    """ "mon-fri 08:00-17:00" and "12:00-13:30 30" -> the pattern, lunch where it fits."""
    eat = None
    if lunch:
        span, minutes = lunch.split()
        first, last = (time.fromisoformat(x) for x in span.split("-"))
        eat = Lunch(first, last, int(minutes))
    days = {}
    for day, (start, end) in ServiceHours.parse(week, zone).week.items():
        fits = eat is not None and start <= eat.earliest and eat.latest <= end
        days[day] = Hours(start, end, eat if fits else None)
    return WeeklyPattern(zone, days)


def seed_calendars(uow: UnitOfWork, clock: Clock, fleet: Mapping[str, Any]) -> int:
    """Patterns for the technicians that have none; returns how many were set."""
    zone = fleet.get("timezone", "Europe/Brussels")
    now, added = clock.now(), 0
    with uow:
        for t in fleet["technicians"]:
            tech = uow.technicians.by_code(t["code"])
            if tech is None or "week" not in t or uow.calendars.pattern(tech.id) is not None:
                continue
            uow.calendars.set_pattern(tech.id, pattern_of(t["week"], t.get("lunch"), zone), now)
            added += 1
        uow.commit()
    start_day(uow, clock)
    return added
