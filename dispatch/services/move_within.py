"""A dispatcher moves a visit to another place in the same technician's day.

The board says where (a position among the open visits, from the time the visit was
dropped at); the route is timed again in the new order from where the technician is
now, with fresh legs, because the drive between two stops depends on which two they
are. The move holds only if the moved visit and every visit it shifts stay inside
the windows their customers were told (``Route.move_within`` refuses otherwise), so
nobody is told anything; the audit says who moved it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from dispatch.domain.errors import Conflict, NotFound
from dispatch.domain.model import Visit
from dispatch.domain.route import Route
from dispatch.services.disruptions import busy_until
from dispatch.services.eta import retime_from, start_of
from dispatch.store.ports import UnitOfWork
from solver.traveltime.hourly import at_hour, hour_factor
from solver.traveltime.protocol import TravelTimes

Stops = list[tuple[Visit, datetime, int]]


def reorder(uow: UnitOfWork, now: datetime, travel: TravelTimes, route: Route, ticket_id: int,
            position: int) -> None:  # fmt: skip
    """Put ``ticket_id`` at ``position`` among the route's open visits, inside the
    caller's unit of work (which saves and commits)."""
    here = route.open_visits
    others = [v for v in here if v.ticket_id != ticket_id]
    first = sum(1 for v in others if v.locked)
    if not first <= position <= len(others):
        raise Conflict(f"position {position} is outside {first}..{len(others)} on the route of "
                       f"technician {route.technician_id} (started work stays first)")  # fmt: skip
    order = [*others[:position], route.visit(ticket_id), *others[position:]]
    if [v.ticket_id for v in order] == [v.ticket_id for v in here]:
        raise Conflict(f"ticket {ticket_id} is at position {position} already")
    route.move_within(ticket_id, timed(uow, now, travel, route.technician_id, order), now)


def timed(uow: UnitOfWork, now: datetime, travel: TravelTimes, technician_id: int,
          order: list[Visit]) -> Stops:  # fmt: skip
    """(visit, ETA, leg) in this order, from the technician's live state. A visit whose
    ETA leaves its working window gets its promise back as the window: narrowing
    again is the ETA refresh's job."""
    tech = uow.technicians.get(technician_id)
    if tech is None:
        raise NotFound(f"technician {technician_id} does not exist")
    state = uow.technicians.field_states([technician_id])[technician_id]
    start = start_of(tech, order, state, now, busy_until(uow, now).get(technician_id))
    first, free = 0, None
    factor = hour_factor(travel, start.here.latlon)
    if start.rest:  # fresh legs free of the hour, each timed at its own departure
        places = [v.location.latlon for v in start.rest]
        m = travel.matrix([start.here.latlon, *places[:-1]], places)
        free = [float(m[k, k]) for k in range(len(places))]
        first = at_hour(free[0], start.at, factor)
    by_id = {v.ticket_id: v for v in order}
    stops: Stops = []
    for r in retime_from(start, first, factor, free):
        v = by_id[r.ticket_id]
        if not v.window.start <= r.eta <= v.window.end:
            v = replace(v, window=v.promise)
        stops.append((v, r.eta, r.leg_s))
    return stops
