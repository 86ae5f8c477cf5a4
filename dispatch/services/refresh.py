"""The clock-driven ETA refresh: every route re-timed from its live state.

One cycle is one batch: the technicians' live states are read from their projected
rows (no log replay), open routes come from the version-keyed cache, the drive from
each technician's position to their next stop is one travel-matrix query for the whole
fleet, later legs are the stored ones, and the writes go out as executemany. Routes
that a booking changed during the cycle are skipped (their version moved) and caught
up in the next one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from dispatch.clock import Clock
from dispatch.domain.events import PromiseChanged
from dispatch.domain.route import Route
from dispatch.services.disruptions import busy_until, causes, pending
from dispatch.services.eta import (
    apply_updates,
    day_model,
    idle_before,
    plan_updates,
    predictions,
    retime_from,
    start_of,
)
from dispatch.services.live_cache import ROUTES
from dispatch.store.ports import OpenRoute, UnitOfWork
from solver.traveltime.hourly import at_hour, hour_factor
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class RefreshReport:
    technicians: int
    visits: int
    promise_changes: int
    compute_seconds: float  # everything before the database write
    seconds: float


def _entry(route: Route, before: dict[int, OpenRoute]) -> OpenRoute:
    urgency = {v.ticket_id: (f, m) for v, f, m in before[route.technician_id].visits}
    return OpenRoute([(v, *urgency[v.ticket_id]) for v in route.open_visits], route.closed_through)


def refresh_etas(uow: UnitOfWork, clock: Clock, travel: TravelTimes) -> RefreshReport:
    started = time.perf_counter()
    now = clock.now()
    with uow:
        techs = {t.id: t for t in uow.technicians.all() if t.shift.end > now}
        ids = list(techs)
        versions = uow.technicians.route_versions(ids)
        routes = ROUTES.routes(uow, ids, versions)
        states = uow.technicians.field_states(ids)
        model = day_model(uow, now)
        out = busy_until(uow, now)  # broken down or away: nothing starts before it ends
        why, wait = causes(uow, now), pending(uow, now)
        plans = {}
        for tid in ids:
            if tid in wait:
                continue  # force majeure decides first: one message, with the real reason
            route = routes[tid].route(tid, versions[tid]) if tid in routes else None
            if route is not None and route.open_visits:
                plans[tid] = (route, start_of(techs[tid], route.open_visits, states[tid], now,
                                              out.get(tid)))  # fmt: skip
        origins: dict[tuple[float, float], int] = {}
        dests: dict[tuple[float, float], int] = {}
        for _route, st in plans.values():
            if st.rest:
                origins.setdefault(st.here.latlon, len(origins))
                dests.setdefault(st.rest[0].location.latlon, len(dests))
        # free of the hour: each first leg gets the traffic of its own departure below
        legs = travel.matrix(list(origins), list(dests)) if origins else None
        judged: list[tuple[Route, list[tuple[int, int, int, datetime, datetime, int]], int]] = []
        for tid, (route, st) in plans.items():
            first = 0
            factor = hour_factor(travel, st.here.latlon)
            if st.rest and legs is not None:
                free = legs[origins[st.here.latlon], dests[st.rest[0].location.latlon]]
                first = at_hour(float(free), st.at, factor)
            updates = plan_updates(route.open_visits, retime_from(st, first, factor), now, model,
                                   st.overrun, st.near, idle_before(techs[tid], now))  # fmt: skip
            apply_updates(route, updates, now, why.get(tid))
            judged.append((route, predictions(tid, updates, now), len(updates)))
        computed = time.perf_counter()
        # A route whose times did not move is not claimed: its version stays, so a
        # quote the helpdesk is looking at stays bookable and the route cache stays warm.
        moved = [r for r, _, _ in judged if r.changed]
        saved = uow.routes.save_all(moved)
        lost = {id(r) for r in moved} - {id(r) for r in saved}
        kept = [(r, p, n) for r, p, n in judged if id(r) not in lost]
        uow.predictions.record_many([row for _, p, _ in kept for row in p])
        changes = sum(isinstance(e, PromiseChanged) for r in saved for e in r.outgoing)
        uow.commit()
    for r in saved:  # the next cycle and the quotes start from what was stored
        ROUTES.put(uow.store_id, r.technician_id, r.version, _entry(r, routes))
    return RefreshReport(
        technicians=len(kept),
        visits=sum(n for _, _, n in kept),
        promise_changes=changes,
        compute_seconds=computed - started,
        seconds=time.perf_counter() - started,
    )
