"""Record what technicians report, and let it change the day at once.

Events are stored once per ``event_id`` and the technician's state is replayed from
the whole log in ``at`` order, so repeats and late arrivals are harmless. Visit and
ticket statuses, the technician's position and the route's ETAs are updated in the
same transaction, so the route a phone or a customer fetches next already shows it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dispatch.clock import Clock
from dispatch.domain.case import CaseEvent, CaseEventKind
from dispatch.domain.disruption import Disruption, DisruptionKind
from dispatch.domain.errors import InvalidInput, NotFound, StaleRoute
from dispatch.domain.fieldstate import (
    NEEDS_TICKET,
    Activity,
    EventType,
    FieldEvent,
    FieldState,
    replay,
)
from dispatch.domain.model import GeoPoint, Technician, TicketStatus, VisitStatus
from dispatch.domain.route import Route
from dispatch.domain.service_area import outside
from dispatch.services import error_models
from dispatch.services.disruptions import busy_until, causes, pending
from dispatch.services.eta import day_model, refresh_technician
from dispatch.services.retry import with_retries
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

log = logging.getLogger(__name__)

# Maps a reported position to the road network: (snapped point, distance in metres).
Snapper = Callable[[GeoPoint], tuple[GeoPoint, float]]

TICKET_AFTER_VISIT = {
    VisitStatus.COMPLETED: TicketStatus.COMPLETED,
    VisitStatus.FAILED: TicketStatus.FAILED,
}


@dataclass(frozen=True)
class Recorded:
    accepted: int
    duplicates: int
    state: FieldState
    promise_changes: int


def record_events(
    uow: UnitOfWork,
    clock: Clock,
    travel: TravelTimes,
    technician_id: int,
    events: Sequence[FieldEvent],
    snap: Snapper | None = None,
) -> Recorded:
    _check_plausible(events, clock.now())
    if events and all(e.type == EventType.POSITION for e in events):
        return _record_positions(uow, clock, technician_id, events, snap, travel)

    def attempt() -> Recorded:
        with uow:
            tech = uow.technicians.get(technician_id)
            if tech is None:
                raise NotFound(f"technician {technician_id} does not exist")
            _check_served(tech, events, travel)
            route = uow.routes.get(technician_id)
            _check_tickets(route, technician_id, events)
            stored = uow.events.for_technician(technician_id)
            known = {e.event_id for e in stored}
            fresh: dict[str, FieldEvent] = {}
            for e in events:
                if e.event_id not in known and e.event_id not in fresh:
                    fresh[e.event_id] = _snapped(e, snap)
            before = replay(stored)
            state = replay([*stored, *fresh.values()])  # raises ImpossibleTransition
            now = clock.now()
            for e in fresh.values():
                uow.events.add(technician_id, e, now)
                if e.type == EventType.BREAKDOWN and e.delay > timedelta(0):
                    _record_breakdown(uow, technician_id, e, now)
            if state.position is not None and state.position_at is not None:
                uow.technicians.set_position(technician_id, state.position, state.position_at)
            uow.technicians.set_field_state(technician_id, state)
            for ticket_id, arrived in state.arrived_at.items():
                if ticket_id not in before.arrived_at:
                    uow.predictions.settle(ticket_id, arrived)
                    error_models.settled(uow, ticket_id)
            for ticket_id, status in state.visits.items():
                if before.visits.get(ticket_id) != status:
                    route.set_status(ticket_id, status, now)
                    uow.tickets.set_status(
                        ticket_id, TICKET_AFTER_VISIT.get(status, TicketStatus.ASSIGNED)
                    )
                    _case_event(uow, technician_id, ticket_id, status, fresh.values(), now,
                                (state.started_at.get(ticket_id), route.visit(ticket_id).service))
            tech = uow.technicians.get(technician_id) or tech
            # A breakdown is not re-timed here: his planned work first goes to whoever
            # keeps its window (the take-over, started by the API), so those customers
            # hear one thing, the new name; what stays is re-timed at the next refresh.
            broke = any(e.type == EventType.BREAKDOWN for e in fresh.values())
            broke = broke or technician_id in pending(uow, now)  # not yet drawn either
            changes = (
                refresh_technician(uow, route, tech, state, now, travel, day_model(uow, now),
                                   busy_until(uow, now).get(technician_id),
                                   causes(uow, now).get(technician_id))
                if fresh and not broke
                else 0
            )
            if not uow.routes.save(route):  # a booking or another post changed the route
                raise StaleRoute(f"the route of technician {technician_id} changed meanwhile")
            uow.commit()
            return Recorded(len(fresh), len(events) - len(fresh), state, changes)

    return with_retries(attempt, clock, "recording events")


CASE_AFTER_VISIT = {VisitStatus.COMPLETED: CaseEventKind.VISIT_COMPLETED,
                   VisitStatus.FAILED: CaseEventKind.VISIT_FAILED}  # fmt: skip


def _case_event(uow: UnitOfWork, technician_id: int, ticket_id: int, status: VisitStatus,
                events: Iterable[FieldEvent], now: datetime,
                door: tuple[datetime | None, timedelta]) -> None:  # fmt: skip
    """A visit that ended is a step of its case: done (the customer decides) or failed
    (a repeat follows), with the technician's note on what went wrong, and the door time
    (started to done) against the plan, for the technicians' report."""
    kind = CASE_AFTER_VISIT.get(status)
    if kind is None:
        return
    mine = [e for e in events if e.ticket_id == ticket_id]
    notes = [e.note for e in mine if e.note]
    ended = max((e.at for e in mine if e.type.value == status.value), default=now)
    started, planned = door
    detail = {"technician_id": technician_id, "note": notes[-1] if notes else "",
              "planned_min": round(planned.total_seconds() / 60, 1),
              "door_min": round((ended - started).total_seconds() / 60, 1) if started else None}
    uow.cases.add(CaseEvent(ticket_id, now, kind, "technician", detail))


def phone_breakdown(technician_id: int, e: FieldEvent, now: datetime) -> Disruption:
    """The phone's breakdown as a disruption the dispatcher sees and can end or correct;
    a new event id is a new breakdown, a retried one was never added twice. Customers
    read the reason, so it is ours, not the technician's note. It counts from now at
    the latest: a phone's clock a minute ahead must not postpone its handling."""
    start = min(e.at, now)
    return Disruption(0, DisruptionKind.BREAKDOWN, start, start + e.delay, PHONE_BREAKDOWN,
                      technician_id, source="phone")  # fmt: skip


def _record_breakdown(uow: UnitOfWork, technician_id: int, e: FieldEvent, now: datetime) -> None:
    """One record per absence: a second report while one lasts leaves the first (its
    customers were told already); the dispatcher corrects its end if need be."""
    d = phone_breakdown(technician_id, e, now)
    if any(o.technician_id == technician_id for o in uow.disruptions.overlapping(d.start, d.end)):
        log.info("technician %s reported a breakdown while one is recorded; kept the first",
                 technician_id)  # fmt: skip
        return
    uow.disruptions.add(d, now)


PHONE_BREAKDOWN = "our technician's van broke down on the way"

# A phone's clock may be off a little, and a phone offline in a cellar reports late;
# an event from next year or last month is a broken clock, and would freeze the state.
FUTURE_SLACK = timedelta(minutes=5)
PAST_LIMIT = timedelta(days=2)


def _check_plausible(events: Sequence[FieldEvent], now: datetime) -> None:
    for e in events:
        if e.at > now + FUTURE_SLACK or e.at < now - PAST_LIMIT:
            raise InvalidInput(
                f"event {e.event_id!r} is dated {e.at.isoformat()}, more than 5 minutes ahead "
                "of or 2 days behind the service's clock; check the phone's clock"
            )
        if e.type == EventType.POSITION and e.position is None:
            raise InvalidInput(f"event {e.event_id!r} is a position without lat and lon")


def _check_served(tech: Technician, events: Sequence[FieldEvent], travel: TravelTimes) -> None:
    """A fix outside the roads we have, or farther than ``REACH_KM`` from his home, is a
    broken GPS (``domain.service_area``)."""
    covers = getattr(travel, "covers", None)
    for e in events:
        if e.position is not None and outside(e.position, [tech.home], covers):
            raise InvalidInput(f"event {e.event_id!r}: ({e.position.lat:.5f}, "
                               f"{e.position.lon:.5f}) is outside the service area")  # fmt: skip


def _check_tickets(route: Route, technician_id: int, events: Sequence[FieldEvent]) -> None:
    for e in events:
        if e.type in NEEDS_TICKET and e.ticket_id is None:
            raise InvalidInput(f"event {e.event_id!r} ({e.type.value}) needs a ticket_id")
        if e.ticket_id is not None and e.ticket_id not in route:
            raise InvalidInput(
                f"event {e.event_id!r}: ticket {e.ticket_id} is not on the route of "
                f"technician {technician_id}"
            )


def _snapped(e: FieldEvent, snap: Snapper | None) -> FieldEvent:
    if e.position is None or snap is None:
        return e
    point, distance = snap(e.position)
    return FieldEvent(
        e.event_id, e.type, e.at, point, e.ticket_id, e.delay, e.note, snap_m=round(distance, 1)
    )


def _record_positions(
    uow: UnitOfWork,
    clock: Clock,
    technician_id: int,
    events: Sequence[FieldEvent],
    snap: Snapper | None,
    travel: TravelTimes,
) -> Recorded:
    """Positions only: store them and move the technician, without a replay.

    A position never changes a visit's state, so the full replay and re-timing are not
    needed; the next ``refresh_etas`` cycle (60 s by default) re-times the route from
    the new position. This keeps a fleet's phones reporting every few seconds cheap.
    """
    with uow:
        tech = uow.technicians.get(technician_id)
        if tech is None:
            raise NotFound(f"technician {technician_id} does not exist")
        _check_served(tech, events, travel)
        known = uow.events.known_ids(technician_id, [e.event_id for e in events])
        fresh: dict[str, FieldEvent] = {}
        for e in events:
            if e.event_id not in known and e.event_id not in fresh:
                fresh[e.event_id] = _snapped(e, snap)
        now = clock.now()
        for e in fresh.values():
            uow.events.add(technician_id, e, now)
        latest = max(fresh.values(), key=lambda e: e.order, default=None)
        position, seen = tech.position, tech.seen_at
        if (
            latest is not None
            and latest.position is not None
            and (seen is None or latest.at >= seen)
        ):
            position, seen = latest.position, latest.at
            uow.technicians.set_position(technician_id, position, seen)
        activity, ticket_id = uow.technicians.activity(technician_id)
        uow.commit()
    state = FieldState(
        activity=Activity(activity),
        ticket_id=ticket_id,
        position=position,
        position_at=seen,
    )
    return Recorded(len(fresh), len(events) - len(fresh), state, 0)
