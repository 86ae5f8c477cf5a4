"""Where the technician roughly is, for a customer whose visit is next.

Only then: earlier in the day the position tells the customer nothing, and tells them
about other customers. Rounded to about a kilometre (two decimals of a degree), and
only from a report of the last half hour, so a phone that went quiet does not pin the
van to where it was an hour ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from geopy.distance import great_circle

from dispatch.domain.model import GeoPoint, Technician, Ticket, Visit, VisitStatus
from dispatch.store.ports import UnitOfWork

FRESH = timedelta(minutes=30)
COMING = (VisitStatus.PLANNED, VisitStatus.EN_ROUTE)


@dataclass(frozen=True)
class Near:
    at: GeoPoint  # rounded: about a kilometre
    km: float  # from the customer, to half a kilometre
    home: GeoPoint  # the customer's own place, for their map


def near(uow: UnitOfWork, ticket: Ticket, visit: Visit | None, tech: Technician | None,
         now: datetime) -> Near | None:  # fmt: skip
    """Inside the caller's unit of work."""
    if visit is None or tech is None or visit.status not in COMING or not visit.open:
        return None
    if tech.position is None or tech.seen_at is None or now - tech.seen_at > FRESH:
        return None
    if visit.status != VisitStatus.EN_ROUTE:  # planned: next only if nobody comes first
        coming = [v for v in uow.routes.get(tech.id).open_visits if v.status in COMING]
        if not coming or coming[0].ticket_id != ticket.id:
            return None
    p = tech.position
    km = great_circle((p.lat, p.lon), (ticket.location.lat, ticket.location.lon)).km
    return Near(GeoPoint(round(p.lat, 2), round(p.lon, 2)), round(km * 2) / 2, ticket.location)
