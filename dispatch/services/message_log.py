"""What was sent to a customer, on which channel, when, and whether it arrived."""

from __future__ import annotations

from dispatch.domain.errors import NotFound
from dispatch.domain.messages import Message
from dispatch.store.ports import UnitOfWork


def ticket_messages(uow: UnitOfWork, ticket_id: int) -> list[Message]:
    with uow:
        if uow.tickets.get(ticket_id) is None:
            raise NotFound(f"ticket {ticket_id} does not exist")
        return uow.messages.for_ticket(ticket_id)


def dead_letters(uow: UnitOfWork) -> list[Message]:
    """Messages every attempt failed for: a dispatcher calls these customers."""
    with uow:
        return uow.messages.dead()
