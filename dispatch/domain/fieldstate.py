"""What a technician is doing, derived from their event log alone.

The state is a pure function of the *set* of events, replayed in ``at`` order (ties by
``event_id``). So a repeated post, a retry after a lost answer, or events arriving out
of order all give the same state: the phone may be offline in a cellar for an hour.

Transitions a phone must not be able to make (completing a visit that was never
started, starting a second visit while one is open) raise ``ImpossibleTransition``,
which names the state the technician was in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from dispatch.domain.errors import Conflict
from dispatch.domain.model import GeoPoint, VisitStatus


class EventType(enum.StrEnum):
    POSITION = "position"
    EN_ROUTE = "en_route"
    ARRIVED = "arrived"
    STARTED = "started"
    COMPLETED = "completed"
    FAILED = "failed"
    BREAK_START = "break_start"
    BREAK_END = "break_end"
    BREAKDOWN = "breakdown"
    DELAYED = "delayed"


NEEDS_TICKET = {
    EventType.EN_ROUTE,
    EventType.ARRIVED,
    EventType.STARTED,
    EventType.COMPLETED,
    EventType.FAILED,
}


class Activity(enum.StrEnum):
    IDLE = "idle"
    DRIVING = "driving"
    ON_SITE = "on_site"
    WORKING = "working"
    ON_BREAK = "on_break"
    BROKEN_DOWN = "broken_down"


@dataclass(frozen=True)
class FieldEvent:
    event_id: str
    type: EventType
    at: datetime
    position: GeoPoint | None = None
    ticket_id: int | None = None
    delay: timedelta = timedelta(0)
    note: str | None = None
    snap_m: float | None = None  # how far the reported position was from the road

    @property
    def order(self) -> tuple[datetime, str]:
        return (self.at, self.event_id)


class ImpossibleTransition(Conflict):
    def __init__(self, event: FieldEvent, state: FieldState, why: str) -> None:
        self.event = event
        self.state = state
        current = state.activity.value
        if state.ticket_id is not None:
            current += f" (ticket {state.ticket_id})"
        super().__init__(
            f"event {event.event_id!r} ({event.type.value}"
            + (f" for ticket {event.ticket_id}" if event.ticket_id is not None else "")
            + f" at {event.at.isoformat()}) is impossible: {why}; "
            f"the technician was {current}"
        )


@dataclass(frozen=True)
class FieldState:
    activity: Activity = Activity.IDLE
    ticket_id: int | None = None  # the visit being driven to or worked on
    since: datetime | None = None  # when the current activity began
    position: GeoPoint | None = None
    position_at: datetime | None = None
    delay: timedelta = timedelta(0)  # announced delay not yet absorbed by a visit
    back_at: datetime | None = None  # end of an announced breakdown repair
    break_ended_at: datetime | None = None  # the last break's end: lunch taken (``lunch``)
    visits: dict[int, VisitStatus] = field(default_factory=dict)
    arrived_at: dict[int, datetime] = field(default_factory=dict)
    started_at: dict[int, datetime] = field(default_factory=dict)
    finished_at: dict[int, datetime] = field(default_factory=dict)


def _with_visit(s: FieldState, ticket: int, status: VisitStatus, **changes: object) -> FieldState:
    visits = {**s.visits, ticket: status}
    return replace(s, visits=visits, **changes)  # type: ignore[arg-type]


def apply(s: FieldState, e: FieldEvent) -> FieldState:
    if e.position is not None:
        s = replace(s, position=e.position, position_at=e.at)
    t = e.ticket_id
    busy = s.activity in (Activity.ON_SITE, Activity.WORKING)
    if e.type == EventType.POSITION:
        return s
    if e.type == EventType.DELAYED:
        return replace(s, delay=s.delay + e.delay)
    if e.type == EventType.BREAKDOWN:
        if busy:
            raise ImpossibleTransition(e, s, "a breakdown cannot be reported while on site")
        return replace(s, activity=Activity.BROKEN_DOWN, since=e.at, back_at=e.at + e.delay)
    if e.type == EventType.BREAK_START:
        if busy or s.activity == Activity.ON_BREAK:
            raise ImpossibleTransition(e, s, "a break starts only between visits")
        return replace(s, activity=Activity.ON_BREAK, since=e.at)
    if e.type == EventType.BREAK_END:
        if s.activity != Activity.ON_BREAK:
            raise ImpossibleTransition(e, s, "no break was started")
        return replace(s, activity=Activity.IDLE, since=e.at, break_ended_at=e.at)
    assert t is not None
    done = s.visits.get(t) in (VisitStatus.COMPLETED, VisitStatus.FAILED)
    if done:
        raise ImpossibleTransition(e, s, f"ticket {t} is already {s.visits[t].value}")
    if e.type == EventType.EN_ROUTE:
        if busy:
            raise ImpossibleTransition(e, s, "the open visit must be completed or failed first")
        visits = dict(s.visits)
        if s.activity == Activity.DRIVING and s.ticket_id not in (None, t):
            visits[s.ticket_id] = VisitStatus.PLANNED  # re-routed to another visit
        return _with_visit(
            replace(s, visits=visits),
            t,
            VisitStatus.EN_ROUTE,
            activity=Activity.DRIVING,
            ticket_id=t,
            since=e.at,
            back_at=None,
        )
    if e.type == EventType.ARRIVED:
        if busy and s.ticket_id != t:
            raise ImpossibleTransition(e, s, "another visit is still open")
        return _with_visit(
            s,
            t,
            VisitStatus.ARRIVED,
            arrived_at={**s.arrived_at, t: s.arrived_at.get(t, e.at)},
            activity=Activity.ON_SITE,
            ticket_id=t,
            since=e.at,
            delay=timedelta(0),
            back_at=None,
        )
    if e.type == EventType.STARTED:
        if busy and s.ticket_id != t:
            raise ImpossibleTransition(e, s, "starting a second visit while one is open")
        if s.activity == Activity.WORKING:
            raise ImpossibleTransition(e, s, "this visit was already started")
        return _with_visit(
            s,
            t,
            VisitStatus.STARTED,
            activity=Activity.WORKING,
            ticket_id=t,
            since=e.at,
            delay=timedelta(0),
            back_at=None,
            started_at={**s.started_at, t: e.at},
            arrived_at={**s.arrived_at, t: s.arrived_at.get(t, e.at)},
        )
    # COMPLETED / FAILED
    if s.activity != Activity.WORKING or s.ticket_id != t:
        if e.type == EventType.COMPLETED:
            raise ImpossibleTransition(e, s, f"ticket {t} was never started")
        if not (s.activity == Activity.ON_SITE and s.ticket_id == t):
            raise ImpossibleTransition(e, s, f"the technician is not at ticket {t}")
    status = VisitStatus.COMPLETED if e.type == EventType.COMPLETED else VisitStatus.FAILED
    return _with_visit(
        s,
        t,
        status,
        activity=Activity.IDLE,
        ticket_id=None,
        since=e.at,
        finished_at={**s.finished_at, t: e.at},
    )


def replay(events: Iterable[FieldEvent], start: FieldState | None = None) -> FieldState:
    """Apply each distinct ``event_id`` once, in ``at`` order."""
    unique = {e.event_id: e for e in events}
    state = start or FieldState()
    for e in sorted(unique.values(), key=lambda ev: ev.order):
        state = apply(state, e)
    return state


def summary(state: FieldState) -> dict[str, object]:
    """What the ETA engine needs of a state, as plain JSON-able values."""
    t = state.ticket_id

    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "activity": state.activity.value,
        "ticket_id": t,
        "since": iso(state.since),
        "back_at": iso(state.back_at),
        "delay_s": int(state.delay.total_seconds()),
        "started_at": iso(state.started_at.get(t)) if t is not None else None,
        "break_ended_at": iso(state.break_ended_at),
    }


def from_summary(data: dict[str, object] | None) -> FieldState:
    if not data:
        return FieldState()

    def when(key: str) -> datetime | None:
        value = data.get(key)
        return datetime.fromisoformat(value) if isinstance(value, str) else None

    ticket = data.get("ticket_id")
    ticket_id = ticket if isinstance(ticket, int) else None
    started = when("started_at")
    delay = data.get("delay_s")
    return FieldState(
        activity=Activity(str(data.get("activity", "idle"))),
        ticket_id=ticket_id,
        since=when("since"),
        back_at=when("back_at"),
        break_ended_at=when("break_ended_at"),
        delay=timedelta(seconds=delay if isinstance(delay, int) else 0),
        started_at={ticket_id: started} if ticket_id is not None and started else {},
    )
