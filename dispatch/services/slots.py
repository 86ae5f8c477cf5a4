"""Appointment slots over today and the next working days, best first.

Today's slots are the live quote's candidates (the honest, narrowing window around a
real ETA). A later date offers fixed windows (two hours by default) on a grid from the
day's opening: for each window, each technician with the skills who works that day,
and each position in his planned day, ``solver.day_slots`` checks that he can arrive
inside the window, keep every other customer's window, take his lunch and finish by
his shift end. A window is offered once, with its best technician
(``services.slot_search``).

Ranking: urgent work, the earliest window first. Normal work, by the window's start
plus ``ADDED_TRAVEL_WEIGHT`` (the quote's weight) times the driving it adds: a slot
costing 30 minutes more driving must start 15 minutes earlier to come first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dispatch.domain.calendar import WeeklyPattern
from dispatch.domain.errors import NotFound
from dispatch.domain.model import Priority, Technician, Ticket, TimeWindow
from dispatch.domain.service_hours import ServiceHours
from dispatch.domain.workdays import Workday, instant, local_date, workday
from dispatch.services.disruptions import out_on
from dispatch.services.plan_cache import PLANS
from dispatch.services.quote import ADDED_TRAVEL_WEIGHT, quote
from dispatch.services.slot_search import TechDay, best_per_window, eta_of, window_of
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

SLOT = timedelta(hours=2)


@dataclass(frozen=True)
class Slot:
    day: date
    window: TimeWindow  # what the customer is promised
    technician: Technician
    eta: datetime  # planned arrival (inside the window)
    added_travel: timedelta
    route_version: int  # of the live route (today) or of the technician-day
    position: int
    today: bool

    def rank(self, urgent: bool, now: datetime) -> float:
        wait = (self.window.start - now).total_seconds() / 60
        added = self.added_travel.total_seconds() / 60
        return wait if urgent else wait + ADDED_TRAVEL_WEIGHT * added


def windows_on(work: Workday, hours: ServiceHours | None, length: timedelta,
               service: timedelta, wanted: tuple[TimeWindow, ...] = ()
               ) -> list[TimeWindow]:  # fmt: skip
    """The day's grid of windows: from the opening, ``length`` wide, inside the shift, the
    service hours and the customer's availability, with time to do the job."""
    if work.shift is None:
        return []
    start, end = work.shift.start, work.shift.end - service
    if hours is not None:
        open_ = hours.on(work.day)
        if open_ is None:
            return []
        start, end = max(start, open_.start), min(end, open_.end)
    out, t = [], start
    while t < end:
        w = TimeWindow(t, min(t + length, end))
        if not wanted or any(a.start <= w.start and w.end <= a.end for a in wanted):
            out.append(w)
        t += length
    return out


def _later_day(uow: UnitOfWork, travel: TravelTimes, ticket: Ticket, day: date, zone: str,
               calendars: dict[int, tuple[Technician, WeeklyPattern]], hours: ServiceHours | None,
               length: timedelta, urgent: bool) -> tuple[bool, list[Slot]]:  # fmt: skip
    """(anyone works that day, the day's best slot per window)."""
    exceptions = uow.calendars.exceptions_of(list(calendars), day, day)
    midnight = instant(day, time(0, 0), ZoneInfo(zone))
    away = out_on(uow, midnight, midnight + timedelta(days=1))  # an absence that date
    open_: list[tuple[Technician, Workday, list[TimeWindow]]] = []
    grids: dict[TimeWindow | None, list[TimeWindow]] = {}  # a fleet shares a few shifts
    for tid, (tech, pattern) in calendars.items():
        if tid in away:
            continue
        work = workday(pattern, exceptions[tid], day)
        windows = grids.get(work.shift)
        if windows is None:
            windows = grids[work.shift] = windows_on(work, hours, length, ticket.service,
                                                     ticket.spans)  # fmt: skip
        if windows:
            open_.append((tech, work, windows))
    if not open_:
        return False, []  # a weekend, say: nobody works, nothing to load
    plans = PLANS.plans(uow, [t.id for t, _, _ in open_], day)
    days = [TechDay(t, w, plans[t.id], ws, PLANS.stops(uow.store_id, plans[t.id]))
            for t, w, ws in open_]  # fmt: skip
    best = best_per_window(travel, ticket, days, urgent)
    return bool(days), [
        Slot(day, window_of(d, start), d.technician, eta_of(fit, window_of(d, start)),
             timedelta(seconds=fit.added_travel_s), d.plan.version, fit.position, False)
        for start, (d, fit) in best.items()
    ]  # fmt: skip


def slots(
    uow: UnitOfWork, now: datetime, travel: TravelTimes, ticket: Ticket, days: int,
    zone: str, hours: ServiceHours | None = None, length: timedelta = SLOT,
    limit: int | None = None,
) -> list[Slot]:  # fmt: skip
    """Today's candidates and the windows of the next ``days`` working days, best first.
    With a ``limit``, later days are not searched once they cannot rank among the best
    ``limit`` found so far (a slot ranks at least its wait). Must run inside an open
    unit of work."""
    urgent = ticket.priority == Priority.URGENT
    q = quote(uow, ticket, now, travel)
    found = [Slot(local_date(now, zone), c.window, c.technician, c.eta, c.added_travel,
                  c.route_version, c.insertion.position, True) for c in q.candidates]  # fmt: skip
    able = [t for t in uow.technicians.all() if t.has_skills(ticket.skills)]
    patterns = uow.calendars.patterns_of([t.id for t in able])
    calendars = {t.id: (t, patterns[t.id]) for t in able if t.id in patterns}
    day, working_days = local_date(now, zone), 0
    for _ in range(2 * days + 7):  # enough calendar for N working days
        if working_days >= days:
            break
        day += timedelta(days=1)
        anyone, offered = _later_day(uow, travel, ticket, day, zone, calendars, hours, length,
                                     urgent)  # fmt: skip
        working_days += anyone
        found.extend(offered)
        if limit is not None and len(found) >= limit:
            worst = sorted(s.rank(urgent, now) for s in found)[limit - 1]
            next_wait = instant(day + timedelta(days=1), time(0, 0), ZoneInfo(zone)) - now
            if next_wait.total_seconds() / 60 > worst:
                break  # no slot on a later day can rank among the best ``limit``
    return sorted(found, key=lambda s: (s.rank(urgent, now), s.window.start))


def ticket_slots(
    uow: UnitOfWork, now: datetime, travel: TravelTimes, ticket_id: int, days: int, zone: str,
    hours: ServiceHours | None, length: timedelta = SLOT, limit: int | None = None,
) -> list[Slot]:  # fmt: skip
    """The slots of a stored ticket (``NotFound`` for an unknown one)."""
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"ticket {ticket_id} does not exist")
        return slots(uow, now, travel, ticket, days, zone, hours, length, limit)
