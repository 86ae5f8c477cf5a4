"""Run a technician day on a fake clock, with seeded noise, through the real use cases.

The truth (how long each drive and each job really take) is the plan multiplied by
log-normal noise; the technician's phone reports it as events; ``refresh_etas`` runs
every step. What comes out is how good the ETAs and their intervals were, by horizon.
This is how ETA quality and window narrowing are measured without waiting a day.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dispatch.clock import FakeClock
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import GeoPoint, Visit
from dispatch.services.eta import day_model
from dispatch.services.field_events import record_events
from dispatch.services.refresh import refresh_etas
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class SimConfig:
    seed: int = 1
    step: timedelta = timedelta(minutes=5)
    travel_sigma: float = 0.25  # log-normal spread of real drive times around the plan
    service_sigma: float = 0.30
    max_duration: timedelta = timedelta(hours=14)


@dataclass
class SimReport:
    # ticket -> stops ahead (1 = next) -> the interval half-width when first seen there
    half_widths: dict[int, dict[int, timedelta]] = field(default_factory=dict)
    arrivals: int = 0
    promise_changes: int = 0
    events: int = 0


@dataclass
class _Tech:
    id: int
    position: GeoPoint
    doing: str = "idle"  # idle | driving | working
    visit: Visit | None = None
    until: datetime | None = None
    counter: int = 0


def simulate_day(
    uow: UnitOfWork,
    clock: FakeClock,
    travel: TravelTimes,
    technician_ids: Sequence[int],
    cfg: SimConfig = SimConfig(),
) -> SimReport:
    rng = random.Random(cfg.seed)
    report = SimReport()
    techs: dict[int, _Tech] = {}
    with uow:
        for tid in technician_ids:
            t = uow.technicians.get(tid)
            assert t is not None, f"technician {tid} does not exist"
            techs[tid] = _Tech(tid, t.position or t.home)
    end = clock.now() + cfg.max_duration

    def post(sim: _Tech, kind: EventType, at: datetime, visit: Visit | None) -> None:
        sim.counter += 1
        event = FieldEvent(
            f"sim-{sim.id}-{sim.counter}",
            kind,
            at,
            position=sim.position if kind == EventType.POSITION else None,
            ticket_id=visit.ticket_id if visit else None,
        )
        result = record_events(uow, clock, travel, sim.id, [event])
        report.events += 1
        report.promise_changes += result.promise_changes

    while clock.now() < end:
        now = clock.now()
        busy = False
        for sim in techs.values():
            with uow:
                open_visits = [v for v in uow.routes.get(sim.id).visits if v.open]
            if sim.doing == "idle" and open_visits:
                v = open_visits[0]
                leg = float(travel.matrix([sim.position.latlon], [v.location.latlon])[0, 0])
                sim.doing, sim.visit = "driving", v
                sim.until = now + timedelta(seconds=leg * rng.lognormvariate(0, cfg.travel_sigma))
                post(sim, EventType.EN_ROUTE, now, v)
            elif sim.doing == "driving" and sim.until and sim.until <= now and sim.visit:
                v = sim.visit
                post(sim, EventType.ARRIVED, sim.until, v)
                post(sim, EventType.STARTED, sim.until, v)
                report.arrivals += 1
                real = v.service.total_seconds() * rng.lognormvariate(0, cfg.service_sigma)
                sim.doing, sim.until = "working", sim.until + timedelta(seconds=real)
            elif sim.doing == "working" and sim.until and sim.until <= now and sim.visit:
                post(sim, EventType.COMPLETED, sim.until, sim.visit)
                sim.position = sim.visit.location
                sim.doing, sim.visit, sim.until = "idle", None, None
            busy = busy or sim.doing != "idle" or bool(open_visits)
        if not busy:
            break
        refresh_etas(uow, clock, travel)
        _observe(uow, now, techs, report)
        clock.advance(cfg.step)
    return report


def _observe(uow: UnitOfWork, now: datetime, techs: dict[int, _Tech], report: SimReport) -> None:
    with uow:
        model = day_model(uow, now)
        for sim in techs.values():
            pending = [v for v in uow.routes.get(sim.id).visits if v.open and not v.locked]
            offset = 1 if sim.doing == "driving" else 0
            for k, v in enumerate(pending):
                ahead = k + 1 + offset
                hw = model.half_width(v.eta - now, ahead - 1)
                report.half_widths.setdefault(v.ticket_id, {}).setdefault(ahead, hw)
