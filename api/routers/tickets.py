"""Helpdesk: create a ticket (booked to the nearest free technician) and read it back."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.background import reoptimise
from api.deps import ClockDep, RowId, SettingsDep, TravelDep, UowDep
from api.message_schemas import MessageOut
from api.presenters import Presenter
from api.problems import problem
from api.schemas import BookIn, BookingOut, CandidatesOut, QuotedTicketOut, TicketIn, TicketOut
from dispatch.domain.errors import InvalidInput
from dispatch.domain.model import Customer, GeoPoint, Priority, TimeWindow
from dispatch.domain.urgency import UrgencyFactors
from dispatch.domain.work_kinds import at_risk_by_default
from dispatch.domain.workdays import local_date
from dispatch.services.bookings import RouteChangedSinceQuote, book, candidates
from dispatch.services.first_slot import book_first_slot
from dispatch.services.message_log import ticket_messages
from dispatch.services.slot_booking import book_slot
from dispatch.services.tickets import NewTicket, TicketView, create_ticket, get_ticket
from dispatch.services.tracking_links import reissue_link

router = APIRouter(prefix="/api/tickets", tags=["helpdesk"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=QuotedTicketOut,
    summary="Create a ticket and book the best technician, or only quote it",
    responses={
        200: {"description": "a retry with the same Idempotency-Key: the original ticket"},
        409: {"description": "the Idempotency-Key was used for another ticket", **PROBLEM},
        422: {"description": "invalid input, with a message per field", **PROBLEM},
    },
)
def post_ticket(
    body: TicketIn,
    request: Request,
    background: BackgroundTasks,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    travel: TravelDep,
    settings: SettingsDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> QuotedTicketOut:
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
        factors=UrgencyFactors(
            customer_on_site=body.customer_on_site,
            property_at_risk=(at_risk_by_default(body.kind) if body.property_at_risk is None
                              else body.property_at_risk),
            repeat_visit=body.repeat_of is not None,
            sla_deadline=body.sla_deadline,
        ),
        repeat_of=body.repeat_of,
        availability=tuple(TimeWindow(w.start, w.end) for w in body.availability),
    )
    created = create_ticket(uow, clock, travel, new, idempotency_key, quote_only=body.quote)
    if (
        created.ticket.visit is not None
        and not created.replayed
        and settings.reoptimise_after_booking
    ):
        background.add_task(reoptimise, request.app)
    if created.replayed:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/tickets/{created.ticket.id}"
    present = Presenter(settings.timezone)
    view: TicketView = created
    if not body.quote and not created.replayed and created.ticket.visit is None:
        # nobody today (a call at 21:00, a Sunday): the first slot of a later day
        length = timedelta(minutes=settings.slot_minutes)
        book_first_slot(uow, clock, travel, created.ticket.id, settings.timezone.key,
                        settings.visit_hours, length)  # fmt: skip
        view = get_ticket(uow, created.ticket.id)  # booked, or why not
    out = QuotedTicketOut(**present.ticket(view.ticket, view.technician).model_dump())
    if body.quote and created.quote is not None:
        out.quote = present.quote(created.quote, limit=5)
    return out


@router.get(
    "/{ticket_id}",
    response_model=TicketOut,
    summary="A ticket with its assignment",
    responses={404: {"description": "no such ticket", **PROBLEM}},
)
def read_ticket(ticket_id: RowId, uow: UowDep, settings: SettingsDep) -> TicketOut:
    view = get_ticket(uow, ticket_id)
    return Presenter(settings.timezone).ticket(view.ticket, view.technician)


@router.get(
    "/{ticket_id}/candidates",
    response_model=CandidatesOut,
    summary="Ranked technicians who can take this ticket, with honest windows",
    responses={404: {"description": "no such ticket", **PROBLEM},
               409: {"description": "the ticket is booked or closed already", **PROBLEM}},
)
def get_candidates(
    ticket_id: RowId,
    uow: UowDep,
    clock: ClockDep,
    travel: TravelDep,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> CandidatesOut:
    q = candidates(uow, clock, travel, ticket_id)
    return Presenter(settings.timezone).quote(q, limit)


@router.post(
    "/{ticket_id}/book",
    response_model=BookingOut,
    summary="Book a technician for the ticket (or the best candidate)",
    responses={
        404: {"description": "no such ticket", **PROBLEM},
        409: {
            "description": "the route changed since the quote (with fresh candidates), or the "
            "booking would break another customer's promise",
            **PROBLEM,
        },
    },
)
def post_book(
    ticket_id: RowId,
    body: BookIn,
    request: Request,
    background: BackgroundTasks,
    uow: UowDep,
    clock: ClockDep,
    travel: TravelDep,
    settings: SettingsDep,
) -> BookingOut | JSONResponse:
    present = Presenter(settings.timezone)
    technician_id = None if body.technician_id == "best" else body.technician_id
    today = local_date(clock.now(), settings.timezone.key)
    if body.window_start is not None or (body.date is not None and body.date != today):
        return _book_later(ticket_id, body, uow, clock, travel, settings)  # a later date
    # today (a slot of today carries its date and no window_start): the live quote
    try:
        result = book(
            uow,
            clock,
            travel,
            ticket_id,
            technician_id,
            route_version=body.route_version,
            allow_breaking=body.allow_breaking_promises,
        )
    except RouteChangedSinceQuote as exc:
        return problem(
            409,
            "Route changed",
            str(exc),
            request,
            candidates=present.quote(exc.fresh, 5).model_dump(mode="json"),
        )
    if result.booking is not None and settings.reoptimise_after_booking:
        background.add_task(reoptimise, request.app)
    return BookingOut(
        ticket=present.ticket(result.ticket, result.technician),
        promise_changed_events=result.booking.events if result.booking else 0,
    )


@router.get(
    "/{ticket_id}/messages",
    response_model=list[MessageOut],
    summary="What was sent to this customer, on which channel, when, and its delivery status",
    responses={404: {"description": "no such ticket", **PROBLEM}},
)
def get_messages(ticket_id: RowId, uow: UowDep, settings: SettingsDep) -> list[MessageOut]:
    present = Presenter(settings.timezone)
    return [present.message(m) for m in ticket_messages(uow, ticket_id)]


def _book_later(ticket_id: int, body: BookIn, uow: UowDep, clock: ClockDep, travel: TravelDep,
                settings: SettingsDep) -> BookingOut:  # fmt: skip
    if body.technician_id == "best" or body.date is None or body.window_start is None:
        raise InvalidInput("a slot on a later date names its technician_id, date and window_start")
    book_slot(uow, clock, travel, ticket_id, body.technician_id, body.date, body.window_start,
              body.route_version, settings.visit_hours,
              timedelta(minutes=settings.slot_minutes))  # fmt: skip
    view = get_ticket(uow, ticket_id)
    return BookingOut(ticket=Presenter(settings.timezone).ticket(view.ticket, view.technician),
                      promise_changed_events=0)  # fmt: skip


class TrackingLinkOut(BaseModel):
    tracking_token: str
    tracking_url: str


@router.post(
    "/{ticket_id}/tracking-link",
    response_model=TrackingLinkOut,
    summary="Revoke the customer's tracking link and issue a new one (the old one stops now)",
    responses={404: {"description": "no such ticket", **PROBLEM}},
)
def new_tracking_link(ticket_id: RowId, uow: UowDep, clock: ClockDep,
                      settings: SettingsDep) -> TrackingLinkOut:  # fmt: skip
    token = reissue_link(uow, clock, ticket_id)
    url = f"{settings.public_url.rstrip('/')}/track/{token}"
    return TrackingLinkOut(tracking_token=token, tracking_url=url)
