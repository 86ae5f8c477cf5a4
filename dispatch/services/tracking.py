"""What a customer may see through their tracking link, and nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dispatch.domain.errors import NotFound
from dispatch.domain.force_majeure import OfferStatus
from dispatch.domain.message_rules import reason_code
from dispatch.domain.messages import Message, MessageStatus
from dispatch.domain.model import TicketStatus, TimeWindow, VisitStatus
from dispatch.services.opt_out import Preferences, preferences_of
from dispatch.services.tracking_near import Near, near
from dispatch.store.ports import UnitOfWork

CLOSED = (TicketStatus.DONE, TicketStatus.CANCELLED, TicketStatus.COMPLETED, TicketStatus.FAILED)
OPEN_VISIT = (VisitStatus.PLANNED, VisitStatus.EN_ROUTE)  # not yet with the customer


@dataclass(frozen=True)
class Tracking:
    status: str
    kind: str
    window: TimeWindow | None
    technician_first_name: str | None
    message: str
    locale: str
    told: list[Message] = field(default_factory=list)  # messages the customer received
    preferences: Preferences = field(default_factory=lambda: Preferences([], []))
    # why the plan is not going as told: "disrupted" (the technician is out, the reason
    # for customers), "choose" (force majeure: new times offered), "delayed" (the window
    # moved later; the reason as a code: traffic, urgent_case, ...), or None
    situation: str | None = None
    reason: str | None = None
    near: Near | None = None  # the technician, roughly, when this visit is next


def _status(ticket_status: TicketStatus, visit_status: VisitStatus | None) -> str:
    if visit_status is None or ticket_status != TicketStatus.ASSIGNED:
        return ticket_status.value
    return "scheduled" if visit_status == VisitStatus.PLANNED else visit_status.value


def _situation(uow: UnitOfWork, ticket_id: int, technician_id: int | None,
               now: datetime) -> tuple[str | None, str | None]:  # fmt: skip
    """The truth the page must tell before "Jan will come by": new times to choose from,
    or the technician taken out (a breakdown, an absence) with the reason."""
    offer = uow.offers.latest(ticket_id)
    if offer is not None and offer.status == OfferStatus.HELD:
        d = uow.disruptions.get(offer.disruption_id)
        return "choose", d.reason if d else None
    if technician_id is None:
        return None, None
    for d in uow.disruptions.overlapping(now, now + timedelta(seconds=1)):
        if d.technician_id == technician_id and d.active(now):
            return "disrupted", d.reason
    moves = [p for kind, p in uow.outbox.for_ticket(ticket_id) if kind == "PromiseChanged"]
    if moves and _later(moves[-1]):  # the last move was to a later window: say why
        return "delayed", reason_code(str(moves[-1].get("reason", ""))).value
    return None, None


def _later(change: dict[str, object]) -> bool:
    """A PromiseChanged as the outbox keeps it: windows as [start, end] ISO strings."""
    old, new = change.get("old_window"), change.get("new_window")
    if not (isinstance(old, list) and isinstance(new, list)):
        return False
    return datetime.fromisoformat(new[0]) > datetime.fromisoformat(old[0])


def track(uow: UnitOfWork, token: str, now: datetime | None = None) -> Tracking:
    with uow:
        ticket = uow.tickets.by_token(token)
        if ticket is None:
            raise NotFound("no visit is known under this tracking link")
        visit = ticket.visit
        if visit is None:  # booked on a later date: its appointment, not yet on a route
            planned = uow.day_plans.of_ticket(ticket.id)
            visit = planned.as_visit() if planned else None
        tech = uow.technicians.get(visit.technician_id) if visit else None
        told = [
            m
            for m in uow.messages.for_ticket(ticket.id)
            if m.status == MessageStatus.SENT and m.channel == "email"
        ]
        preferences = preferences_of(uow, ticket.customer)
        situation, reason = (None, None)
        if now is not None and ticket.status not in CLOSED:
            open_visit = visit is not None and visit.status in OPEN_VISIT
            tech_id = visit.technician_id if visit and open_visit else None
            situation, reason = _situation(uow, ticket.id, tech_id, now)
        told_truth = now is not None and situation in (None, "delayed")  # not while out
        close = near(uow, ticket, visit, tech, now) if now and told_truth else None
    status = _status(ticket.status, visit.status if visit else None)
    if ticket.status == TicketStatus.CANCELLED:
        visit, tech, status = None, None, ticket.status.value
        message = "This visit was cancelled."
    elif visit is not None and tech is not None:
        message = f"{tech.first_name} is scheduled to come by within the window shown."
    elif ticket.status == TicketStatus.UNASSIGNED:
        message = "We are looking for a technician and will contact you with a time."
    else:
        message = "Your request has been received."
    return Tracking(
        status=status,
        kind=ticket.kind,
        window=visit.window if visit else None,
        technician_first_name=tech.first_name if tech else None,
        message=message,
        locale=ticket.customer.locale,
        told=told,
        preferences=preferences,
        situation=situation,
        reason=reason,
        near=close if ticket.status != TicketStatus.CANCELLED else None,
    )
