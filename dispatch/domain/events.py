"""What happened to a customer's visit, as typed facts the route raises.

Every event names the visit (by its ticket) and the *promise version* it was raised
under: the count of windows the customer has been given for that visit. Together with
the event's kind that makes a key no retry can repeat and no real change can share,
so the outbox writes each fact exactly once (``dispatch.store.event_codec``).

Events are frozen: once raised they are history, and a later reader (the notifier,
the simulator's KPI report) must see exactly what the route saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from dispatch.domain.model import TimeWindow


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = "Event"

    ticket_id: int
    technician_id: int
    promise_version: int
    at: datetime  # when the route changed, by the injected clock

    @property
    def subject(self) -> str:
        """The visit the event is about; promise versions count per visit."""
        return f"visit:{self.ticket_id}"


@dataclass(frozen=True)
class VisitBooked(Event):
    """A ticket was put on a route: the customer's first promise."""

    kind: ClassVar[str] = "VisitBooked"

    window: TimeWindow
    eta: datetime


@dataclass(frozen=True)
class PromiseChanged(Event):
    """The window the customer was told no longer holds the ETA."""

    kind: ClassVar[str] = "PromiseChanged"

    old_window: TimeWindow
    new_window: TimeWindow
    old_eta: datetime
    new_eta: datetime
    reason: str
    pushed_by_ticket: int | None = None  # an urgent booking that went before this visit


@dataclass(frozen=True)
class VisitOnTheWay(Event):
    """The technician has left for this customer: the window can only narrow now."""

    kind: ClassVar[str] = "VisitOnTheWay"

    window: TimeWindow
    eta: datetime


@dataclass(frozen=True)
class VisitArrivingSoon(Event):
    """The technician driving to this customer is about ten minutes away."""

    kind: ClassVar[str] = "VisitArrivingSoon"

    eta: datetime


@dataclass(frozen=True)
class VisitReassigned(Event):
    """The optimiser handed the visit to another technician; the promise is kept."""

    kind: ClassVar[str] = "VisitReassigned"

    previous_technician_id: int
    window: TimeWindow
    eta: datetime


@dataclass(frozen=True)
class VisitCompleted(Event):
    """The technician reports the work done; the case waits for the customer's word."""

    kind: ClassVar[str] = "VisitCompleted"


@dataclass(frozen=True)
class VisitFailed(Event):
    """The visit could not solve the problem; a repeat visit is needed."""

    kind: ClassVar[str] = "VisitFailed"


@dataclass(frozen=True)
class VisitReleased(Event):
    """Taken off the route with nobody to take it yet (the technician is off sick, say):
    the ticket waits, unassigned, and the customer's window is no longer held."""

    kind: ClassVar[str] = "VisitReleased"

    window: TimeWindow  # the window the customer held
    reason: str


EVENT_TYPES: tuple[type[Event], ...] = (
    VisitBooked,
    PromiseChanged,
    VisitOnTheWay,
    VisitArrivingSoon,
    VisitReassigned,
    VisitCompleted,
    VisitFailed,
    VisitReleased,
)
