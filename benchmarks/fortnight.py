"""A booked fortnight at fleet scale, for ``dispatch bench slots`` (issue 13).

N technicians in the Puurs region work Monday to Friday 08:00-17:00 with 30 minutes of
lunch between 12:00 and 13:30; each of the next D working days already holds V
appointments per technician, in driving order, each inside its two-hour window, with
legs from the travel source. The same seed gives the same fortnight.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from benchmarks.synthetic_day import KINDS, SKILL_SETS, _reachable_home, _route_points
from dispatch.domain.calendar import Hours, Lunch, WeeklyPattern
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
from dispatch.domain.workdays import instant
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

ZONE = "Europe/Brussels"
WEEK = WeeklyPattern(ZONE, {d: Hours(time(8, 0), time(17, 0), Lunch(time(12, 0), time(13, 30), 30))
                            for d in range(5)})  # fmt: skip
SLOT = timedelta(hours=2)


def working_days(after: date, count: int) -> list[date]:
    out: list[date] = []
    d = after
    while len(out) < count:
        d += timedelta(days=1)
        if d.weekday() < 5:
            out.append(d)
    return out


def _day(uow: UnitOfWork, rng: random.Random, travel: TravelTimes, tech: Technician,
         day: date, visits: int, now: datetime) -> int:  # fmt: skip
    """Only work he has the skills for: a booking never gives anyone more."""
    tech_id, home = tech.id, tech.home.latlon
    kinds = [k for k in KINDS if k[1] in tech.skills]
    zone = ZoneInfo(ZONE)
    opening = instant(day, time(8, 0), zone)
    end = instant(day, time(17, 0), zone)
    lunch_at = instant(day, time(12, 0), zone)
    points, matrix = _route_points(rng, travel, home, visits)
    plan = uow.day_plans.get(tech_id, day)
    t, lunched, placed = opening, False, 0
    for k in range(1, visits + 1):
        kind, skill, minutes = rng.choice(kinds)
        leg = round(matrix[k - 1][k])
        if not lunched and t + timedelta(seconds=leg) > lunch_at:
            t, lunched = max(t, lunch_at) + timedelta(minutes=30), True
        eta = t + timedelta(seconds=leg)
        service = timedelta(minutes=minutes)
        if eta + service > end:
            break
        slot = (eta - opening) // SLOT
        window = TimeWindow(opening + slot * SLOT, min(opening + (slot + 1) * SLOT, end))
        ticket = Ticket(0, Customer(f"Customer {tech_id}-{day}-{k}"), GeoPoint(*points[k]), kind,
                        frozenset({skill}), service, Priority.NORMAL, secrets.token_urlsafe(16),
                        now, status=TicketStatus.ASSIGNED)  # fmt: skip
        ticket_id = uow.tickets.add(ticket)
        plan.book(Appointment(ticket_id, tech_id, day, ticket.location, service, window, eta,
                              leg), placed, now)  # fmt: skip
        placed += 1
        t = eta + service
    uow.day_plans.save(plan)
    return placed


def seed_fortnight(uow: UnitOfWork, now: datetime, travel: TravelTimes, technicians: int,
                   days: int, visits: int, seed: int,
                   progress: Callable[[int], None] | None = None) -> int:  # fmt: skip
    """Technicians with calendars and ``days`` booked working days; returns appointments."""
    rng = random.Random(seed)
    dates = working_days(now.astimezone(ZoneInfo(ZONE)).date(), days)
    total = 0
    with uow:
        for code in {s for skills in SKILL_SETS for s in skills}:
            if code not in uow.skills.codes():
                uow.skills.upsert(code, code.replace("_", " "))
        uow.commit()
    for i in range(technicians):
        home = _reachable_home(rng, travel)
        with uow:
            tech = Technician(0, f"fn{seed}-{i + 1:04d}", f"Technician {i + 1}", GeoPoint(*home),
                              TimeWindow(now, now), frozenset(rng.choice(SKILL_SETS)))
            tech = replace(tech, id=uow.technicians.add(tech))
            uow.calendars.set_pattern(tech.id, WEEK, now)
            for day in dates:
                total += _day(uow, rng, travel, tech, day, visits, now)
            uow.commit()
        if progress:
            progress(1)
    return total
