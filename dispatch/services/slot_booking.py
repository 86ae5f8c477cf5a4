"""Book a ticket into an offered slot on a later date.

The slot is checked again against the technician-day as it is now: the window must
still be on offer and still fit without moving anyone out of their window. A client
that names the version it saw gets ``StaleRoute`` (409) when the day changed meanwhile;
one that names none is re-fitted on the fresh day, up to a few times, exactly like two
helpdesk agents booking at once. Either way the version claim on save means two
bookings into one technician-day can never both land on the same stale plan.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dispatch.clock import Clock
from dispatch.domain.day_plan import Appointment
from dispatch.domain.errors import Conflict, NotFound, StaleRoute
from dispatch.domain.model import Ticket, TicketStatus
from dispatch.domain.service_hours import ServiceHours
from dispatch.domain.workdays import instant, local_date, workday
from dispatch.services.capable import capable_technician
from dispatch.services.disruptions import out_on
from dispatch.services.rebooking import next_promise_version
from dispatch.services.retry import with_retries
from dispatch.services.slot_search import TechDay, best_per_window
from dispatch.services.slots import SLOT, windows_on
from dispatch.store.ports import DuplicateKey, UnitOfWork
from solver.traveltime.protocol import TravelTimes

BOOKABLE = (TicketStatus.OPEN, TicketStatus.UNASSIGNED)


def book_slot(
    uow: UnitOfWork, clock: Clock, travel: TravelTimes, ticket_id: int, technician_id: int,
    day: date, window_start: datetime, route_version: int | None,
    hours: ServiceHours | None = None, length: timedelta = SLOT,
) -> Appointment:  # fmt: skip
    def attempt() -> Appointment:
        with uow:
            ticket = uow.tickets.get(ticket_id)
            if ticket is None or uow.technicians.get(technician_id) is None:
                raise NotFound(f"ticket {ticket_id} or technician {technician_id} does not exist")
            if ticket.status not in BOOKABLE or uow.day_plans.of_ticket(ticket_id):
                raise Conflict(f"ticket {ticket_id} is {ticket.status.value}; it is booked already")
            placed = place_in_day(uow, clock.now(), travel, ticket, technician_id, day,
                                  window_start, route_version, hours, length)  # fmt: skip
            try:
                uow.commit()
            except DuplicateKey as exc:
                raise Conflict(f"ticket {ticket_id} was booked by another request") from exc
            return placed

    if route_version is not None:
        return attempt()
    return with_retries(attempt, clock, "booking the slot")


def place_in_day(
    uow: UnitOfWork, now: datetime, travel: TravelTimes, ticket: Ticket, technician_id: int,
    day: date, window_start: datetime, route_version: int | None,
    hours: ServiceHours | None = None, length: timedelta = SLOT, occasion: str = "new",
) -> Appointment:  # fmt: skip
    """Fit ``ticket`` into that window of the technician-day as it is now and save the plan,
    inside the caller's open unit of work (which commits). ``Conflict`` when the slot is
    not on offer or no longer fits; ``StaleRoute`` when ``route_version`` is not the plan's."""
    tech = capable_technician(uow, technician_id, ticket)
    pattern = uow.calendars.pattern(technician_id)
    if pattern is None:
        raise Conflict(f"technician {technician_id} has no calendar for later dates")
    if day <= local_date(now, pattern.zone):
        raise Conflict(f"{day} is not a later date; book today's candidates instead")
    midnight = instant(day, time(0, 0), ZoneInfo(pattern.zone))
    if technician_id in out_on(uow, midnight, midnight + timedelta(days=1)):
        raise Conflict(f"technician {technician_id} is away on {day} (a disruption)")
    work = workday(pattern, uow.calendars.exceptions(technician_id, day, day), day)
    offered = windows_on(work, hours, length, ticket.service, ticket.spans)
    window = next((w for w in offered if w.start == window_start), None)
    if window is None or work.shift is None or window.start <= now:
        raise Conflict("that slot is not on offer; ask for the slots again")
    plan = uow.day_plans.get(technician_id, day)
    if route_version is not None and plan.version != route_version:
        raise StaleRoute(f"the plan of technician {technician_id} on {day} changed "
                         f"(version {plan.version}); ask for the slots again")  # fmt: skip
    best = best_per_window(travel, ticket, [TechDay(tech, work, plan, [window])], urgent=False)
    if window.start not in best:
        raise Conflict("that slot is no longer free; ask for the slots again")
    _, fit = best[window.start]
    tz = window.start.tzinfo
    at = datetime.fromtimestamp(max(fit.arrival_s, int(window.start.timestamp())), tz)
    later = [(datetime.fromtimestamp(a, tz), leg)
             for a, leg in zip(fit.arrivals_after_s, fit.legs_after_s, strict=True)]  # fmt: skip
    later = [(max(t, a.window.start), leg) for (t, leg), a in
             zip(later, plan.appointments[fit.position:], strict=True)]  # fmt: skip
    version = next_promise_version(uow, ticket.id)
    new = Appointment(ticket.id, tech.id, day, ticket.location, ticket.service, window, at,
                      fit.travel_s, promise_version=version)  # fmt: skip
    placed = plan.book(new, fit.position, now, later, occasion)
    try:
        if not uow.day_plans.save(plan):
            raise StaleRoute(f"the plan of technician {technician_id} on {day} changed")
    except DuplicateKey as exc:
        raise Conflict(f"ticket {ticket.id} was booked by another request") from exc
    uow.tickets.set_status(ticket.id, TicketStatus.ASSIGNED)
    return placed
