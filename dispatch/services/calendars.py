"""Working calendars: read one, set the weekly pattern, add and remove exceptions.

A change that touches today moves today's shift at once (the quote, the refresh and the
replan all read it). A technician marked off or sick for today cannot keep the visits
he has not started: they leave his route and wait, unassigned with the reason, for the
backlog job to give them to someone else (force majeure will also tell the customer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dispatch.clock import Clock
from dispatch.domain.calendar import DateException, WeeklyPattern
from dispatch.domain.errors import Conflict, NotFound, StaleRoute
from dispatch.domain.model import Technician, TicketStatus, TimeWindow
from dispatch.domain.workdays import Workday, local_date, shift_to_store, why_off, workday, workdays
from dispatch.services.retry import with_retries
from dispatch.store.ports import DuplicateKey, UnitOfWork


@dataclass(frozen=True)
class TechnicianCalendar:
    technician_id: int
    pattern: WeeklyPattern | None  # None: no pattern yet; only today's shift is known
    days: list[Workday]


@dataclass(frozen=True)
class TodayChanged:
    shift: TimeWindow | None  # today's shift now, or None when the day is untouched
    released: list[int]  # tickets taken off the route, now unassigned
    kept: list[int]  # tickets already under way, left with the technician


def _technician(uow: UnitOfWork, technician_id: int) -> Technician:
    tech = uow.technicians.get(technician_id)
    if tech is None:
        raise NotFound(f"technician {technician_id} does not exist")
    return tech


def calendar(uow: UnitOfWork, technician_id: int, first: date, last: date,
             zone: str) -> TechnicianCalendar:  # fmt: skip
    """The days from ``first`` to ``last``; without a pattern, the exceptions alone."""
    with uow:
        tech = _technician(uow, technician_id)
        pattern = uow.calendars.pattern(technician_id)
        exceptions = uow.calendars.exceptions(technician_id, first, last)
    days = workdays(pattern or WeeklyPattern(zone), exceptions, first, last)
    if pattern is None:  # the shift set by the seed or an operator is today's truth
        today = local_date(tech.shift.start, zone)
        days = [d if d.day != today or d.day in exceptions else
                Workday(d.day, tech.shift, None, "shift") for d in days]  # fmt: skip
    return TechnicianCalendar(technician_id, pattern, days)


def set_pattern(uow: UnitOfWork, clock: Clock, technician_id: int,
                pattern: WeeklyPattern) -> TodayChanged:  # fmt: skip
    def attempt() -> TodayChanged:
        with uow:
            _technician(uow, technician_id)
            try:
                uow.calendars.set_pattern(technician_id, pattern, clock.now())
            except DuplicateKey as exc:  # a parallel first pattern: try again, as an update
                raise StaleRoute(f"the calendar of technician {technician_id} changed") from exc
            changed = _apply_today(uow, clock.now(), technician_id, pattern.zone)
            uow.commit()
        return changed

    return with_retries(attempt, clock, "setting the weekly pattern")


def add_exception(uow: UnitOfWork, clock: Clock, technician_id: int, exc: DateException,
                  zone: str) -> tuple[DateException, TodayChanged]:  # fmt: skip
    def attempt() -> tuple[DateException, TodayChanged]:
        with uow:
            _technician(uow, technician_id)
            try:  # a date taken before, or by a parallel request at the commit
                stored = uow.calendars.add_exception(technician_id, exc, clock.now())
                changed = _apply_today(uow, clock.now(), technician_id, zone)
                uow.commit()
            except DuplicateKey as e:
                raise Conflict(f"{exc.day} already has an exception; delete it first") from e
        return stored, changed

    return with_retries(attempt, clock, "adding a calendar exception")


def delete_exception(uow: UnitOfWork, clock: Clock, technician_id: int, exception_id: int,
                     zone: str) -> TodayChanged:  # fmt: skip
    def attempt() -> TodayChanged:
        with uow:
            _technician(uow, technician_id)
            if not uow.calendars.delete_exception(technician_id, exception_id):
                raise NotFound(
                    f"technician {technician_id} has no calendar exception {exception_id}"
                )
            changed = _apply_today(uow, clock.now(), technician_id, zone)
            uow.commit()
        return changed

    return with_retries(attempt, clock, "deleting a calendar exception")


def _apply_today(uow: UnitOfWork, now: datetime, technician_id: int, zone: str) -> TodayChanged:
    """Today's shift from the calendar, and the route emptied if today is off."""
    pattern = uow.calendars.pattern(technician_id)
    zone = pattern.zone if pattern else zone
    today = local_date(now, zone)
    exceptions = uow.calendars.exceptions(technician_id, today, today)
    if pattern is None and not exceptions:
        return TodayChanged(None, [], [])  # nothing says otherwise: the shift stands
    day = workday(pattern or WeeklyPattern(zone), exceptions, today)
    shift = shift_to_store(day, zone)
    uow.technicians.update_shift(technician_id, shift, day.lunch if day.working else None)
    if day.working:
        return TodayChanged(shift, [], [])
    return TodayChanged(shift, *_release(uow, technician_id, why_off(day), now))


def _release(
    uow: UnitOfWork, technician_id: int, why: str, now: datetime
) -> tuple[list[int], list[int]]:
    route = uow.routes.get(technician_id)
    released = [v.ticket_id for v in route.open_visits if not v.locked]
    kept = [v.ticket_id for v in route.open_visits if v.locked]
    tech = uow.technicians.get(technician_id)
    reason = f"{tech.name if tech else f'technician {technician_id}'} {why}"
    for ticket_id in released:
        route.release(ticket_id, now, reason)
    if released and not uow.routes.save(route):
        raise StaleRoute(f"the route of technician {technician_id} changed meanwhile")
    for ticket_id in released:
        uow.tickets.set_status(ticket_id, TicketStatus.UNASSIGNED, reason)
    return released, kept
