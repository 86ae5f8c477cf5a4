"""Nobody can take a new ticket today: book it into the first slot of a later day.

A customer who calls at 21:00, or on a Sunday, should hear "tomorrow between 08:00 and
10:00", not "someone will call you back". When the booking of a new ticket finds no
technician today, the helpdesk's default is the first slot the slot search offers on
the next working days (``services.slots``: earliest first for urgent work, the
documented trade-off with added driving otherwise), booked with the same version
check as a slot the agent picks. Without calendars nothing is offered, and the ticket
waits, unassigned with its reason, for the backlog job as before.
"""

from __future__ import annotations

from datetime import timedelta

from dispatch.clock import Clock
from dispatch.domain.day_plan import Appointment
from dispatch.domain.errors import Conflict
from dispatch.domain.model import TicketStatus
from dispatch.domain.service_hours import ServiceHours
from dispatch.services.slot_booking import book_slot
from dispatch.services.slots import SLOT, ticket_slots
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

LOOK_AHEAD_DAYS = 7  # working days searched for the first slot


def book_first_slot(uow: UnitOfWork, clock: Clock, travel: TravelTimes, ticket_id: int,
                    zone: str, hours: ServiceHours | None = None,
                    length: timedelta = SLOT) -> Appointment | None:  # fmt: skip
    """The appointment booked, or None when no later day has room (or a race took each
    slot tried: the next one is tried, up to three)."""
    offered = ticket_slots(uow, clock.now(), travel, ticket_id, LOOK_AHEAD_DAYS, zone, hours,
                           length, limit=3)  # fmt: skip
    for slot in (s for s in offered if not s.today):
        try:
            return book_slot(uow, clock, travel, ticket_id, slot.technician.id, slot.day,
                             slot.window.start, None, hours, length)  # fmt: skip
        except Conflict:  # taken meanwhile: the next best
            continue
    _say_why(uow, ticket_id)
    return None


def _say_why(uow: UnitOfWork, ticket_id: int) -> None:
    """The ticket's reason says that later days were searched too (only where calendars
    exist: without them no later day was ever on offer)."""
    with uow:
        ids = [t.id for t in uow.technicians.all()]
        ticket = uow.tickets.get(ticket_id)
        if not uow.calendars.patterns_of(ids) or ticket is None:
            return
        if ticket.status != TicketStatus.UNASSIGNED:
            return
        today = ticket.unassigned_reason or "nobody can take it today"
        fits = "the customer's windows" if ticket.spans else "the skills and the work"
        uow.tickets.set_status(ticket_id, TicketStatus.UNASSIGNED,
                               f"{today}; and no slot in the next {LOOK_AHEAD_DAYS} working "
                               f"days has room for {fits}")  # fmt: skip
        uow.commit()
