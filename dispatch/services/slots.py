"""Appointment slots over today and the next working days, best first.

Today's slots are the live quote's candidates (the honest, narrowing window around a
real ETA). A later date offers fixed windows (two hours by default) on a grid from the
day's opening: for each window, each technician with the skills who works that day,
and each position in his planned day, ``solver.day_slots`` checks that he can arrive
inside the window, keep every other customer's window, take his lunch and finish by
his shift end. A window is offered once, with its best technician.

Ranking: urgent work, the earliest window first. Normal work, by the window's start
plus ``ADDED_TRAVEL_WEIGHT`` (the quote's weight) times the driving it adds: a slot
costing 30 minutes more driving must start 15 minutes earlier to come first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dispatch.domain.day_plan import DayPlan
from dispatch.domain.errors import NotFound
from dispatch.domain.model import Priority, Technician, Ticket, TimeWindow
from dispatch.domain.service_hours import ServiceHours
from dispatch.domain.workdays import Workday, local_date, workday
from dispatch.services.quote import ADDED_TRAVEL_WEIGHT, quote
from dispatch.store.ports import UnitOfWork
from solver.day_slots import Booked, Fit, Lunch, PlannedDay, best_fit
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


def _ts(t: datetime) -> int:
    return int(t.timestamp())


def windows_on(work: Workday, hours: ServiceHours | None, length: timedelta,
             service: timedelta, wanted: TimeWindow | None) -> list[TimeWindow]:  # fmt: skip
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
        if wanted is None or (wanted.start <= w.start and w.end <= wanted.end):
            out.append(w)
        t += length
    return out


def _planned_day(tech: Technician, work: Workday, plan: DayPlan) -> PlannedDay:
    assert work.shift is not None
    lunch = work.lunch
    return PlannedDay(
        tech.id, _ts(work.shift.start), _ts(work.shift.end),
        Lunch(_ts(lunch.earliest), _ts(lunch.latest), int(lunch.duration.total_seconds()))
        if lunch else None,
        [Booked(a.ticket_id, int(a.service.total_seconds()), _ts(a.window.start),
                _ts(a.window.end)) for a in plan.appointments],
        [a.leg_s for a in plan.appointments],
    )  # fmt: skip


def future_fits(
    travel: TravelTimes, ticket: Ticket, tech: Technician, work: Workday, plan: DayPlan,
    windows: list[TimeWindow],
) -> list[tuple[TimeWindow, Fit]]:  # fmt: skip
    """The best place for ``ticket`` in one technician-day, per window (promises kept)."""
    points = [tech.home.latlon, *(a.location.latlon for a in plan.appointments)]
    here = ticket.location.latlon
    to_job = [round(float(x)) for x in travel.matrix(points, [here])[:, 0]]
    from_job = [round(float(x)) for x in travel.matrix([here], points[1:])[0, :]]
    day = _planned_day(tech, work, plan)
    out = []
    for w in windows:
        job = Booked(ticket.id, int(ticket.service.total_seconds()), _ts(w.start), _ts(w.end))
        fit = best_fit(day, job, to_job, from_job)
        if fit is not None and fit.keeps_promises:
            out.append((w, fit))
    return out


def slots(
    uow: UnitOfWork, now: datetime, travel: TravelTimes, ticket: Ticket, days: int,
    zone: str, hours: ServiceHours | None = None, length: timedelta = SLOT,
) -> list[Slot]:  # fmt: skip
    """Today's candidates and the windows of the next ``days`` working days, best first.
    Must run inside an open unit of work."""
    urgent = ticket.priority == Priority.URGENT
    q = quote(uow, ticket, now, travel)
    found = [Slot(local_date(now, zone), c.window, c.technician, c.eta, c.added_travel,
                  c.route_version, c.insertion.position, True) for c in q.candidates]  # fmt: skip
    techs = [t for t in uow.technicians.all() if t.has_skills(ticket.skills)]
    patterns = {t.id: p for t in techs if (p := uow.calendars.pattern(t.id)) is not None}
    first = local_date(now, zone) + timedelta(days=1)
    last = first + timedelta(days=2 * days + 7)  # enough calendar for N working days
    plans = uow.day_plans.plans(list(patterns), first, last)
    exceptions = {t: uow.calendars.exceptions(t, first, last) for t in patterns}
    working_days = 0
    for k in range((last - first).days + 1):
        if working_days >= days:
            break
        day = first + timedelta(days=k)
        best: dict[datetime, Slot] = {}
        open_that_day = False
        for tech in (t for t in techs if t.id in patterns):
            work = workday(patterns[tech.id], exceptions[tech.id], day)
            windows = windows_on(work, hours, length, ticket.service, ticket.window)
            if not windows:
                continue
            open_that_day = True
            plan = plans.get((tech.id, day), DayPlan(tech.id, day, 0, []))
            for w, fit in future_fits(travel, ticket, tech, work, plan, windows):
                eta = datetime.fromtimestamp(max(fit.arrival_s, _ts(w.start)), tz=w.start.tzinfo)
                s = Slot(day, w, tech, eta, timedelta(seconds=fit.added_travel_s), plan.version,
                         fit.position, False)  # fmt: skip
                if w.start not in best or s.rank(urgent, now) < best[w.start].rank(urgent, now):
                    best[w.start] = s
        working_days += open_that_day
        found.extend(best.values())
    return sorted(found, key=lambda s: (s.rank(urgent, now), s.window.start))


def ticket_slots(
    uow: UnitOfWork, now: datetime, travel: TravelTimes, ticket_id: int, days: int, zone: str,
    hours: ServiceHours | None, length: timedelta = SLOT,
) -> list[Slot]:  # fmt: skip
    """The slots of a stored ticket (``NotFound`` for an unknown one)."""
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"ticket {ticket_id} does not exist")
        return slots(uow, now, travel, ticket, days, zone, hours, length)
