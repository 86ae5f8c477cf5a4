"""Run a technician day on a fake clock, with seeded noise, through the real use cases.

The truth (how long each drive and each job really take) is the plan multiplied by
log-normal noise of mean one; the technician's phone reports it as events, each at the
moment it happened (a technician leaves the moment a job ends, not at the next step),
and reports its position on its road every step while driving, as a real phone does;
``refresh_etas`` runs every step. What comes out is how good the ETAs and their
intervals were, by horizon: ETA quality and window narrowing, measured without waiting
a day.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dispatch.clock import FakeClock
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import GeoPoint, Visit
from dispatch.services.eta import day_model
from dispatch.services.field_events import record_events
from dispatch.services.refresh import refresh_etas
from dispatch.store.ports import UnitOfWork
from solver.geo import LatLon, along
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
    # ticket -> when the technician really arrived (the simulator's ground truth)
    arrived_at: dict[int, datetime] = field(default_factory=dict)
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
    path: list[LatLon] = field(default_factory=list)  # the road of the current drive
    left: datetime | None = None  # and when it began


def mean_one_lognormal(rng: random.Random, sigma: float) -> float:
    """A log-normal factor with mean one (mu = -sigma^2 / 2): the plan is right on
    average, only uncertain. With mu = 0 the mean is exp(sigma^2 / 2), so with
    sigma = 0.30 every job ran 4.6 % long and the ETAs looked biased when the
    simulator was."""
    return rng.lognormvariate(-sigma * sigma / 2, sigma)


def simulate_day(
    uow: UnitOfWork,
    clock: FakeClock,
    travel: TravelTimes,
    technician_ids: Sequence[int],
    cfg: SimConfig = SimConfig(),
    on_step: Callable[[datetime], None] | None = None,
    on_event: Callable[[datetime], None] | None = None,
) -> SimReport:
    """Drive the technicians' day until every route is done (or ``max_duration``).

    ``on_step(now)`` runs after each step's ETA refresh, before the clock moves on: the
    place for what the live system does on its own schedule (planning and sending
    messages), so rate limits and quiet hours act on the simulated clock. ``on_event``
    runs after each reported status change, on the clock at its moment: the live
    delivery job runs every second, so a departure is told within one, not at the next
    step.
    """
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
            f"sim-{sim.id}-{sim.counter:06d}",  # events at one moment apply in id order
            kind,
            at,
            position=sim.position if kind == EventType.POSITION else None,
            ticket_id=visit.ticket_id if visit else None,
        )
        result = record_events(uow, clock, travel, sim.id, [event])
        report.events += 1
        report.promise_changes += result.promise_changes
        if on_event is not None and kind != EventType.POSITION:
            on_event(clock.now())

    def noise(sigma: float) -> float:
        return mean_one_lognormal(rng, sigma)

    def depart(sim: _Tech, at: datetime) -> None:
        """Leave for the next open visit at ``at``, the exact moment the technician is
        free (not the next simulated step), if there is one."""
        with uow:
            open_visits = [v for v in uow.routes.get(sim.id).visits if v.open]
        if not open_visits:
            return
        v = open_visits[0]
        leg = float(travel.matrix([sim.position.latlon], [v.location.latlon])[0, 0])
        sim.doing, sim.visit, sim.left = "driving", v, at
        sim.path = road_line(travel, sim.position.latlon, v.location.latlon)
        sim.until = at + timedelta(seconds=leg * noise(cfg.travel_sigma))
        post(sim, EventType.EN_ROUTE, at, v)

    def happen(sim: _Tech) -> None:
        """The technician's next real event, recorded on the clock at its own moment:
        the phone reports when it happens, not at the next simulated step."""
        assert sim.visit is not None and sim.until is not None
        v, at = sim.visit, sim.until
        clock.set(max(at, clock.now()))
        if sim.doing == "driving":
            sim.position = v.location
            post(sim, EventType.POSITION, at, None)
            post(sim, EventType.ARRIVED, at, v)
            post(sim, EventType.STARTED, at, v)
            report.arrivals += 1
            report.arrived_at[v.ticket_id] = at
            real = v.service.total_seconds() * noise(cfg.service_sigma)
            sim.doing, sim.until = "working", at + timedelta(seconds=real)
        else:
            post(sim, EventType.COMPLETED, at, v)
            sim.doing, sim.visit, sim.until = "idle", None, None
            depart(sim, at)  # the moment the job ends

    while clock.now() < end:
        now = clock.now()
        for sim in techs.values():
            if sim.doing == "idle":
                depart(sim, now)
            if (
                sim.doing == "driving" and sim.until and sim.left and sim.path and now > sim.left
            ):  # the phone reports where it is on its road
                share = (now - sim.left) / (sim.until - sim.left)
                sim.position = GeoPoint(*along(sim.path, share))
                post(sim, EventType.POSITION, now, None)
        if all(sim.doing == "idle" for sim in techs.values()):
            break
        refresh_etas(uow, clock, travel)
        _observe(uow, now, techs, report)
        if on_step is not None:
            on_step(now)
        step_end = now + cfg.step
        while True:  # everything that really happens before the next step, in time order
            due = [t for t in techs.values() if t.until is not None and t.until <= step_end]
            if not due:
                break
            happen(min(due, key=lambda t: (t.until or step_end, t.id)))
        clock.set(step_end)
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


def road_line(travel: TravelTimes, a: LatLon, b: LatLon) -> list[LatLon]:
    """The road a drive follows, where the travel source can draw it; else straight."""
    draw = getattr(travel, "route", None)
    line = draw(a, b) if draw is not None else None
    return list(line) if line else [a, b]
