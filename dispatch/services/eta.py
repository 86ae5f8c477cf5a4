"""Arrival times recomputed from what the technician is actually doing.

The route is re-timed from the live state (position, the open visit, a break or a
breakdown, an announced delay) with travel times at the departure time. Each customer's
window narrows as the ETA firms up; an ETA that leaves the promised window becomes a
``PromiseChanged`` event, so nobody learns of a slip by waiting in vain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dispatch.domain.eta_model import ErrorModel, horizon_bucket
from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.model import GeoPoint, Technician, Visit, VisitStatus
from dispatch.domain.promise import PROMISE_CHANGED, renew
from dispatch.store.uow import UnitOfWork
from solver.traveltime.protocol import TravelTimes

DEFAULT_BREAK = timedelta(minutes=30)


@dataclass(frozen=True)
class Retimed:
    ticket_id: int
    eta: datetime
    leg_s: int


def _free_from(tech: Technician, state: FieldState, now: datetime) -> datetime:
    """When the technician can next drive off."""
    t = max(now, tech.shift.start)
    if state.activity == Activity.BROKEN_DOWN and state.back_at is not None:
        t = max(t, state.back_at)
    elif state.activity == Activity.ON_BREAK and state.since is not None:
        t = max(t, state.since + DEFAULT_BREAK)
    return t + state.delay


def retime(
    tech: Technician,
    visits: list[Visit],
    state: FieldState,
    now: datetime,
    travel: TravelTimes,
) -> list[Retimed]:
    """New ETAs for the open visits, in route order."""
    if not visits:
        return []
    out: list[Retimed] = []
    rest = visits
    here: GeoPoint = state.position or tech.position or tech.home
    t = _free_from(tech, state, now)
    first = visits[0]
    if state.ticket_id == first.ticket_id and state.activity in (
        Activity.ON_SITE,
        Activity.WORKING,
    ):
        arrived = state.since or now
        began = state.started_at.get(first.ticket_id, arrived)
        out.append(Retimed(first.ticket_id, arrived, first.leg_s))
        t = max(now, began + first.service) + state.delay
        here = first.location
        rest = visits[1:]
    if not rest:
        return out
    origins = [here.latlon] + [v.location.latlon for v in rest[:-1]]
    legs = travel.matrix(origins, [v.location.latlon for v in rest], t)
    for k, v in enumerate(rest):
        leg = round(float(legs[k, k]))
        eta = t + timedelta(seconds=leg)
        out.append(Retimed(v.ticket_id, eta, leg))
        t = eta + v.service
    return out


DAY = timedelta(hours=18)


def day_model(uow: UnitOfWork, now: datetime) -> ErrorModel:
    """The error model fitted on today's settled predictions."""
    return ErrorModel.fit(uow.predictions.errors_since(now - DAY))


def refresh_technician(
    uow: UnitOfWork,
    tech: Technician,
    state: FieldState,
    now: datetime,
    travel: TravelTimes,
    model: ErrorModel | None = None,
) -> int:
    """Store fresh ETAs and windows for one route; returns the promise changes written."""
    visits = [v for v in uow.technicians.route(tech.id) if v.open]
    changes = 0
    for ahead, r in enumerate(retime(tech, visits, state, now, travel)):
        visit = next(v for v in visits if v.ticket_id == r.ticket_id)
        if visit.status not in (VisitStatus.ARRIVED, VisitStatus.STARTED):
            uow.predictions.record(r.ticket_id, tech.id, horizon_bucket(r.eta - now), now, r.eta)
        if visit.status in (VisitStatus.ARRIVED, VisitStatus.STARTED):
            window, changed = visit.window, False  # the customer can see the technician
        else:
            window, changed = renew(visit.window, now, r.eta, ahead, model)
        uow.tickets.update_visit(r.ticket_id, eta=r.eta, leg_s=r.leg_s, window=window)
        if changed:
            changes += uow.outbox.add(
                PROMISE_CHANGED,
                r.ticket_id,
                f"{PROMISE_CHANGED}:{r.ticket_id}:{window.start.isoformat()}",
                {
                    "ticket_id": r.ticket_id,
                    "reason": "running late" if r.eta > visit.window.end else "running early",
                    "old_window": [visit.window.start.isoformat(), visit.window.end.isoformat()],
                    "new_window": [window.start.isoformat(), window.end.isoformat()],
                    "eta": r.eta.isoformat(),
                },
                now,
            )
    return changes
