"""The helpdesk's two calls after creating a ticket: show candidates, book one."""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict, NotFound, StaleRoute
from dispatch.domain.model import Technician, Ticket, TicketStatus
from dispatch.services.booking import Booking, apply, choose
from dispatch.services.quote import Quote, quote
from dispatch.store.ports import DuplicateKey, UnitOfWork
from solver.traveltime.protocol import TravelTimes


class RouteChangedSinceQuote(StaleRoute):
    """The agent booked from candidates that are no longer true; ``fresh`` holds the
    candidates as they are now, so the agent can choose again without another call."""

    def __init__(self, message: str, fresh: Quote) -> None:
        super().__init__(message)
        self.fresh = fresh


def _load(uow: UnitOfWork, ticket_id: int) -> Ticket:
    ticket = uow.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound(f"ticket {ticket_id} does not exist")
    return ticket


def candidates(uow: UnitOfWork, clock: Clock, travel: TravelTimes, ticket_id: int) -> Quote:
    with uow:
        ticket = _load(uow, ticket_id)
        if ticket.status == TicketStatus.ASSIGNED:
            raise Conflict(f"ticket {ticket_id} is already booked; its appointment is on "
                           f"GET /api/tickets/{ticket_id}")  # fmt: skip
        return quote(uow, ticket, clock.now(), travel)


@dataclass(frozen=True)
class BookResult:
    ticket: Ticket
    technician: Technician | None
    booking: Booking | None  # None when the ticket was already booked (a retry)


def _check_bookable(uow: UnitOfWork, ticket: Ticket) -> None:
    """A closed, cancelled or completed case is not booked again; a failed one is (its
    failed visit stays in the case's history), unless a repeat visit carries it on."""
    if ticket.status in (TicketStatus.DONE, TicketStatus.CANCELLED, TicketStatus.COMPLETED):
        raise Conflict(f"ticket {ticket.id} is {ticket.status.value}; it cannot be booked "
                       "(a new problem is a new ticket, or a repeat with repeat_of)")  # fmt: skip
    if ticket.status == TicketStatus.FAILED:
        repeat = uow.tickets.repeated([ticket.id]).get(ticket.id)
        if repeat is not None:
            raise Conflict(f"ticket {ticket.id} failed and repeat visit {repeat} carries the "
                           "case on; book that one")  # fmt: skip
        uow.routes.drop_closed(ticket.id)


def _booked_meanwhile(uow: UnitOfWork, ticket_id: int) -> str:
    now = uow.tickets.get(ticket_id)
    who = f" with technician {now.visit.technician_id}" if now and now.visit else ""
    return f"ticket {ticket_id} was booked{who} by another request meanwhile; nothing changed"


def book(
    uow: UnitOfWork,
    clock: Clock,
    travel: TravelTimes,
    ticket_id: int,
    technician_id: int | None,
    route_version: int | None = None,
    allow_breaking: bool = False,
) -> BookResult:
    """Book ``technician_id`` (or the best candidate when None).

    ``route_version`` is the version the agent saw in the candidates; if the route has
    changed since, the booking is refused with fresh candidates instead of landing on a
    plan the agent never saw. A repeat of a booking that already happened is answered
    with that booking, so a double click books once.
    """
    with uow:
        ticket = _load(uow, ticket_id)
        if technician_id is not None and uow.technicians.get(technician_id) is None:
            raise NotFound(f"technician {technician_id} does not exist")
        if ticket.status == TicketStatus.ASSIGNED and ticket.visit is not None:
            if technician_id in (None, ticket.visit.technician_id):
                return BookResult(ticket, uow.technicians.get(ticket.visit.technician_id), None)
            raise Conflict(
                f"ticket {ticket_id} is already booked with technician {ticket.visit.technician_id}"
            )
        _check_bookable(uow, ticket)
        later = uow.day_plans.of_ticket(ticket_id)
        if later is not None:
            raise Conflict(f"ticket {ticket_id} is already booked on {later.day} with technician "
                           f"{later.technician_id}")  # fmt: skip
        now = clock.now()
        q = quote(uow, ticket, now, travel)
        cand = choose(q, technician_id, allow_breaking)
        if route_version is not None and route_version != cand.route_version:
            raise RouteChangedSinceQuote(
                f"the route of technician {cand.technician.id} changed since the quote "
                f"(version {route_version} -> {cand.route_version}); here are fresh candidates",
                q,
            )
        try:
            booking = apply(uow, q, cand, now)
            uow.commit()
        except StaleRoute as exc:  # lost a race after the quote: show what is true now
            raise RouteChangedSinceQuote(str(exc), quote(uow, ticket, now, travel)) from exc
        except DuplicateKey:  # another agent booked it onto another route meanwhile
            uow.rollback()
            raise Conflict(_booked_meanwhile(uow, ticket_id)) from None
        ticket.status = TicketStatus.ASSIGNED
        ticket.visit = booking.visit
        return BookResult(ticket, cand.technician, booking)
