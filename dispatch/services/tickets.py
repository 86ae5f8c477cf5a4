"""Create a ticket, quote it, book it; read it back.

Without ``quote_only`` a new ticket is booked to the best candidate at once (the
walking-skeleton behaviour, now with insertion into live routes). With it, the ticket
stays ``open`` and the agent picks from the ranked candidates.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict, InvalidInput, NotFound
from dispatch.domain.model import (
    Customer,
    GeoPoint,
    Priority,
    Technician,
    Ticket,
    TicketStatus,
    TimeWindow,
)
from dispatch.domain.urgency import UrgencyFactors
from dispatch.services.booking import StaleRoute, apply, choose
from dispatch.services.quote import Quote, quote
from dispatch.store.repository import DuplicateKey
from dispatch.store.uow import UnitOfWork
from solver.traveltime.protocol import TravelTimes

MAX_ATTEMPTS = 20
BACKOFF_S = 0.01  # grows linearly with the attempt, with jitter, so losers spread out


def backoff(attempt: int) -> None:
    """Sleep a jittered, growing moment so racing bookings spread out."""
    time.sleep(random.uniform(0, BACKOFF_S * (attempt + 1)))


@dataclass(frozen=True)
class NewTicket:
    customer: Customer
    location: GeoPoint
    kind: str
    skills: frozenset[str]
    service: timedelta
    priority: Priority = Priority.NORMAL
    window: TimeWindow | None = None
    factors: UrgencyFactors = field(default_factory=UrgencyFactors)
    repeat_of: int | None = None

    def fingerprint(self) -> str:
        """Stable hash of the request, to tell a retry from a reused idempotency key."""
        data = asdict(self)
        data["skills"] = sorted(self.skills)
        raw = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class TicketView:
    ticket: Ticket
    technician: Technician | None  # who the visit is booked with, if anyone


@dataclass(frozen=True)
class Created(TicketView):
    replayed: bool = False  # True when an earlier request with the same key created it
    quote: Quote | None = None  # the candidates, when the ticket was only quoted


def _technician_of(uow: UnitOfWork, ticket: Ticket) -> Technician | None:
    return uow.technicians.get(ticket.visit.technician_id) if ticket.visit else None


def _replay(uow: UnitOfWork, key: str, fingerprint: str) -> Created | None:
    found = uow.tickets.by_idempotency_key(key)
    if found is None:
        return None
    ticket, stored_hash = found
    if stored_hash != fingerprint:
        raise Conflict(
            f"Idempotency-Key {key!r} was already used for a different ticket (#{ticket.id}); "
            "use a new key for a new ticket"
        )
    return Created(ticket, _technician_of(uow, ticket), replayed=True)


def _check(uow: UnitOfWork, new: NewTicket, now: datetime) -> None:
    known = uow.skills.codes()
    unknown = sorted(new.skills - known)
    if unknown:
        raise InvalidInput(
            f"unknown skill(s): {', '.join(unknown)}; known skills are: {', '.join(sorted(known))}"
        )
    if new.window is not None and new.window.end < now:
        raise InvalidInput(
            f"the requested window ended at {new.window.end.isoformat()}, "
            "which is already in the past"
        )
    if new.repeat_of is not None and uow.tickets.get(new.repeat_of) is None:
        raise InvalidInput(f"repeat_of refers to ticket {new.repeat_of}, which does not exist")


def create_ticket(
    uow: UnitOfWork,
    clock: Clock,
    travel: TravelTimes,
    new: NewTicket,
    idempotency_key: str | None = None,
    quote_only: bool = False,
) -> Created:
    """Store the ticket and, unless only quoting, book the best candidate.

    A route changed by someone else between reading and writing is retried, so two
    simultaneous bookings never both land on the same stale plan. A repeated request
    with the same idempotency key returns the first result instead of a second ticket.
    """
    fingerprint = new.fingerprint()
    for attempt in range(MAX_ATTEMPTS):
        with uow:
            if idempotency_key:
                replay = _replay(uow, idempotency_key, fingerprint)
                if replay is not None:
                    return replay
            now = clock.now()
            _check(uow, new, now)
            ticket = Ticket(
                id=0,
                customer=new.customer,
                location=new.location,
                kind=new.kind,
                skills=new.skills,
                service=new.service,
                priority=new.priority,
                tracking_token=secrets.token_urlsafe(16),
                created_at=now,
                window=new.window,
                factors=new.factors,
                repeat_of=new.repeat_of,
            )
            try:
                ticket.id = uow.tickets.add(ticket, idempotency_key, fingerprint)
            except DuplicateKey:
                # A concurrent retry with the same key won the race: answer with its ticket.
                uow.rollback()
                continue
            q = quote(uow, ticket, now, travel)
            if quote_only:
                uow.commit()
                return Created(ticket, None, quote=q)
            try:
                booking = apply(uow, q, choose(q, None, allow_breaking=False), now)
            except StaleRoute:
                uow.rollback()
                backoff(attempt)
                continue
            except Conflict:
                reason = q.reason or "every option would break another customer's promise"
                ticket.status = TicketStatus.UNASSIGNED
                ticket.unassigned_reason = reason
                uow.tickets.set_status(ticket.id, TicketStatus.UNASSIGNED, reason)
                uow.commit()
                return Created(ticket, None, quote=q)
            ticket.status = TicketStatus.ASSIGNED
            ticket.visit = booking.visit
            uow.commit()
            return Created(ticket, booking.candidate.technician, quote=q)
    raise Conflict("the routes kept changing while booking; please retry")


def get_ticket(uow: UnitOfWork, ticket_id: int) -> TicketView:
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"ticket {ticket_id} does not exist")
        return TicketView(ticket, _technician_of(uow, ticket))
