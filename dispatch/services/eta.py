"""Arrival times recomputed from what the technician is actually doing.

The route is re-timed from the live state (position, the open visit, a break or a
breakdown, an announced delay) with travel times at the departure time. Each customer's
window narrows as the ETA firms up; an ETA that leaves the promised window becomes a
``PromiseChanged`` event, so nobody learns of a slip by waiting in vain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from dispatch.domain import job_end, lunch
from dispatch.domain.eta_model import AfterIdle, ErrorModel, horizon_bucket
from dispatch.domain.events import PromiseChanged
from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.model import GeoPoint, Technician, TimeWindow, Visit, VisitStatus
from dispatch.domain.promise import ARRIVING_NEAR_M, half_width_for, late_tolerance, renew
from dispatch.domain.route import Route
from dispatch.services import error_models
from dispatch.services.live import at, lunch_rule, ts
from dispatch.store.ports import UnitOfWork
from solver.day_schedule import NEVER, Door, LunchRule, arrivals_with_lunch
from solver.geo import metres
from solver.traveltime.hourly import HourFactor, at_hour, flat, hour_factor
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class Retimed:
    ticket_id: int
    eta: datetime
    leg_s: int


def _free_from(tech: Technician, state: FieldState, now: datetime,
               out_until: datetime | None) -> datetime:  # fmt: skip
    """When the technician can next drive off. A breakdown or an absence counts through
    its disruption record (``out_until``), not the phone's last word: a dispatcher may
    have declared it, or ended the phone's early."""
    t = max(now, tech.shift.start)
    back = lunch.back_from_break(tech, state)
    if out_until is not None:
        t = max(t, out_until)
    elif back is not None:
        t = max(t, back)
    return t + state.delay


@dataclass(frozen=True)
class Start:
    """Where and when the rest of the route begins, after any visit in progress."""

    here: GeoPoint
    at: datetime
    on_site: Retimed | None  # the visit being worked on now, if any
    rest: list[Visit]
    driven_s: int = 0  # of the drive to the first stop, already behind the technician
    overrun: timedelta = timedelta(0)  # how far the visit in progress ran past its plan
    near: bool = False  # a fix since leaving puts the technician at the next stop's door
    lunch: LunchRule | None = None  # still to take today (``dispatch.domain.lunch``)


def start_of(tech: Technician, visits: list[Visit], state: FieldState, now: datetime,
             out_until: datetime | None = None) -> Start:  # fmt: skip
    here, fix_at = _latest_fix(tech, state)
    t = _free_from(tech, state, now, out_until)
    if (
        visits
        and state.ticket_id == visits[0].ticket_id
        and state.activity
        in (
            Activity.ON_SITE,
            Activity.WORKING,
        )
    ):
        first = visits[0]
        arrived = state.since or now
        began = state.started_at.get(first.ticket_id, arrived)
        done = job_end.expected_end(began, first.service, now) + state.delay
        if out_until is not None:  # the work is done; the van waits for its repair
            done = max(done, out_until)
        on_site = Retimed(first.ticket_id, arrived, first.leg_s)
        overrun = max(timedelta(0), now - (began + first.service))
        rule = lunch_rule(lunch.due(tech, state), ts(done))
        return Start(first.location, done, on_site, visits[1:], overrun=overrun, lunch=rule)
    driven = _driven(visits, state, fix_at, now)
    return Start(here, t, None, visits, driven, near=_near(visits, state, here, fix_at),
                 lunch=lunch_rule(lunch.due(tech, state), ts(t)))  # fmt: skip


def _near(visits: list[Visit], state: FieldState, here: GeoPoint, fix_at: datetime | None) -> bool:
    """Within ``ARRIVING_NEAR_M`` of the stop being driven to, by a fix taken since
    leaving: a parking search can outlast an ETA that says "there"."""
    if not visits or fix_at is None or state.activity != Activity.DRIVING:
        return False
    if state.ticket_id != visits[0].ticket_id or (state.since and fix_at < state.since):
        return False
    return metres(here.latlon, visits[0].location.latlon) <= ARRIVING_NEAR_M


def _latest_fix(tech: Technician, state: FieldState) -> tuple[GeoPoint, datetime | None]:
    """Where the technician was last seen: the event log's position or the newer one
    the position fast path stored on the technician; home if never seen."""
    here, at = state.position, state.position_at
    if tech.position is not None and (at is None or (tech.seen_at and tech.seen_at > at)):
        here, at = tech.position, tech.seen_at
    return here or tech.home, at


def _driven(visits: list[Visit], state: FieldState, fix_at: datetime | None, now: datetime) -> int:
    """Seconds of the drive to the next stop already done. Without it the ETA of a
    technician on the road slides later with every refresh, as if they left just now:
    the drive is timed from the latest position fix after leaving, or from leaving."""
    if not visits or state.activity != Activity.DRIVING or state.ticket_id != visits[0].ticket_id:
        return 0
    left = state.since
    if fix_at is not None and (left is None or fix_at > left):
        left = fix_at  # the drive from that fix is what remains
    return 0 if left is None else max(0, int((now - left).total_seconds()))


def retime_from(start: Start, first_leg_s: int, factor: HourFactor = flat,
                free_s: Sequence[float] | None = None) -> list[Retimed]:  # fmt: skip
    """ETAs with a fresh first leg and the stored legs between later stops.

    Legs between two planned stops only change when the route does, and every route
    change stores them anew, so one travel query per route (from where the technician
    is) keeps a whole fleet's refresh fast. ``free_s``: fresh legs free of the hour (a
    reordered route), each driven at the traffic of its own departure (``factor``).

    A technician early at a door waits for the window the customer was told (the
    plan's own rule: no visit starts before its window), so the ETA is never before it
    and the wait pushes the stops behind it. An ETA that said "earlier" would tell
    the customer a new, earlier window minutes ahead, which the simulator showed as
    broken promises of customers not yet home (docs/benchmarks.md).

    A lunch still to take (``start.lunch``) is placed as the nightly plan places it
    (``solver.day_schedule``), so the customers after it are told a time after it.
    """
    out = [start.on_site] if start.on_site else []
    t = start.at
    drives: list[int] = []
    for k, v in enumerate(start.rest):
        if k == 0:
            leg = first_leg_s
        elif free_s is not None:
            leg = at_hour(free_s[k], t, factor)
        else:
            leg = v.leg_s
        ahead = max(leg - start.driven_s, 0) if k == 0 else leg
        drives.append(ahead)
        eta = max(t + timedelta(seconds=ahead), v.promise.start)
        out.append(Retimed(v.ticket_id, eta, leg))
        t = eta + v.service
    if start.lunch is None or not start.rest:
        return out
    doors = [Door(int(v.service.total_seconds()), ts(v.promise.start), ts(v.promise.end))
             for v in start.rest]  # fmt: skip
    arrivals = arrivals_with_lunch(ts(start.at), NEVER, start.lunch, drives, doors)
    if arrivals is None:
        return out
    head = len(out) - len(start.rest)
    timed = zip(out[head:], arrivals, doors, strict=True)
    return out[:head] + [replace(r, eta=at(max(a, d.open_s))) for r, a, d in timed]


def retime(
    tech: Technician,
    visits: list[Visit],
    state: FieldState,
    now: datetime,
    travel: TravelTimes,
    out_until: datetime | None = None,
) -> list[Retimed]:
    """New ETAs for the open visits, in route order."""
    start = start_of(tech, visits, state, now, out_until)
    factor = hour_factor(travel, start.here.latlon)
    first = 0
    if start.rest:
        free = travel.matrix([start.here.latlon], [start.rest[0].location.latlon])[0, 0]
        first = at_hour(float(free), start.at, factor)
    return retime_from(start, first, factor)


@dataclass(frozen=True)
class VisitUpdate:
    ticket_id: int
    eta: datetime
    leg_s: int
    window: TimeWindow
    horizon: int | None  # the prediction bucket to record, None when already on site
    tolerance: timedelta = timedelta(0)  # how far past the told end is still noise
    near: bool = False  # the technician is at the door (see ``Start.near``)
    early: timedelta = timedelta(0)  # how far before the told start is still noise
    scale_s: int = 0  # the default half-width for it: what its error is measured against


def plan_updates(
    visits: list[Visit],
    retimed: list[Retimed],
    now: datetime,
    model: ErrorModel | None,
    overrun: timedelta = timedelta(0),
    near: bool = False,
    idle: timedelta = timedelta(0),
) -> list[VisitUpdate]:
    """The working windows: they narrow while the ETA stays inside, and re-centre around
    an ETA that left them. Whether that breaks what the customer was told is the route's
    to decide (``Route.retime``), against the told window, not this working one.
    ``idle``: how long before the technician's shift starts (``idle_before``)."""
    widths = AfterIdle(model, idle)
    by_id = {v.ticket_id: v for v in visits}
    updates: list[VisitUpdate] = []
    for ahead, r in enumerate(retimed):
        visit = by_id[r.ticket_id]
        if visit.status in (VisitStatus.ARRIVED, VisitStatus.STARTED):
            updates.append(VisitUpdate(r.ticket_id, r.eta, r.leg_s, visit.window, None))
            continue  # the customer can see the technician
        window, _ = renew(visit.window, now, r.eta, ahead, widths, overrun)
        lead = r.eta - now
        hw = widths.half_width(lead, ahead)
        slack = late_tolerance(visit.promise.end, now, hw)
        early = late_tolerance(visit.promise.start, now, hw)
        close = near and ahead == 0
        horizon = horizon_bucket(r.eta - now)
        scale = int(half_width_for(lead - idle, ahead).total_seconds())
        updates.append(VisitUpdate(r.ticket_id, r.eta, r.leg_s, window, horizon, slack, close,
                                   early, scale))  # fmt: skip
    return updates


def apply_updates(route: Route, updates: list[VisitUpdate], now: datetime,
                  reason: str | None = None) -> int:  # fmt: skip
    """Store the new times on the route; returns how many promises it had to move.
    ``reason``: why, when the route knows better than late or early (a breakdown)."""
    for u in updates:
        route.retime(
            u.ticket_id, eta=u.eta, now=now, leg_s=u.leg_s, window=u.window,
            tolerance=u.tolerance, near=u.near, reason=reason, early_tolerance=u.early,
        )  # fmt: skip
    return sum(isinstance(e, PromiseChanged) for e in route.events)


def stated_half_width(model: ErrorModel | None, tech: Technician, now: datetime,
                      eta: datetime, stops_ahead: int) -> timedelta:  # fmt: skip
    """The prediction interval the refresh states for a visit: ETA ± this."""
    return AfterIdle(model, idle_before(tech, now)).half_width(eta - now, stops_ahead)


def idle_before(tech: Technician, now: datetime) -> timedelta:
    """How long until the technician's shift starts: time in which no ETA grows unsure."""
    return max(tech.shift.start - now, timedelta(0))


def predictions(
    technician_id: int, updates: list[VisitUpdate], now: datetime
) -> list[tuple[int, int, int, datetime, datetime, int]]:
    """The ETAs worth judging later: one per visit and horizon (not once on site)."""
    return [
        (u.ticket_id, technician_id, u.horizon, now, u.eta, u.scale_s)
        for u in updates
        if u.horizon is not None
    ]


def day_model(uow: UnitOfWork, now: datetime) -> ErrorModel:
    """The error model fitted on today's settled predictions (``error_models``: kept,
    and brought up to date arrival by arrival)."""
    return error_models.day_model(uow, now)


def refresh_technician(
    uow: UnitOfWork,
    route: Route,
    tech: Technician,
    state: FieldState,
    now: datetime,
    travel: TravelTimes,
    model: ErrorModel | None = None,
    out_until: datetime | None = None,
    reason: str | None = None,
) -> int:
    """Re-time one route from the live state; returns the promise changes raised.
    The caller saves the route."""
    visits = route.open_visits
    st = start_of(tech, visits, state, now, out_until)
    retimed = retime(tech, visits, state, now, travel, out_until)
    updates = plan_updates(visits, retimed, now, model, st.overrun, st.near,
                           idle_before(tech, now))  # fmt: skip
    uow.predictions.record_many(predictions(tech.id, updates, now))
    return apply_updates(route, updates, now, reason)
