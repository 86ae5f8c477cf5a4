"""Create a ticket, quote it, book it; read it back.

Without ``quote_only`` a new ticket is booked to the best candidate at once (the
walking-skeleton behaviour, now with insertion into live routes). With it, the ticket
stays ``open`` and the agent picks from the ranked candidates.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta

from dispatch.clock import Clock
from dispatch.domain.case import CaseEvent, CaseEventKind
from dispatch.domain.errors import Conflict, InvalidInput, NotFound, StaleRoute
from dispatch.domain.model import (
    Customer,
    GeoPoint,
    Priority,
    Technician,
    Ticket,
    TicketStatus,
    TimeWindow,
)
from dispatch.domain.service_area import outside
from dispatch.domain.urgency import UrgencyFactors
from dispatch.domain.work_kinds import work_kind
from dispatch.services.booking import apply, choose
from dispatch.services.quote import Quote, quote
from dispatch.services.retry import with_retries
from dispatch.store.ports import DuplicateKey, UnitOfWork
from solver.traveltime.protocol import TravelTimes


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
    availability: tuple[TimeWindow, ...] = ()  # several windows; ``window`` then unset
    problem: str = ""  # a repeat visit: what went wrong the time before

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
            f"the idempotency key {key!r} was already used for a different ticket (#{ticket.id}); "
            "use a new key for a new ticket"
        )
    return Created(ticket, _technician_of(uow, ticket), replayed=True)


def check_served(uow: UnitOfWork, travel: TravelTimes, p: GeoPoint) -> None:
    """Inside a region we have roads for and near a technician (``domain.service_area``)."""
    covers = getattr(travel, "covers", None)  # road networks know their regions
    if outside(p, [t.home for t in uow.technicians.all()], covers):
        raise InvalidInput(f"({p.lat:.5f}, {p.lon:.5f}) is outside the service area: no "
                           "technician can be planned there; check the address")  # fmt: skip


def _check(uow: UnitOfWork, new: NewTicket, now: datetime, travel: TravelTimes) -> None:
    check_served(uow, travel, new.location)
    known = uow.skills.codes()
    unknown = sorted(new.skills - known)
    if unknown:
        raise InvalidInput(
            f"unknown skill(s): {', '.join(unknown)}; known skills are: {', '.join(sorted(known))}"
        )
    if new.window is not None and new.availability:
        raise InvalidInput("give either one window or the availability windows, not both")
    if new.window is not None and new.window.end < now:
        raise InvalidInput(
            f"the requested window ended at {new.window.end.isoformat()}, "
            "which is already in the past"
        )
    if any(w.end <= w.start for w in new.availability):
        raise InvalidInput("an availability window needs some length: its end after its start")
    if new.availability and all(w.end < now for w in new.availability):
        raise InvalidInput("every availability window has already ended")
    if new.repeat_of is not None:
        before = uow.tickets.get(new.repeat_of)
        if before is None:
            raise InvalidInput(f"repeat_of refers to ticket {new.repeat_of}, which does not exist")
        if before.status not in (TicketStatus.FAILED, TicketStatus.COMPLETED):
            raise Conflict(f"ticket {before.id} is {before.status.value}: a repeat visit follows "
                           "a visit that did not solve the problem")  # fmt: skip
        repeat = uow.tickets.repeated([before.id]).get(before.id)
        if repeat is not None:
            raise Conflict(f"ticket {before.id} has its repeat visit already: ticket {repeat}")


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
    with the same idempotency key returns the first result instead of a second ticket
    (a concurrent retry that wins the race on the key is answered with its ticket).
    """
    kind = work_kind(new.kind)  # an unknown kind is refused, listing the known ones
    if not new.skills:  # the kind says who can do it: never whoever is free
        new = replace(new, skills=kind.skills)
    fingerprint = new.fingerprint()

    def attempt() -> Created:
        with uow:
            if idempotency_key:
                replay = _replay(uow, idempotency_key, fingerprint)
                if replay is not None:
                    return replay
            now = clock.now()
            _check(uow, new, now, travel)
            ticket = _ticket(new, now)
            ticket.id = uow.tickets.add(ticket, idempotency_key, fingerprint)
            before = None
            if new.repeat_of is not None:  # the case goes on in this ticket
                before = uow.tickets.get(new.repeat_of)
                uow.tickets.set_status(new.repeat_of, TicketStatus.FAILED, "a repeat visit follows")
            q = quote(uow, ticket, now, travel)
            if quote_only:
                _repeat_made(uow, before, ticket, now, None)
                uow.commit()
                return Created(ticket, None, quote=q)
            try:
                booking = apply(uow, q, choose(q, None, allow_breaking=False), now)
            except StaleRoute:
                raise
            except Conflict:
                reason = q.reason or "every option would break another customer's promise"
                ticket.status, ticket.unassigned_reason = TicketStatus.UNASSIGNED, reason
                uow.tickets.set_status(ticket.id, TicketStatus.UNASSIGNED, reason)
                _repeat_made(uow, before, ticket, now, None)
                uow.commit()
                return Created(ticket, None, quote=q)
            _repeat_made(uow, before, ticket, now, booking.candidate.technician.id)
            uow.commit()
            ticket.status, ticket.visit = TicketStatus.ASSIGNED, booking.visit
            return Created(ticket, booking.candidate.technician, quote=q)

    return with_retries(attempt, clock, "booking", retry_on=(StaleRoute, DuplicateKey))


def _repeat_made(uow: UnitOfWork, before: Ticket | None, repeat: Ticket, now: datetime,
                 technician_id: int | None) -> None:  # fmt: skip
    """The case's history on the ticket before: its repeat, why, and who goes; when it
    is the technician who did the visit before, why (the quote ranks him last)."""
    if before is None:
        return
    made: dict[str, object] = {"repeat": repeat.id, "why": repeat.problem,
                               "technician_id": technician_id}  # fmt: skip
    if technician_id is not None and before.visit and before.visit.technician_id == technician_id:
        made["same_technician"] = ("nobody else with the skills can come without breaking "
                                   "another customer's promise")  # fmt: skip
    uow.cases.add(CaseEvent(before.id, now, CaseEventKind.REPEAT_CREATED, "dispatch", made))


def _ticket(new: NewTicket, now: datetime) -> Ticket:
    return Ticket(
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
        availability=tuple(w for w in new.availability if w.end >= now),
        problem=new.problem,
    )


def get_ticket(uow: UnitOfWork, ticket_id: int) -> TicketView:
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"ticket {ticket_id} does not exist")
        if ticket.visit is None and (later := uow.day_plans.of_ticket(ticket_id)) is not None:
            ticket.visit = later.as_visit()  # booked on a later date
        return TicketView(ticket, _technician_of(uow, ticket))
