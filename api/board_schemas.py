"""The console's board: the day per technician, as the Gantt and the map draw it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from api.schemas import LocationIn, LunchOut, WindowOut


class BoardVisitOut(BaseModel):
    ticket_id: int
    kind: str
    status: str
    eta: datetime
    window: WindowOut = Field(description="the window the customer holds now")
    duration_min: float
    leg_min: float = Field(description="driving into this visit")
    late: bool = Field(description="the ETA falls after the window: a slip, drawn red")
    locked: bool = Field(description="started or under way: it cannot be moved")
    lat: float
    lon: float


class BoardRowOut(BaseModel):
    technician_id: int
    name: str
    shift: WindowOut | None
    position: LocationIn | None
    out_until: datetime | None = Field(description="taken out by a breakdown or absence")
    route_version: int = Field(description="send it back when moving a visit onto this route")
    visits: list[BoardVisitOut]
    lunch: LunchOut | None = Field(None, description="today's lunch; none in the calendar: null")


class BoardOut(BaseModel):
    now: datetime
    technicians: list[BoardRowOut]


class AttentionItemOut(BaseModel):
    ticket_id: int | None
    what: str = Field(description="unassigned, dead_message, stranded, followup")
    detail: str
    since: datetime | None = None


class AttentionOut(BaseModel):
    items: list[AttentionItemOut]
