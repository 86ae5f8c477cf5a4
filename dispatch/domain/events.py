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

    @property
    def detail(self) -> str:
        """What else makes this fact unique beyond visit, kind and promise version (the
        outbox key); most events need nothing more."""
        return ""


@dataclass(frozen=True)
class VisitBooked(Event):
    """A ticket was put on a route: the customer's first promise."""

    kind: ClassVar[str] = "VisitBooked"

    window: TimeWindow
    eta: datetime
    # "new": the customer's confirmation; "held": held for a customer a force-majeure
    # message tells (that message says it, not a second one); "rebooked": the customer
    # chose it from such a message
    occasion: str = "new"


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

    @property
    def detail(self) -> str:
        """A hand-over keeps the promise version, yet a visit handed on and back again is
        news each time (the name on the page changed): who took it, and when."""
        return f"/to{self.technician_id}@{self.at.isoformat()}"


@dataclass(frozen=True)
class VisitResequenced(Event):
    """A dispatcher put the visit at another place in its technician's route. Every
    promise holds (the route refuses a move that breaks one), so no customer is told;
    it is for the audit, when someone asks who moved a visit."""

    kind: ClassVar[str] = "VisitResequenced"

    position: int  # among the technician's open visits, 0 first
    window: TimeWindow  # the promise, kept
    eta: datetime

    @property
    def detail(self) -> str:
        """Moved back and forth under one promise version: each move is its own fact."""
        return f"/at{self.position}@{self.at.isoformat()}"


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


@dataclass(frozen=True)
class VisitCancelled(Event):
    """The customer (through their link) or an agent cancelled the case before the
    visit: the slot is free, and the customer is told which appointment is off."""

    kind: ClassVar[str] = "VisitCancelled"

    window: TimeWindow
    by: str  # customer, agent


@dataclass(frozen=True)
class ForceMajeure(Event):
    """A disruption broke this visit's appointment and nobody can keep it: the customer
    is told what happened, with new appointments, the first ``held`` for them until
    ``hold_until``. A visit already started gets it without offers (``held`` None): the
    repair estimate, and the dispatcher decides. One per visit and disruption."""

    kind: ClassVar[str] = "ForceMajeure"

    disruption_id: int
    cause: str  # a ``Reason`` value: breakdown, absence, weather
    note: str  # the disruption's own plain words
    old_window: TimeWindow
    back_at: datetime | None  # when the technician is expected back (the repair's end)
    held: TimeWindow | None  # the new appointment held for the customer
    held_technician_id: int | None
    hold_until: datetime | None
    alternatives: tuple[TimeWindow, ...] = ()  # offered too, not held

    @property
    def detail(self) -> str:
        return f"/d{self.disruption_id}"


@dataclass(frozen=True)
class WeatherNotice(Event):
    """A slowdown (snow, ice, storm) covers this visit's place and time: we are on our
    way but cannot guarantee the time. ``old_window`` is set when the slowdown moved the
    window: the notice is then also the new window (one message, not two)."""

    kind: ClassVar[str] = "WeatherNotice"

    disruption_id: int
    note: str
    window: TimeWindow
    eta: datetime
    old_window: TimeWindow | None = None

    @property
    def detail(self) -> str:
        return f"/d{self.disruption_id}"


@dataclass(frozen=True)
class AppointmentConfirmed(Event):
    """A held appointment is final: the customer chose it, or the hold ran out."""

    kind: ClassVar[str] = "AppointmentConfirmed"

    window: TimeWindow
    eta: datetime
    chosen: bool  # False: the hold ran out without an answer


# The news a route or a day plan passes on without changing a visit (``tell``).
Notice = ForceMajeure | WeatherNotice | AppointmentConfirmed
# Why a visit leaves its route or day plan for good, as its customer is told (``give_up``).
Farewell = ForceMajeure | VisitCancelled

EVENT_TYPES: tuple[type[Event], ...] = (
    VisitBooked,
    PromiseChanged,
    VisitOnTheWay,
    VisitArrivingSoon,
    VisitReassigned,
    VisitResequenced,
    VisitCompleted,
    VisitFailed,
    VisitReleased,
    VisitCancelled,
    ForceMajeure,
    WeatherNotice,
    AppointmentConfirmed,
)
