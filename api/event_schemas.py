"""What a technician's phone sends (``POST /api/technicians/{id}/events``) and what it
gets back: the events' contract, apart from the helpdesk's tickets and routes."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    model_validator,
)

from api.schemas import MAX_ID, LocationIn


class FieldEventIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "phone-7f3a-000123",
                    "type": "delayed",
                    "at": "2026-11-24T10:15:00+01:00",
                    "lat": 51.0745,
                    "lon": 4.2885,
                    "delay_min": 25,
                    "note": "traffic jam on the A12",
                }
            ]
        }
    )

    event_id: str = Field(
        min_length=1, max_length=100, description="made by the phone; repeats are ignored"
    )
    type: Literal[
        "position",
        "en_route",
        "arrived",
        "started",
        "completed",
        "failed",
        "break_start",
        "break_end",
        "breakdown",
        "delayed",
    ]
    at: AwareDatetime
    lat: StrictFloat | None = Field(default=None, ge=-90, le=90)
    lon: StrictFloat | None = Field(default=None, ge=-180, le=180)
    ticket_id: StrictInt | None = Field(default=None, ge=1, le=MAX_ID)
    delay_min: StrictFloat | None = Field(
        default=None, ge=0, le=24 * 60, description="delayed: extra minutes; breakdown: repair time"
    )
    note: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon come together")
        if self.type in ("delayed", "breakdown") and self.delay_min is None:
            raise ValueError(f"a {self.type} event needs delay_min")
        return self


class FieldStateOut(BaseModel):
    activity: str
    ticket_id: int | None
    position: LocationIn | None
    delay_min: float


class EventsOut(BaseModel):
    accepted: int
    duplicates: int
    promise_changes: int
    state: FieldStateOut
