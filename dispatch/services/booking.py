"""Put a quoted visit on a route: the one write path for helpdesk, auto-booking and
the backlog job.

A booking is computed on a snapshot of the route and claimed with the route's version,
so two agents booking into the same route at the same moment cannot both succeed on a
stale plan. Customers pushed past their promise get a ``PromiseChanged`` event in the
outbox, in the same transaction: the message cannot be lost, nor queued twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dispatch.domain.errors import Conflict
from dispatch.domain.model import TicketStatus, Visit
from dispatch.domain.promise import PROMISE_CHANGED
from dispatch.services.live import at
from dispatch.services.quote import Candidate, Quote
from dispatch.store.uow import UnitOfWork


class StaleRoute(Conflict):
    """The route changed since the quote; the caller should re-quote and retry."""


class WouldBreakPromises(Conflict):
    pass


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
                    f"ticket(s) {names}; choose another candidate or confirm with "
                    '"allow_breaking_promises": true'
                )
            return cand
    raise Conflict(
        f"technician {technician_id} cannot take this ticket now "
        "(skills, shift or the requested window); see the candidates"
    )


def apply(uow: UnitOfWork, q: Quote, cand: Candidate, now: datetime) -> Booking:
    """Write the booking. Raises StaleRoute if the route moved since the quote."""
    tech_id = cand.technician.id
    if not uow.technicians.claim_route(tech_id, cand.route_version):
        raise StaleRoute(f"the route of technician {tech_id} changed meanwhile; quote again")
    ins = cand.insertion
    ticket = q.ticket
    existing = q.day.visits[tech_id]
    base_sequence = existing[0].sequence if existing else _next_sequence(uow, tech_id)
    visit = Visit(
        ticket_id=ticket.id,
        technician_id=tech_id,
        sequence=base_sequence + ins.position,
        location=ticket.location,
        eta=cand.eta,
        service=ticket.service,
        window=cand.window,
        leg_s=ins.travel_s,
    )
    moved = {s.stop_id: s for s in ins.shifted}
    # renumber what follows, with new ETAs; the leg into the next stop now starts here
    for k, v in enumerate(existing[ins.position :], start=ins.position):
        shift = moved.get(v.ticket_id)
        eta = at(shift.new_arrival_s) if shift else v.eta
        leg = v.leg_s
        if k == ins.position and ins.leg_after_s is not None:
            leg = ins.leg_after_s
        uow.tickets.move_visit(v.ticket_id, base_sequence + k + 1, eta, leg)
    uow.tickets.add_visit(visit)
    uow.tickets.set_status(ticket.id, TicketStatus.ASSIGNED)
    events = 0
    for a in cand.affected:
        if not a.breaks_promise:
            continue
        events += uow.outbox.add(
            PROMISE_CHANGED,
            a.ticket_id,
            f"{PROMISE_CHANGED}:{a.ticket_id}:pushed-by:{ticket.id}",
            {
                "ticket_id": a.ticket_id,
                "reason": "an urgent case was scheduled before your visit",
                "pushed_by_ticket": ticket.id,
                "old_eta": a.old_eta.isoformat(),
                "new_eta": a.new_eta.isoformat(),
                "promised_end": a.promised_end.isoformat(),
            },
            now,
        )
    return Booking(visit, cand, events)


def _next_sequence(uow: UnitOfWork, technician_id: int) -> int:
    route = uow.technicians.route(technician_id)
    return (route[-1].sequence + 1) if route else 1
