"""The case lifecycle's use cases: the customer's word, cancelling, and the history.

A visit's ``completed`` no longer closes the case (``services.field_events`` records it
and leaves the case ``completed``): the customer confirms through their tracking link,
or a courtesy call asks them (``services.followups``). "Not solved" and a failed visit
make a repeat visit (``services.repeats``). Every transition writes its ``CaseEvent`` in
the transaction that makes it (``domain.case``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from dispatch.clock import Clock
from dispatch.domain.case import (
    CaseEvent,
    CaseEventKind,
    ClosedHow,
    Feedback,
    check_cancellable,
    check_confirmable,
)
from dispatch.domain.errors import Conflict, InvalidInput, NotFound, StaleRoute
from dispatch.domain.events import VisitCancelled
from dispatch.domain.fieldstate import EventType
from dispatch.domain.followup import Outcome
from dispatch.domain.model import Ticket, TicketStatus
from dispatch.services.retry import with_retries
from dispatch.store.event_codec import from_record
from dispatch.store.ports import UnitOfWork


def _ticket(uow: UnitOfWork, ticket_id: int | None = None, token: str | None = None) -> Ticket:
    ticket = uow.tickets.by_token(token) if token else uow.tickets.get(ticket_id or 0)
    if ticket is None:
        raise NotFound("unknown tracking token" if token else f"ticket {ticket_id} does not exist")
    return ticket


def settle(uow: UnitOfWork, ticket: Ticket, fb: Feedback, now: datetime, actor: str,
           how: ClosedHow) -> TicketStatus:  # fmt: skip
    """Solved: the case closes. Not solved: failed, and a repeat visit follows (inside
    the caller's unit of work)."""
    check_confirmable(ticket.id, ticket.status)
    for f in uow.followups.of(ticket.id):  # their answer makes the courtesy call moot
        if f.open and actor != "agent":
            uow.followups.finish(f.id, Outcome.SOLVED if fb.solved else Outcome.NOT_SOLVED, now,
                                 "answered through the tracking link")  # fmt: skip
    tech = ticket.visit.technician_id if ticket.visit else None
    kind = CaseEventKind.CONFIRMED if fb.solved else CaseEventKind.NOT_SOLVED
    uow.cases.add(CaseEvent(ticket.id, now, kind, actor, fb.detail(tech)))
    if not fb.solved:
        uow.tickets.set_status(ticket.id, TicketStatus.FAILED, f"not solved: {fb.comment}"[:300])
        return TicketStatus.FAILED
    uow.tickets.set_status(ticket.id, TicketStatus.DONE)
    uow.cases.add(CaseEvent(ticket.id, now, CaseEventKind.CLOSED, actor, {"how": how.value}))
    return TicketStatus.DONE


def confirm(uow: UnitOfWork, clock: Clock, token: str, fb: Feedback) -> TicketStatus:
    """The customer's word through their link: solved (closed) or not (a repeat)."""
    with uow:
        ticket = _ticket(uow, token=token)
        status = settle(uow, ticket, fb, clock.now(), "customer", ClosedHow.CONFIRMED)
        uow.commit()
    return status


def cancel(uow: UnitOfWork, clock: Clock, actor: str, ticket_id: int | None = None,
           token: str | None = None, why: str = "") -> Ticket:  # fmt: skip
    """Cancel a case that has not been visited yet; its slot is freed for others."""

    def attempt() -> Ticket:
        now = clock.now()
        with uow:
            ticket = _ticket(uow, ticket_id, token)
            check_cancellable(ticket.id, ticket.status,
                              ticket.visit.status if ticket.visit else None, actor)  # fmt: skip
            repeat = uow.tickets.repeated([ticket.id]).get(ticket.id)
            if repeat is not None:
                raise Conflict(f"repeat visit {repeat} carries case {ticket.id} on; cancel "
                               "that one (the whole case is cancelled with it)")  # fmt: skip
            _free_slot(uow, ticket, now, actor)
            chain = [ticket.id]
            before = uow.tickets.get(ticket.repeat_of) if ticket.repeat_of else None
            if before is not None and before.status == TicketStatus.FAILED:
                chain.append(before.id)  # the case is given up, not left failed
            for t in chain:
                uow.tickets.set_status(t, TicketStatus.CANCELLED, why[:300] or None)
                uow.cases.add(CaseEvent(t, now, CaseEventKind.CANCELLED, actor,
                                        {"why": why[:300]}))  # fmt: skip
            uow.commit()
            return replace(ticket, status=TicketStatus.CANCELLED)

    return with_retries(attempt, clock, "cancelling")


def _free_slot(uow: UnitOfWork, ticket: Ticket, now: datetime, by: str) -> None:
    """Off its day plan or route; the customer is told which appointment is off."""
    planned = uow.day_plans.of_ticket(ticket.id)
    if planned is not None:
        plan = uow.day_plans.get(planned.technician_id, planned.day)
        a = plan.appointment(ticket.id)
        plan.give_up(ticket.id, VisitCancelled(ticket.id, a.technician_id, a.promise_version,
                                               now, a.window, by))  # fmt: skip
        if not uow.day_plans.save(plan):
            raise StaleRoute("that day's plan changed meanwhile")
    elif ticket.visit is not None and ticket.visit.open:
        route = uow.routes.get(ticket.visit.technician_id)
        v = route.visit(ticket.id)
        route.give_up(ticket.id, VisitCancelled(ticket.id, v.technician_id, v.promise_version,
                                                now, v.window, by))  # fmt: skip
        if not uow.routes.save(route):
            raise StaleRoute("the route changed meanwhile")


@dataclass(frozen=True)
class Entry:
    at: datetime
    what: str  # a case event kind, or a route event kind ("VisitBooked", ...)
    actor: str
    detail: dict[str, Any]


def history(uow: UnitOfWork, ticket_id: int) -> list[Entry]:
    """Everything that happened to the case, oldest first: its own transitions and facts,
    and what its visits' routes recorded (booked, pushed, moved, on the way ...)."""
    with uow:
        ticket = _ticket(uow, ticket_id)
        entries = [Entry(ticket.created_at, "created", "helpdesk",
                         {"repeat_of": ticket.repeat_of} if ticket.repeat_of else {})]
        entries += [Entry(e.at, e.kind.value, e.actor, dict(e.detail))
                    for e in uow.cases.of(ticket.id)]  # fmt: skip
        for kind, payload in uow.outbox.for_ticket(ticket.id):
            try:
                event = from_record(kind, payload)
            except (ValueError, KeyError):
                continue
            detail = {k: v for k, v in payload.items() if k not in ("v", "ticket_id", "at")}
            entries.append(Entry(event.at, kind, "dispatch", detail))
        entries += [Entry(e.at, e.type.value, "technician", {"technician_id": tech})
                    for tech, e in uow.events.for_ticket(ticket.id)
                    if e.type in AT_THE_DOOR]  # fmt: skip
    return sorted(entries, key=lambda e: e.at)


# What the phone says that no case event or route event tells (the rest is told there).
AT_THE_DOOR = (EventType.ARRIVED, EventType.STARTED)


CHANNELS = ("call", "mail", "chat")


def record_contact(uow: UnitOfWork, clock: Clock, ticket_id: int, channel: str,
                   reason: str) -> CaseEvent:  # fmt: skip
    """An inbound contact from the customer ("where is my technician?"): repeat contacts
    per case are a measure of how well we keep them informed."""
    if channel not in CHANNELS:
        raise InvalidInput(f"channel is one of {', '.join(CHANNELS)}")
    with uow:
        ticket = _ticket(uow, ticket_id)
        e = CaseEvent(ticket.id, clock.now(), CaseEventKind.CONTACT, "customer",
                      {"channel": channel, "reason": reason.strip()[:300]})  # fmt: skip
        uow.cases.add(e)
        uow.commit()
    return e
