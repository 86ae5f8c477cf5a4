"""Request and response bodies: the public JSON contract."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self, cast

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    StrictBool,
    StrictFloat,
    StrictInt,
    model_validator,
)

EXAMPLE_TICKET: dict[str, Any] = {
    "customer": {
        "name": "An Aerts",
        "phone": "+32 470 123456",
        "email": "an.aerts@example.org",
        "locale": "nl",
    },
    "location": {"lat": 51.0735, "lon": 4.2890},
    "kind": "cable_stuck",
    "skills": ["cable_release"],
    "duration_min": 30,
    "priority": "urgent",
}


# the largest id the database holds (PostgreSQL integer): anything above is no id of ours
MAX_ID = 2**31 - 1
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _written_date(v: object) -> object:
    if isinstance(v, date) or (isinstance(v, str) and ISO_DATE.match(v)):
        return v
    raise ValueError("give a date like 2026-12-24")  # pydantic would read 0 as 1970-01-01


# A calendar date as people write it; numbers and timestamps are refused.
Day = Annotated[date, BeforeValidator(_written_date)]


class CustomerIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    locale: Literal["nl", "en"] = "nl"


class LocationIn(BaseModel):
    lat: StrictFloat = Field(ge=-90, le=90, description="WGS84 latitude")
    lon: StrictFloat = Field(ge=-180, le=180, description="WGS84 longitude")


class WindowIn(BaseModel):
    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(
                f"the window ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )
        return self


class TicketIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [cast(JsonValue, EXAMPLE_TICKET)]})

    customer: CustomerIn
    location: LocationIn
    kind: str = Field(min_length=1, max_length=64, examples=["cable_stuck"])
    skills: list[str] = Field(default_factory=list, max_length=20, examples=[["cable_release"]])
    duration_min: StrictInt = Field(
        gt=0, le=480, description="expected time on site, 1 to 480 minutes (8 hours)"
    )
    priority: Literal["normal", "urgent"] = "normal"
    window: WindowIn | None = Field(
        default=None, description="when the customer can receive the technician (optional)"
    )
    availability: list[WindowIn] = Field(
        default_factory=list, max_length=10,
        description="several windows the customer can receive the technician in, e.g. "
        "tomorrow morning or Thursday after 14:00 (instead of `window`)",
    )  # fmt: skip
    customer_on_site: StrictBool = Field(default=False, description="the customer is waiting there")
    property_at_risk: StrictBool | None = Field(
        default=None, description="unattended property at risk, e.g. a locked charging "
        "cable; null: what the kind of work implies (cable_stuck: yes; docs/cases.md)",
    )  # fmt: skip
    repeat_of: StrictInt | None = Field(
        default=None, ge=1, le=MAX_ID, description="the earlier ticket this repeats after a "
        "failed visit",
    )  # fmt: skip
    sla_deadline: AwareDatetime | None = Field(default=None, description="contractual deadline")
    quote: StrictBool = Field(
        default=False,
        description="only quote: keep the ticket open and return ranked candidates",
    )


class WindowOut(BaseModel):
    start: datetime
    end: datetime


class AssignmentOut(BaseModel):
    technician_id: int
    technician_name: str
    eta: datetime = Field(description="expected arrival, ISO 8601 with offset")
    window: WindowOut = Field(description="the arrival window promised to the customer")
    sequence: int = Field(description="position of the visit on the technician's route")


class TicketOut(BaseModel):
    id: int
    status: str
    tracking_token: str
    kind: str
    priority: str
    skills: list[str]
    duration_min: float
    location: LocationIn
    window: WindowOut | None
    availability: list[WindowOut] = Field(
        default_factory=list, description="the customer's windows, when several were given"
    )
    created_at: datetime
    assignment: AssignmentOut | None
    reason: str | None = Field(
        default=None, description="why nobody could take the ticket, when assignment is null"
    )
    repeat_of: int | None = Field(None, description="the case's ticket before this repeat")
    problem: str | None = Field(None, description="a repeat: what went wrong the time before")
    property_at_risk: bool = Field(False, description="as given, or as the kind implies")


class NavigationOut(BaseModel):
    geo: str = Field(description="RFC 5870 geo: URI")
    google_maps: str
    waze: str


class StopOut(BaseModel):
    ticket_id: int
    sequence: int
    kind: str
    problem: str | None = Field(None, description="a repeat visit: what went wrong before")
    lat: float
    lon: float
    eta: datetime
    window: WindowOut
    duration_min: float
    status: str
    navigation: NavigationOut
    leg_min: float = Field(description="planned driving into this stop")
    geometry: list[tuple[float, float]] | None = Field(
        default=None, description="the leg into this stop as [lat, lon] points, when known"
    )


class LunchOut(BaseModel):
    status: Literal["planned", "on_break", "taken"] = Field(
        description="planned: still to take, and the ETAs leave room for it"
    )
    window: WindowOut | None = Field(None, description="when it may be taken, by the calendar")
    minutes: float | None = None
    since: datetime | None = Field(None, description="on a break: since when")


class RouteOut(BaseModel):
    technician_id: int
    name: str
    shift: WindowOut
    stops: list[StopOut]
    lunch: LunchOut | None = Field(None, description="today's lunch; none in the calendar: null")


class TechnicianOut(BaseModel):
    id: int
    code: str
    name: str
    skills: list[str]
    home: LocationIn
    shift: WindowOut


class AffectedOut(BaseModel):
    ticket_id: int
    old_eta: datetime
    new_eta: datetime
    promised_end: datetime
    breaks_promise: bool


class ScoreOut(BaseModel):
    value: float = Field(description="lower is better")
    eta_min: float
    added_travel_min: float
    rated_bonus_min: float
    explanation: str


class CandidateOut(BaseModel):
    technician_id: int
    name: str
    travel_min: float = Field(description="driving time from where the technician is now")
    eta: datetime
    window: WindowOut = Field(description="the arrival window the customer will be promised")
    added_travel_min: float
    position: int = Field(description="stops ahead of this visit on the route")
    route_version: int = Field(description="send back when booking, to detect a stale plan")
    breaks_promises: bool
    affected_visits: list[AffectedOut]
    score: ScoreOut


class UrgencyOut(BaseModel):
    score: int
    may_push: bool
    reasons: list[str]


class CandidatesOut(BaseModel):
    ticket_id: int
    urgency: UrgencyOut
    candidates: list[CandidateOut] = Field(description="keep every promise; best first")
    breaking_promises: list[CandidateOut] = Field(
        description="would break another customer's promise; never booked without saying so"
    )
    reason: str | None = None


class QuotedTicketOut(TicketOut):
    quote: CandidatesOut | None = None


class BookIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"technician_id": 3, "route_version": 7}]}
    )

    technician_id: Annotated[StrictInt, Field(ge=1, le=MAX_ID)] | Literal["best"] = "best"
    route_version: StrictInt | None = Field(
        default=None, description="the version seen in the candidates; 409 if it moved"
    )
    allow_breaking_promises: StrictBool = False
    date: dt.date | None = Field(None, description="a slot on a later date (from /slots)")
    window_start: datetime | None = Field(None, description="the slot's window start")


class BookingOut(BaseModel):
    ticket: TicketOut
    promise_changed_events: int
