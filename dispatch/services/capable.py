"""The one check before work goes to a named technician (a slot booked with them, a
visit dragged onto their row): they exist and have every skill the ticket needs."""

from __future__ import annotations

from dispatch.domain.errors import Conflict, NotFound
from dispatch.domain.model import Technician, Ticket
from dispatch.store.ports import UnitOfWork


def capable_technician(uow: UnitOfWork, technician_id: int, ticket: Ticket) -> Technician:
    """Inside the caller's open unit of work."""
    tech = uow.technicians.get(technician_id)
    if tech is None:
        raise NotFound(f"technician {technician_id} does not exist")
    if not tech.has_skills(ticket.skills):
        missing = ", ".join(sorted(ticket.skills - tech.skills))
        raise Conflict(f"technician {technician_id} lacks {missing} for ticket {ticket.id}")
    return tech
