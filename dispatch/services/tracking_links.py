"""How long a customer's tracking link works, and giving a customer a new one.

A link is the customer's key: 128 random bits, never guessed. It stops working
``tracking_days`` after the case closes (solved or cancelled), so an old mail in a
forwarded thread does not show a stranger where a technician was. An agent can
revoke it and issue a new one at once (a customer forwarded it by mistake); the old
one answers 404 from then on.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from dispatch.clock import Clock
from dispatch.domain.case import CaseEventKind
from dispatch.domain.errors import Gone, NotFound
from dispatch.domain.model import TicketStatus
from dispatch.services.audit_log import note
from dispatch.store.ports import UnitOfWork

ENDED = (CaseEventKind.CLOSED, CaseEventKind.CANCELLED)


def check_link(uow: UnitOfWork, token: str, now: datetime, days: int) -> None:
    """Gone when the case closed more than ``days`` ago; unknown links are left to the
    endpoint (it says 404 in its own words)."""
    with uow:
        ticket = uow.tickets.by_token(token)
        if ticket is None or ticket.status not in (TicketStatus.DONE, TicketStatus.CANCELLED):
            return
        ended = [e.at for e in uow.cases.of(ticket.id) if e.kind in ENDED]
    if ended and now - max(ended) > timedelta(days=days):
        raise Gone(f"this tracking link expired {days} days after the case closed; "
                   "call us if you need anything")  # fmt: skip


def reissue_link(uow: UnitOfWork, clock: Clock, ticket_id: int) -> str:
    token = secrets.token_urlsafe(16)  # 128 bits, as at creation
    with uow:
        if not uow.tickets.set_token(ticket_id, token):
            raise NotFound(f"ticket {ticket_id} does not exist")
        note(uow, clock.now(), "tracking link reissued", f"ticket:{ticket_id}")
        uow.commit()
    return token
