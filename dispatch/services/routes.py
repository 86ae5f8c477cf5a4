"""What a technician's phone shows: their stops in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from dispatch.domain.errors import NotFound
from dispatch.domain.model import Technician, Visit
from dispatch.store.uow import UnitOfWork


@dataclass(frozen=True)
class RouteView:
    technician: Technician
    stops: list[Visit]
    kinds: dict[int, str]  # ticket id -> kind of work, for the technician's list
    geometry: dict[int, list[tuple[float, float]]] = field(default_factory=dict)


def get_route(uow: UnitOfWork, technician_id: int) -> RouteView:
    with uow:
        tech = uow.technicians.get(technician_id)
        if tech is None:
            raise NotFound(f"technician {technician_id} does not exist")
        stops = uow.technicians.route(technician_id)
        kinds = {}
        for v in stops:
            ticket = uow.tickets.get(v.ticket_id)
            kinds[v.ticket_id] = ticket.kind if ticket else ""
        return RouteView(tech, stops, kinds)


def list_technicians(uow: UnitOfWork) -> list[Technician]:
    with uow:
        return uow.technicians.all()
