"""The clock-driven ETA refresh: every route re-timed from its live state."""

from __future__ import annotations

import time
from dataclasses import dataclass

from dispatch.clock import Clock
from dispatch.domain.fieldstate import replay
from dispatch.services.eta import day_model, refresh_technician
from dispatch.store.uow import UnitOfWork
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class RefreshReport:
    technicians: int
    promise_changes: int
    seconds: float


def refresh_etas(uow: UnitOfWork, clock: Clock, travel: TravelTimes) -> RefreshReport:
    """One transaction per technician, so one busy route never holds up the others."""
    started = time.perf_counter()
    now = clock.now()
    with uow:
        ids = [t.id for t in uow.technicians.all() if t.shift.end > now]
        model = day_model(uow, now)
    changes = 0
    for tech_id in ids:
        with uow:
            tech = uow.technicians.get(tech_id)
            if tech is None:
                continue
            version = uow.technicians.route_version(tech_id)
            state = replay(uow.events.for_technician(tech_id))
            changes += refresh_technician(uow, tech, state, now, travel, model)
            if uow.technicians.claim_route(tech_id, version):
                uow.commit()  # else a booking landed meanwhile: the next cycle catches up
    return RefreshReport(len(ids), changes, time.perf_counter() - started)
