"""The start of a working day: the calendar sets today's shifts, today's plans go live.

Each technician with a weekly pattern gets today's shift from his calendar (or an
ended one when he is off), and the appointments planned for today join his live route,
in their planned order, behind anything still open on it. From then on they are visits
like any other: the ETA refresh re-times them, the phone's events are accepted for
them, the replan may improve the order without breaking a window. The customer was
told at booking; the route's ``VisitBooked`` carries the same key as the plan's, so the
outbox keeps one and nobody is told twice.

A technician marked off for today after the booking does not take them: they become
unassigned with the reason, and the backlog job offers them to whoever works today.

Idempotent, and cheap when there is nothing to do: the scheduler runs it every few
minutes, so a restart at 07:59 or a clock jump never skips a day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from dispatch.clock import Clock
from dispatch.domain.errors import DispatchError, StaleRoute
from dispatch.domain.model import TicketStatus, Visit, VisitStatus
from dispatch.domain.workdays import local_date, shift_to_store, why_off, workday
from dispatch.services.retry import with_retries
from dispatch.store.ports import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DayStarted:
    shifts_set: int
    visits_live: int
    released: int = 0  # booked with someone off today: unassigned, for the backlog job


def start_day(uow: UnitOfWork, clock: Clock) -> DayStarted:
    """Each technician in a transaction of his own: one whose day cannot start (his route
    changed under every retry, a visit that cannot be placed) holds up nobody else; he
    is logged and tried again at the next run."""
    with uow:
        ids = [t.id for t in uow.technicians.all()]
    total = DayStarted(0, 0, 0)
    for tid in ids:
        try:
            one = with_retries(partial(_start_one, uow, clock, tid), clock, "starting the day")
        except DispatchError as exc:
            log.warning("the day of technician %s did not start: %s", tid, exc)
            continue
        total = DayStarted(total.shifts_set + one.shifts_set, total.visits_live + one.visits_live,
                           total.released + one.released)  # fmt: skip
    return total


def _start_one(uow: UnitOfWork, clock: Clock, technician_id: int) -> DayStarted:
    now = clock.now()
    shifts = live = released = 0
    with uow:
        tech = uow.technicians.get(technician_id)
        pattern = uow.calendars.pattern(technician_id)
        if tech is None or pattern is None:
            return DayStarted(0, 0, 0)  # no calendar: the shift set by hand stands
        today = local_date(now, pattern.zone)
        work = workday(pattern, uow.calendars.exceptions(tech.id, today, today), today)
        shift = shift_to_store(work, pattern.zone)
        lunch = work.lunch if work.shift is not None else None
        if shift != tech.shift or lunch != tech.lunch:
            uow.technicians.update_shift(tech.id, shift, lunch)
            shifts = 1
        plan = uow.day_plans.get(tech.id, today)
        if plan.appointments and work.shift is None:  # off today (marked after the booking)
            reason = f"{tech.name} {why_off(work)}"
            for a in plan.appointments:
                uow.tickets.set_status(a.ticket_id, TicketStatus.UNASSIGNED, reason)
            uow.day_plans.remove([a.ticket_id for a in plan.appointments])
            released = len(plan.appointments)
        elif plan.appointments:
            route = uow.routes.get(tech.id)
            for a in plan.appointments:
                visit = Visit(a.ticket_id, tech.id, 0, a.location, a.eta, a.service,
                              a.window, VisitStatus.PLANNED, a.leg_s,
                              a.promise_version)  # the plan's key: told once  # fmt: skip
                route.book(visit, len(route.open_visits), now, None)
            if not uow.routes.save(route):
                raise StaleRoute(f"the route of technician {tech.id} changed meanwhile")
            uow.day_plans.remove([a.ticket_id for a in plan.appointments])
            live = len(plan.appointments)
        uow.commit()
    return DayStarted(shifts, live, released)
