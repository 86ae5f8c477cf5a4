"""Put a quoted visit on a route: the one write path for helpdesk, auto-booking and
the backlog job.

A booking is computed on a snapshot of the route and saved with the route's version,
so two agents booking into the same route at the same moment cannot both succeed on a
stale plan. Customers pushed past their promise get a new window and a
``PromiseChanged`` event from the route, written to the outbox in the same
transaction: the message cannot be lost, nor queued twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dispatch.domain.errors import Conflict, StaleRoute
from dispatch.domain.events import PromiseChanged
from dispatch.domain.model import TicketStatus, Visit
from dispatch.domain.promise import renew
from dispatch.domain.route import PUSHED_BY_URGENT
from dispatch.services.quote import Candidate, Quote
from dispatch.services.rebooking import next_promise_version
from dispatch.store.ports import UnitOfWork

__all__ = ["Booking", "StaleRoute", "WouldBreakPromises", "apply", "choose"]


class WouldBreakPromises(Conflict):
    """Booking this technician would break another customer's promise."""


@dataclass(frozen=True)
class Booking:
    visit: Visit
    candidate: Candidate
    events: int  # PromiseChanged events written


def choose(q: Quote, technician_id: int | None, allow_breaking: bool) -> Candidate:
    """The candidate to book: the best one, or the one for a named technician."""
    if technician_id is None:
        if q.candidates:
            return q.candidates[0]
        if q.breaking and (allow_breaking or q.urgency.may_push):
            return q.breaking[0]
        raise Conflict(q.reason or "no technician can take this ticket without breaking a promise")
    for cand in q.candidates:
        if cand.technician.id == technician_id:
            return cand
    for cand in q.breaking:
        if cand.technician.id == technician_id:
            if not allow_breaking:
                names = ", ".join(str(a.ticket_id) for a in cand.affected if a.breaks_promise)
                raise WouldBreakPromises(
                    f"booking technician {technician_id} would break the promise given to "
                    f"ticket(s) {names}; choose another candidate, or confirm that breaking "
                    "that promise is accepted"
                )
            return cand
    raise Conflict(
        f"technician {technician_id} cannot take this ticket now "
        "(skills, shift or the requested window); see the candidates"
    )


def apply(uow: UnitOfWork, q: Quote, cand: Candidate, now: datetime,
          occasion: str = "new") -> Booking:  # fmt: skip
    """Write the booking. Raises StaleRoute if the route moved since the quote.
    ``occasion``: a slot held or rebooked after force majeure (``VisitBooked``)."""
    tech_id = cand.technician.id
    route = uow.routes.get(tech_id)
    if route.version != cand.route_version:
        raise StaleRoute(f"the route of technician {tech_id} changed meanwhile; quote again")
    ins, ticket = cand.insertion, q.ticket
    placed = Visit(
        ticket_id=ticket.id,
        technician_id=tech_id,
        sequence=0,  # the route numbers it
        location=ticket.location,
        eta=cand.eta,
        service=ticket.service,
        window=cand.window,
        leg_s=ins.travel_s,
        promise_version=next_promise_version(uow, ticket.id),
    )
    route.book(placed, ins.position, now, ins.leg_after_s, occasion)
    order = [v.ticket_id for v in route.open_visits]
    for a in cand.affected:
        window = None
        if a.breaks_promise:  # a new promise around the new ETA, told at once
            window, _ = renew(route.visit(a.ticket_id).window, now, a.new_eta,
                              order.index(a.ticket_id))  # fmt: skip
        route.retime(a.ticket_id, eta=a.new_eta, now=now, window=window,
                     reason=PUSHED_BY_URGENT, pushed_by=ticket.id)  # fmt: skip
    if not uow.routes.save(route):
        raise StaleRoute(f"the route of technician {tech_id} changed meanwhile; quote again")
    uow.tickets.set_status(ticket.id, TicketStatus.ASSIGNED)
    told = sum(isinstance(e, PromiseChanged) for e in route.outgoing)
    return Booking(route.visit(ticket.id), cand, told)
