"""Appointment slots: today's candidates and fixed windows on the next working days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import ClockDep, RowId, SettingsDep, TravelDep, UowDep
from api.presenters import Presenter
from api.schemas import Day, WindowOut
from dispatch.services.slots import Slot, ticket_slots

router = APIRouter(prefix="/api/tickets", tags=["helpdesk"])


class SlotBookIn(BaseModel):
    """The body to POST to ``/api/tickets/{id}/book`` to take this slot."""

    technician_id: int
    route_version: int
    date: Day
    window_start: datetime | None = Field(description="null for today's live candidates")


class SlotOut(BaseModel):
    date: date
    today: bool = Field(description="today's honest, narrowing window; else a fixed slot")
    window: WindowOut = Field(description="what the customer would be promised")
    eta: datetime
    technician_id: int
    technician_name: str
    added_travel_min: float
    keeps_promises: bool = Field(True, description="every slot offered keeps every promise")
    book: SlotBookIn


def _out(s: Slot, present: Presenter) -> SlotOut:
    return SlotOut(
        date=s.day, today=s.today, window=present.window(s.window), eta=present.t(s.eta),
        technician_id=s.technician.id, technician_name=s.technician.name,
        added_travel_min=round(s.added_travel.total_seconds() / 60, 1), keeps_promises=True,
        book=SlotBookIn(technician_id=s.technician.id, route_version=s.route_version,
                        date=s.day, window_start=None if s.today else present.t(s.window.start)),
    )  # fmt: skip


@router.get("/{ticket_id}/slots", response_model=list[SlotOut],
            summary="Bookable slots over today and the next working days, best first",
            responses={404: {"description": "no such ticket"}})  # fmt: skip
def get_slots(
    ticket_id: RowId, uow: UowDep, clock: ClockDep, travel: TravelDep, settings: SettingsDep,
    days: Annotated[int, Query(ge=1, le=31, description="working days after today")] = 14,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[SlotOut]:  # fmt: skip
    length = timedelta(minutes=settings.slot_minutes)
    found = ticket_slots(uow, clock.now(), travel, ticket_id, days, settings.timezone.key,
                         settings.visit_hours, length, limit)  # fmt: skip
    present = Presenter(settings.timezone)
    return [_out(s, present) for s in found[:limit]]
