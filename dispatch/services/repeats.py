"""Second time perfect: a repeat visit for a case the first visit did not solve.

Made for a failed visit (not home, wrong part, could not fix) and for a customer who
says "not solved", by the scheduler's job and at once after the event or the answer.
The repeat is a ticket of its own (``repeat_of`` the one before) that:

- carries what went wrong (``problem``), shown on the technician's route stop;
- is urgent: priority urgent (30 points) and a repeat visit (20) reach the 50 that may
  push normal work, whose customers are then told their new window;
- gets extra door time (``DISPATCH_REPEAT_BUFFER_MIN``, 15 min): the delivery company's
  "deurtijd", so the second visit is not rushed;
- goes to anyone but the technician who did the first visit, unless nobody else can
  come in time (``services.quote`` ranks him last).

One repeat per failed ticket, whatever the retries: its idempotency key is the ticket's.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from dispatch.clock import Clock
from dispatch.domain.case import CaseEventKind
from dispatch.domain.errors import DispatchError
from dispatch.domain.model import Priority, Ticket, TicketStatus
from dispatch.services.tickets import Created, NewTicket, create_ticket
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

log = logging.getLogger(__name__)
BUFFER = timedelta(minutes=15)


def what_went_wrong(uow: UnitOfWork, ticket_id: int) -> str:
    """The technician's note on the failed visit, or the customer's "not solved" words."""
    for e in reversed(uow.cases.of(ticket_id)):
        if e.kind in (CaseEventKind.VISIT_FAILED, CaseEventKind.NOT_SOLVED):
            said = str(e.detail.get("note") or e.detail.get("comment") or "").strip()
            return said or ("the visit failed" if e.kind == CaseEventKind.VISIT_FAILED
                            else "the customer says it is not solved")  # fmt: skip
    return "the visit before did not solve it"


def repeat_for(uow: UnitOfWork, clock: Clock, travel: TravelTimes, ticket: Ticket,
               buffer: timedelta = BUFFER) -> Created:  # fmt: skip
    with uow:
        why = what_went_wrong(uow, ticket.id)
    new = NewTicket(customer=ticket.customer, location=ticket.location, kind=ticket.kind,
                    skills=ticket.skills, service=ticket.service + buffer,
                    priority=Priority.URGENT, factors=ticket.factors, repeat_of=ticket.id,
                    problem=why[:500])  # fmt: skip
    return create_ticket(uow, clock, travel, new, idempotency_key=f"repeat-of-{ticket.id}")


def make_repeats(uow: UnitOfWork, clock: Clock, travel: TravelTimes,
                 buffer: timedelta = BUFFER) -> int:  # fmt: skip
    """A repeat for every failed ticket that has none yet; how many were made."""
    with uow:
        failed = uow.tickets.list([TicketStatus.FAILED])
        repeated = uow.tickets.repeated([t.id for t in failed])
    made = 0
    for ticket in failed:
        if ticket.id in repeated:
            continue
        try:
            repeat_for(uow, clock, travel, ticket, buffer)
            made += 1
        except DispatchError as exc:  # the next run tries again
            log.warning("no repeat visit for ticket %s yet: %s", ticket.id, exc)
    return made
