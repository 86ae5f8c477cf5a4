"""Book tickets that nobody could take when they came in.

A ticket opened at night with no one on call, or one whose skills nobody on shift had,
should not wait for a dispatcher to remember it: the scheduler retries them, and the
moment a technician can take one it is booked exactly as the helpdesk would have.
"""

from __future__ import annotations

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict, StaleRoute
from dispatch.domain.model import TicketStatus
from dispatch.services.booking import apply, choose
from dispatch.services.quote import quote
from dispatch.services.retry import with_retries
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes


def assign_waiting(uow: UnitOfWork, clock: Clock, travel: TravelTimes) -> int:
    """Try every unassigned ticket once; returns how many were booked."""
    with uow:
        waiting = [t.id for t in uow.tickets.list([TicketStatus.UNASSIGNED])]
    return sum(_try_to_book(uow, clock, travel, ticket_id) for ticket_id in waiting)


def _try_to_book(uow: UnitOfWork, clock: Clock, travel: TravelTimes, ticket_id: int) -> bool:
    def attempt() -> bool:
        with uow:
            ticket = uow.tickets.get(ticket_id)
            if ticket is None or ticket.status != TicketStatus.UNASSIGNED:
                return False
            now = clock.now()
            if ticket.window is not None and ticket.window.end < now:
                uow.tickets.set_status(
                    ticket.id, TicketStatus.UNASSIGNED, "the requested window has passed"
                )
                uow.commit()
                return False
            q = quote(uow, ticket, now, travel)
            try:
                apply(uow, q, choose(q, None, allow_breaking=False), now)
            except StaleRoute:
                raise
            except Conflict as exc:
                uow.tickets.set_status(ticket.id, TicketStatus.UNASSIGNED, str(exc))
                uow.commit()
                return False
            uow.commit()
            return True

    try:
        return with_retries(attempt, clock, f"booking waiting ticket {ticket_id}")
    except Conflict:
        return False  # the routes kept changing: the next cycle tries again
