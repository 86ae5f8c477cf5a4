"""Helpdesk: create a ticket (booked to the nearest free technician) and read it back."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, status

from api.deps import ClockDep, SettingsDep, TravelDep, UowDep
from api.presenters import Presenter
from api.schemas import TicketIn, TicketOut
from dispatch.domain.model import Customer, GeoPoint, Priority, TimeWindow
from dispatch.services.tickets import NewTicket, create_ticket, get_ticket

router = APIRouter(prefix="/api/tickets", tags=["helpdesk"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TicketOut,
    summary="Create a ticket and book the nearest free technician",
    responses={
        200: {"description": "a retry with the same Idempotency-Key: the original ticket"},
        409: {"description": "the Idempotency-Key was used for another ticket", **PROBLEM},
        422: {"description": "invalid input, with a message per field", **PROBLEM},
    },
)
def post_ticket(
    body: TicketIn,
    request: Request,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    travel: TravelDep,
    settings: SettingsDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> TicketOut:
    new = NewTicket(
        customer=Customer(
            body.customer.name, body.customer.phone, body.customer.email, body.customer.locale
        ),
        location=GeoPoint(body.location.lat, body.location.lon),
        kind=body.kind,
        skills=frozenset(body.skills),
        service=timedelta(minutes=body.duration_min),
        priority=Priority(body.priority),
        window=TimeWindow(body.window.start, body.window.end) if body.window else None,
    )
    created = create_ticket(uow, clock, travel, new, idempotency_key)
    if created.replayed:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/tickets/{created.ticket.id}"
    return Presenter(settings.timezone).ticket(created.ticket, created.technician)


@router.get(
    "/{ticket_id}",
    response_model=TicketOut,
    summary="A ticket with its assignment",
    responses={404: {"description": "no such ticket", **PROBLEM}},
)
def read_ticket(ticket_id: int, uow: UowDep, settings: SettingsDep) -> TicketOut:
    view = get_ticket(uow, ticket_id)
    return Presenter(settings.timezone).ticket(view.ticket, view.technician)
