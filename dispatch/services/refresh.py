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

from dispatch.clock import Clock
from dispatch.services.eta import (
    PromiseMove,
    VisitUpdate,
    announce,
    day_model,
    plan_updates,
    retime_from,
    start_of,
)
from dispatch.services.live_cache import ROUTES
from dispatch.store.uow import UnitOfWork
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class RefreshReport:
    technicians: int
    visits: int
    promise_changes: int
    compute_seconds: float  # everything before the database write
    seconds: float


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
        plans = {}
        for tid in ids:
            visits = [v for v, _, _ in routes.get(tid, []) if v.open]
            if visits:
                plans[tid] = (visits, start_of(techs[tid], visits, states[tid], now))
        origins: dict[tuple[float, float], int] = {}
        dests: dict[tuple[float, float], int] = {}
        for _visits, st in plans.values():
            if st.rest:
                origins.setdefault(st.here.latlon, len(origins))
                dests.setdefault(st.rest[0].location.latlon, len(dests))
        legs = travel.matrix(list(origins), list(dests), now) if origins else None
        updates: dict[int, list[VisitUpdate]] = {}
        moves: dict[int, list[PromiseMove]] = {}
        for tid, (visits, st) in plans.items():
            first = 0
            if st.rest and legs is not None:
                first = round(
                    float(legs[origins[st.here.latlon], dests[st.rest[0].location.latlon]])
                )
            updates[tid], moves[tid] = plan_updates(visits, retime_from(st, first), now, model)
        computed = time.perf_counter()
        claimed = [tid for tid in plans if uow.technicians.claim_route(tid, versions[tid])]
        uow.tickets.bulk_retime(
            [(u.ticket_id, u.eta, u.leg_s, u.window) for tid in claimed for u in updates[tid]]
        )
        uow.predictions.record_many(
            [
                (u.ticket_id, tid, u.horizon, now, u.eta)
                for tid in claimed
                for u in updates[tid]
                if u.horizon is not None
            ]
        )
        changes = announce(uow, [m for tid in claimed for m in moves[tid]], now)
        uow.commit()
    return RefreshReport(
        technicians=len(claimed),
        visits=sum(len(updates[tid]) for tid in claimed),
        promise_changes=changes,
        compute_seconds=computed - started,
        seconds=time.perf_counter() - started,
    )
