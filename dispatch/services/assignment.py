"""Which technician takes a new ticket, and when they will arrive.

The domain decides who *may* take it (skills, shift); the solver decides who is
*nearest*; this module joins the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dispatch.domain.model import Technician, Ticket, TimeWindow, Visit, VisitStatus
from dispatch.domain.promise import promise_window
from dispatch.store.uow import UnitOfWork
from solver.append import Job, NoPlacement, Placement, RouteEnd, place_nearest
from solver.traveltime.protocol import TravelTimes

OPEN_VISIT_STATES = {VisitStatus.PLANNED, VisitStatus.EN_ROUTE, VisitStatus.ARRIVED}


@dataclass(frozen=True)
class Proposal:
    """A placement plus the route version it was computed on (for the stale check)."""

    visit: Visit
    route_version: int


def route_end(tech: Technician, route: list[Visit], now: datetime) -> RouteEnd:
    now = now.replace(microsecond=0)
    open_visits = [v for v in route if v.status in OPEN_VISIT_STATES]
    if open_visits:
        last = open_visits[-1]
        return RouteEnd(tech.id, last.location.latlon, max(now, last.departs), tech.shift.end)
    return RouteEnd(tech.id, tech.home.latlon, max(now, tech.shift.start), tech.shift.end)


def _clip_to_request(promise: TimeWindow, eta: datetime, wanted: TimeWindow | None) -> TimeWindow:
    """Never promise outside what the customer asked for, as long as the ETA fits."""
    if wanted is None:
        return promise
    start = max(promise.start, min(wanted.start, eta))
    end = min(promise.end, max(wanted.end, eta))
    return TimeWindow(start, end)


def propose(uow: UnitOfWork, ticket: Ticket, now: datetime, travel: TravelTimes) -> Proposal | str:
    """The visit to append, or the reason nobody can take the ticket today."""
    candidates = [
        t for t in uow.technicians.all() if t.has_skills(ticket.skills) and t.shift.end > now
    ]
    if not candidates:
        needed = ", ".join(sorted(ticket.skills)) or "no particular skill"
        return f"no technician with {needed} is on shift for the rest of today"
    # Versions first, routes second: a booking that lands in between then makes our
    # claim fail (and retry) instead of letting a stale route pass as current.
    versions = {t.id: uow.technicians.route_version(t.id) for t in candidates}
    routes = {t.id: uow.technicians.route(t.id) for t in candidates}
    ends = [route_end(t, routes[t.id], now) for t in candidates]
    job = Job(
        location=ticket.location.latlon,
        service=ticket.service,
        earliest_start=ticket.window.start if ticket.window else None,
        latest_start=ticket.window.end if ticket.window else None,
    )
    placed: Placement | NoPlacement = place_nearest(job, ends, travel)
    if isinstance(placed, NoPlacement):
        return placed.reason
    route = routes[placed.vehicle_id]
    ahead = sum(1 for v in route if v.status in OPEN_VISIT_STATES)
    window = _clip_to_request(promise_window(now, placed.eta, ahead), placed.eta, ticket.window)
    visit = Visit(
        ticket_id=ticket.id,
        technician_id=placed.vehicle_id,
        sequence=(route[-1].sequence + 1) if route else 1,
        location=ticket.location,
        eta=placed.eta,
        service=ticket.service,
        window=window,
    )
    return Proposal(visit, versions[placed.vehicle_id])
