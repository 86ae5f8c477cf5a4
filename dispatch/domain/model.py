"""Tickets, technicians and visits.

Times are timezone-aware UTC; durations are whole seconds; coordinates are WGS84.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dispatch.domain.errors import InvalidInput
from dispatch.domain.urgency import UrgencyFactors

MAX_SERVICE = timedelta(hours=8)


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0:
            raise InvalidInput(f"latitude {self.lat} is outside -90..90")
        if not -180.0 <= self.lon <= 180.0:
            raise InvalidInput(f"longitude {self.lon} is outside -180..180")

    @property
    def latlon(self) -> tuple[float, float]:
        return (self.lat, self.lon)


@dataclass(frozen=True)
class TimeWindow:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise InvalidInput("window times need a UTC offset, e.g. 2026-11-24T10:00:00+01:00")
        if self.end < self.start:
            raise InvalidInput(
                f"window ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})"
            )

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment <= self.end

    def within(self, other: TimeWindow) -> bool:
        return other.start <= self.start and self.end <= other.end


class Priority(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class TicketStatus(enum.StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"  # nobody could take it today; a dispatcher must act
    COMPLETED = "completed"  # the visit is done; open until the customer confirms
    FAILED = "failed"  # the visit failed; a repeat visit is needed
    DONE = "done"
    CANCELLED = "cancelled"


class VisitStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # booked on a later date (``day_plan``); not on today's route
    PLANNED = "planned"
    EN_ROUTE = "en_route"
    ARRIVED = "arrived"
    STARTED = "started"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class Customer:
    name: str
    phone: str | None = None
    email: str | None = None
    locale: str = "nl"


@dataclass(frozen=True)
class LunchBreak:
    """Today's lunch from the technician's calendar: ``duration`` taken in one piece,
    begun no earlier than ``earliest`` and over by ``latest``."""

    earliest: datetime
    latest: datetime
    duration: timedelta


@dataclass
class Technician:
    id: int
    code: str
    name: str
    home: GeoPoint
    shift: TimeWindow
    skills: frozenset[str]
    rated_for: frozenset[str] = frozenset()  # kinds of work they are rated for (repeats)
    position: GeoPoint | None = None  # last reported position, if any
    seen_at: datetime | None = None
    lunch: LunchBreak | None = None  # today's, set with the shift by the calendar

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name

    def has_skills(self, required: frozenset[str]) -> bool:
        return required <= self.skills


@dataclass
class Visit:
    """A ticket placed on a technician's route; ``window`` is what the customer was told."""

    ticket_id: int
    technician_id: int
    sequence: int
    location: GeoPoint
    eta: datetime
    service: timedelta
    window: TimeWindow
    status: VisitStatus = VisitStatus.PLANNED
    leg_s: int = 0  # planned driving into this stop from the one before it
    promise_version: int = 0  # how many windows the customer has been given so far
    told: TimeWindow | None = None  # the window last told to the customer (None: ``window``)
    soon_told_version: int | None = None  # promise version "arriving soon" was raised at

    @property
    def locked(self) -> bool:
        """Started or en route: the technician is committed to it."""
        return self.status in (VisitStatus.EN_ROUTE, VisitStatus.ARRIVED, VisitStatus.STARTED)

    @property
    def open(self) -> bool:
        return self.status == VisitStatus.PLANNED or self.locked

    @property
    def departs(self) -> datetime:
        return self.eta + self.service

    @property
    def promise(self) -> TimeWindow:
        """What the customer was told. ``window`` narrows silently inside it as the ETA
        firms up; only an ETA leaving the promise is news."""
        return self.told or self.window


@dataclass
class Ticket:
    id: int
    customer: Customer
    location: GeoPoint
    kind: str
    skills: frozenset[str]
    service: timedelta
    priority: Priority
    tracking_token: str
    created_at: datetime
    window: TimeWindow | None = None
    status: TicketStatus = TicketStatus.OPEN
    unassigned_reason: str | None = None
    visit: Visit | None = field(default=None)
    factors: UrgencyFactors = field(default_factory=UrgencyFactors)
    repeat_of: int | None = None
    # when the customer can receive the technician ("tomorrow morning or Thursday after
    # 14:00"); ``window`` is then their envelope, for whatever needs one range
    availability: tuple[TimeWindow, ...] = ()
    problem: str = ""  # a repeat visit: what went wrong the time before, for the technician

    @property
    def spans(self) -> tuple[TimeWindow, ...]:
        """The customer's windows: the availability, the one window, or none (any time)."""
        return self.availability or ((self.window,) if self.window else ())

    def span_at(self, t: datetime) -> TimeWindow | None:
        """The customer's window holding ``t``; None when ``t`` falls in none of them
        (with no windows at all, any time is fine: None too, so check ``spans``)."""
        return next((s for s in self.spans if s.start <= t <= s.end), None)

    def available(self, w: TimeWindow) -> bool:
        """A promised window lies inside one of the customer's windows (or no limits)."""
        return not self.spans or any(s.start <= w.start and w.end <= s.end for s in self.spans)

    def __post_init__(self) -> None:
        if self.availability:
            self.availability = tuple(sorted(self.availability, key=lambda w: w.start))
            self.window = TimeWindow(self.availability[0].start,
                                     max(w.end for w in self.availability))  # fmt: skip
        if self.service <= timedelta(0) or self.service > MAX_SERVICE:
            raise InvalidInput(
                f"service duration must be more than 0 and at most 8 hours, "
                f"got {self.service.total_seconds() / 60:g} minutes"
            )
