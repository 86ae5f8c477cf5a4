"""Rows to domain objects, each built in exactly one place."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dispatch.domain.model import (
    Customer,
    GeoPoint,
    LunchBreak,
    Priority,
    Technician,
    Ticket,
    TicketStatus,
    TimeWindow,
    Visit,
    VisitStatus,
)
from dispatch.domain.urgency import UrgencyFactors
from dispatch.store.tables import TechnicianRow, TicketRow, VisitRow

OPEN_STATUSES = ("planned", "en_route", "arrived", "started")

# The visit columns every read selects, in this order (Core rows or ORM rows alike).
VISIT_COLUMNS = (
    VisitRow.ticket_id,
    VisitRow.technician_id,
    VisitRow.sequence,
    VisitRow.lat,
    VisitRow.lon,
    VisitRow.eta,
    VisitRow.service_s,
    VisitRow.window_start,
    VisitRow.window_end,
    VisitRow.status,
    VisitRow.leg_s,
    VisitRow.promise_version,
    VisitRow.told_start,
    VisitRow.told_end,
    VisitRow.soon_told_version,
)


def visit(r: Any) -> Visit:
    """From a ``VisitRow`` or a Core row with ``VISIT_COLUMNS``."""
    return Visit(
        ticket_id=r.ticket_id,
        technician_id=r.technician_id,
        sequence=r.sequence,
        location=GeoPoint(r.lat, r.lon),
        eta=r.eta,
        service=timedelta(seconds=r.service_s),
        window=TimeWindow(r.window_start, r.window_end),
        status=VisitStatus(r.status),
        leg_s=r.leg_s,
        promise_version=r.promise_version,
        told=(
            TimeWindow(r.told_start, r.told_end)
            if r.told_start is not None and r.told_end is not None
            else None
        ),
        soon_told_version=r.soon_told_version,
    )


def visit_values(v: Visit) -> dict[str, Any]:
    """Every stored field of a visit, for an insert or an update."""
    return {
        "ticket_id": v.ticket_id,
        "technician_id": v.technician_id,
        "sequence": v.sequence,
        "lat": v.location.lat,
        "lon": v.location.lon,
        "eta": v.eta,
        "service_s": int(v.service.total_seconds()),
        "window_start": v.window.start,
        "window_end": v.window.end,
        "status": v.status.value,
        "leg_s": v.leg_s,
        "promise_version": v.promise_version,
        "told_start": v.promise.start,
        "told_end": v.promise.end,
        "soon_told_version": v.soon_told_version,
    }


def factors(
    customer_on_site: bool, property_at_risk: bool, repeat_of: int | None, sla: datetime | None
) -> UrgencyFactors:
    return UrgencyFactors(customer_on_site, property_at_risk, repeat_of is not None, sla)


def technician(row: TechnicianRow) -> Technician:
    return Technician(
        id=row.id,
        code=row.code,
        name=row.name,
        home=GeoPoint(row.home_lat, row.home_lon),
        shift=TimeWindow(row.shift_start, row.shift_end),
        skills=frozenset(row.skills),
        rated_for=frozenset(row.rated_for or ()),
        position=(
            GeoPoint(row.last_lat, row.last_lon)
            if row.last_lat is not None and row.last_lon is not None
            else None
        ),
        seen_at=row.last_seen_at,
        lunch=(
            LunchBreak(row.lunch_earliest, row.lunch_latest, timedelta(seconds=row.lunch_s))
            if row.lunch_earliest and row.lunch_latest and row.lunch_s
            else None
        ),
    )


def ticket(row: TicketRow, visit_row: VisitRow | None) -> Ticket:
    window = (
        TimeWindow(row.window_start, row.window_end)
        if row.window_start is not None and row.window_end is not None
        else None
    )
    return Ticket(
        id=row.id,
        customer=Customer(
            name=row.customer_name,
            phone=row.customer_phone,
            email=row.customer_email,
            locale=row.customer_locale,
        ),
        location=GeoPoint(row.lat, row.lon),
        kind=row.kind,
        skills=frozenset(row.skills),
        service=timedelta(seconds=row.service_s),
        priority=Priority(row.priority),
        tracking_token=row.tracking_token,
        created_at=row.created_at,
        window=window,
        status=TicketStatus(row.status),
        unassigned_reason=row.unassigned_reason,
        visit=None if visit_row is None else visit(visit_row),
        factors=factors(
            row.customer_on_site, row.property_at_risk, row.repeat_of, row.sla_deadline
        ),
        repeat_of=row.repeat_of,
        problem=row.problem or "",
        availability=tuple(
            TimeWindow(datetime.fromisoformat(a), datetime.fromisoformat(b))
            for a, b in row.availability or ()
        ),
    )


def ticket_values(t: Ticket) -> dict[str, Any]:
    return {
        "customer_name": t.customer.name,
        "customer_phone": t.customer.phone,
        "customer_email": t.customer.email,
        "customer_locale": t.customer.locale,
        "lat": t.location.lat,
        "lon": t.location.lon,
        "kind": t.kind,
        "skills": sorted(t.skills),
        "service_s": int(t.service.total_seconds()),
        "priority": t.priority.value,
        "window_start": t.window.start if t.window else None,
        "window_end": t.window.end if t.window else None,
        "availability": [[w.start.isoformat(), w.end.isoformat()] for w in t.availability]
        or None,
        "status": t.status.value,
        "unassigned_reason": t.unassigned_reason,
        "tracking_token": t.tracking_token,
        "created_at": t.created_at,
        "customer_on_site": t.factors.customer_on_site,
        "property_at_risk": t.factors.property_at_risk,
        "repeat_of": t.repeat_of,
        "sla_deadline": t.factors.sla_deadline,
        "problem": t.problem or None,
    }
