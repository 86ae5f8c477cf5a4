"""Technicians: the fleet list and each technician's route for their phone."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, cast

from fastapi import APIRouter, BackgroundTasks, Body, Request

from api.background import after_disruption, make_repeats
from api.deps import ClockDep, RowId, SettingsDep, TravelDep, UowDep
from api.event_schemas import EventsOut, FieldEventIn, FieldStateOut
from api.presenters import Presenter
from api.schemas import LocationIn, RouteOut, TechnicianOut
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import GeoPoint
from dispatch.services.field_events import record_events
from dispatch.services.routes import Geometry, get_route, list_technicians

router = APIRouter(prefix="/api/technicians", tags=["technicians"])


@router.get("", response_model=list[TechnicianOut], summary="The fleet")
def technicians(uow: UowDep, settings: SettingsDep) -> list[TechnicianOut]:
    present = Presenter(settings.timezone)
    return [present.technician(t) for t in list_technicians(uow)]


@router.get(
    "/{technician_id}/route",
    response_model=RouteOut,
    summary="A technician's stops in order",
    responses={404: {"description": "no such technician"}},
)
def route(technician_id: RowId, uow: UowDep, settings: SettingsDep, travel: TravelDep) -> RouteOut:
    geometry = cast(Geometry, travel) if hasattr(travel, "route") else None
    return Presenter(settings.timezone).route(get_route(uow, technician_id, geometry))


MAX_BATCH = 1000


@router.post(
    "/{technician_id}/events",
    response_model=EventsOut,
    summary="Report position and status from the technician's phone",
    responses={
        404: {"description": "no such technician"},
        409: {"description": "an impossible transition; the detail names the current state"},
        422: {"description": "a malformed event, or a ticket that is not on this route"},
    },
)
def post_events(
    technician_id: RowId,
    events: Annotated[list[FieldEventIn], Body(max_length=MAX_BATCH)],
    request: Request,
    background: BackgroundTasks,
    uow: UowDep,
    clock: ClockDep,
    travel: TravelDep,
) -> EventsOut:
    domain = [
        FieldEvent(
            event_id=e.event_id,
            type=EventType(e.type),
            at=e.at,
            position=GeoPoint(e.lat, e.lon) if e.lat is not None and e.lon is not None else None,
            ticket_id=e.ticket_id,
            delay=timedelta(minutes=e.delay_min or 0),
            note=e.note,
        )
        for e in events
    ]
    snap = getattr(request.app.state, "snap", None)
    result = record_events(uow, clock, travel, technician_id, domain, snap)
    if result.accepted and any(e.type == EventType.BREAKDOWN for e in domain):
        background.add_task(after_disruption, request.app)  # his work: to others, or offers
    if result.accepted and any(e.type == EventType.FAILED for e in domain):
        background.add_task(make_repeats, request.app)  # second time perfect, at once
    s = result.state
    return EventsOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        promise_changes=result.promise_changes,
        state=FieldStateOut(
            activity=s.activity.value,
            ticket_id=s.ticket_id,
            position=LocationIn(lat=s.position.lat, lon=s.position.lon) if s.position else None,
            delay_min=s.delay.total_seconds() / 60,
        ),
    )
