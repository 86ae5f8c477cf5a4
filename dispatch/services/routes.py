"""What a technician's phone shows: their stops in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from dispatch.domain import lunch
from dispatch.domain.errors import NotFound
from dispatch.domain.fieldstate import FieldState
from dispatch.domain.model import Technician, Visit
from dispatch.store.ports import UnitOfWork
from solver.geo import LatLon


@dataclass(frozen=True)
class RouteView:
    technician: Technician
    stops: list[Visit]
    kinds: dict[int, str]  # ticket id -> kind of work, for the technician's list
    problems: dict[int, str] = field(default_factory=dict)  # a repeat: what went wrong
    geometry: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    lunch: lunch.Shown | None = None
    break_since: datetime | None = None  # on a break: since when


class Geometry(Protocol):
    def route(self, a: LatLon, b: LatLon) -> list[LatLon] | None: ...


def get_route(uow: UnitOfWork, technician_id: int, geometry: Geometry | None = None) -> RouteView:
    """``geometry`` (the road network) adds each open leg's polyline for the phone's map."""
    with uow:
        tech = uow.technicians.get(technician_id)
        if tech is None:
            raise NotFound(f"technician {technician_id} does not exist")
        stops = list(uow.routes.get(technician_id).visits)
        found = uow.tickets.skills_and_kinds([v.ticket_id for v in stops])
        kinds = {v.ticket_id: found[v.ticket_id][1] if v.ticket_id in found else "" for v in stops}
        problems = uow.tickets.problems([v.ticket_id for v in stops if v.open])
        legs: dict[int, list[tuple[float, float]]] = {}
        if geometry is not None:
            here = (tech.position or tech.home).latlon
            for v in stops:
                if not v.open:
                    continue
                line = geometry.route(here, v.location.latlon)
                if line is not None:
                    legs[v.ticket_id] = [(round(a, 6), round(b, 6)) for a, b in line]
                here = v.location.latlon
        state = uow.technicians.field_states([technician_id]).get(technician_id, FieldState())
        return RouteView(tech, stops, kinds, problems, legs, lunch.shown(tech, state),
                         lunch.break_since(state))


def list_technicians(uow: UnitOfWork) -> list[Technician]:
    with uow:
        return uow.technicians.all()
