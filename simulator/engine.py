"""One simulated day: the truth moves the technicians, their phones report it, the
customers answer, and the live system's jobs run on the simulated clock, all through
the public use cases. Everything that happens in a step happens in time order at its
own moment (a technician leaves the moment a job ends), and positions are reported
while driving, so the simulator adds no idle time the plan does not know about."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from dispatch.domain.disruption import Area, DisruptionKind
from dispatch.domain.errors import DispatchError
from dispatch.domain.eta_model import QUANTILE
from dispatch.domain.fieldstate import EventType
from dispatch.domain.model import Technician, Visit
from dispatch.services.board import day_board
from dispatch.services.disruptions import NewDisruption, list_disruptions, record_disruption
from dispatch.services.eta import day_model, stated_half_width
from dispatch.services.offers import OfferPolicy
from dispatch.services.routes import get_route, list_technicians
from simulator.customers import Customers
from simulator.demand import Demand
from simulator.fleet import COMING, Tech, next_stop, post, road
from simulator.inbox import Inbox
from simulator.jobs import DISRUPTIONS_EVERY, Jobs
from simulator.lunch import eats_now
from simulator.outcome import finish
from simulator.record import Arrival, DayRecord, Outcome, Prediction, Window
from simulator.scenario import DisruptionSpec, Scenario
from simulator.truth import Slow, TruthModel
from simulator.world import World

END = time(22, 0)  # no simulated day runs past this, whatever is left


class Day:
    def __init__(self, sc: Scenario, world: World,
                 progress: Callable[[float], None] | None = None) -> None:  # fmt: skip
        self.sc, self.w, self.uow, self.clock = sc, world, world.uow, world.clock
        self.progress = progress
        self.truth = TruthModel(sc.truth, world.travel, world.zone, sc.seed)
        self.offers = OfferPolicy(sc.zone)
        start = self.clock.now()
        self.record = DayRecord(sc.name, sc.seed, start, start, sc.zone, QUANTILE)
        self.agenda: list[tuple[datetime, int, Callable[[], None]]] = []
        self.inbox = Inbox(self.clock, self._heard)
        self.jobs = Jobs(self.uow, self.clock, world.travel,
                         {"email": self.inbox.email(), "webhook": self.inbox.webhook()},
                         self.offers, timedelta(minutes=sc.replan_every_min))  # fmt: skip
        self.customers = Customers(sc.customers, sc.seed, self.uow, self.clock, self.jobs.roads,
                                   self.offers, self.record, self.later)  # fmt: skip
        self.demand = Demand(sc, world, self.jobs.roads, self.record, self.customers.tokens,
                             random.Random(f"{sc.seed}-demand"))  # fmt: skip
        self.end = world.local(END)
        self.techs = {t.id: Tech(t.id, k, t.home, t.shift.start, t.shift.end, lunch=t.lunch)
                      for k, t in enumerate(sorted(list_technicians(self.uow),
                                                   key=lambda t: t.code), 1)}  # fmt: skip
        self._stops: dict[int, list[Visit]] = {}
        self._on_site: dict[int, int] = {}
        self._who: dict[int, Technician] = {}
        self.rejected = 0  # events the system refused (a bug if ever above zero)
        self.declared: list[tuple[int, str, datetime]] = []  # (disruption id, kind, at)
        self._order = 0  # agenda ties break by the order things were planned

    def later(self, at: datetime, action: Callable[[], None]) -> None:
        self._order += 1
        heapq.heappush(self.agenda, (at, self._order, action))

    def run(self) -> DayRecord:
        self.demand.morning()
        for when in self.demand.arrivals():
            self.later(when, self._arrive)
        for spec in self.sc.disruptions:
            self.later(self.w.local(spec.at), lambda s=spec: self._disrupt(s))  # type: ignore[misc]
        self.jobs.deliver()
        step, replanned = timedelta(seconds=self.sc.step_s), self.clock.now()
        every = timedelta(minutes=self.sc.replan_every_min)
        while self.clock.now() < self.end:
            now = self.clock.now()
            self._read_board(now)
            for t in self.techs.values():
                self._tick(t, now)
            replan = now - replanned >= every
            replanned = now if replan else replanned
            if self.jobs.step(replan):
                self._pushed(now)  # an idle phone shows the new work at once
            self._observe(now)
            self.customers.wonder(now, self.inbox.last, self.record.arrivals)
            if self.progress:
                self.progress((now - self.record.start) / (self.end - self.record.start))
            if self._finished():
                break
            self._until(now + step)
        self.record.end = self.clock.now()
        return finish(self, self.record)

    def _until(self, step_end: datetime) -> None:
        """Everything that really happens before ``step_end``, in time order."""
        while True:
            due = [t for t in self.techs.values() if t.until is not None and t.until <= step_end]
            tech = min(due, key=lambda t: (t.until, t.id)) if due else None
            agenda = self.agenda[0][0] if self.agenda and self.agenda[0][0] <= step_end else None
            if tech is None and agenda is None:
                break
            if tech is not None and tech.until and (agenda is None or tech.until <= agenda):
                self.clock.set(max(tech.until, self.clock.now()))
                self._happen(tech)
            else:
                at, _, action = heapq.heappop(self.agenda)
                self.clock.set(max(at, self.clock.now()))
                action()
            self.jobs.deliver()
        self.clock.set(step_end)

    def _arrive(self) -> None:
        self.demand.arrive()
        self._pushed(self.clock.now())

    def _pushed(self, now: datetime) -> None:
        """A phone shows a new job at once: an idle technician sets off when a ticket is
        booked to him (by the helpdesk, or the step's jobs: a waiting ticket, a repeat
        visit, a replan), not at the simulator's next step, which left a customer booked
        for "now" five minutes late and told nothing (breakdown day, seed 3). Only after
        what can hand out work: after every agenda action (each customer's "solved?"
        answer too) the 2,000-visit day asked its idle phones thousands of times."""
        for t in self.techs.values():
            if t.doing == "idle":
                self._depart(t, now)

    def _post(self, t: Tech, kind: EventType, at: datetime, **kw: object) -> None:
        try:
            post(self.uow, self.clock, self.jobs.roads(), t, kind, at, **kw)  # type: ignore[arg-type]
        except DispatchError:
            self.rejected += 1  # the system refused what the phone said: counted, shown

    def _tick(self, t: Tech, now: datetime) -> None:
        if t.doing == "out" and t.out_until is not None and now >= t.out_until:
            t.doing, t.out_until = "idle", None
        if t.doing == "idle":
            self._depart(t, now)
        elif t.doing in ("driving", "waiting") and t.visit is not None:
            going = next(iter(self._stops.get(t.id, [])), None)
            if going is None or going.ticket_id != t.visit.ticket_id:  # moved off his route
                t.position, t.doing, t.until, t.visit = t.where(now), "idle", None, None
                self._depart(t, now)
            elif t.doing == "driving" and (now - (t.left or now)).total_seconds() >= \
                    self.sc.truth.position_every_s:  # fmt: skip
                self._post(t, EventType.POSITION, now)

    def _depart(self, t: Tech, at: datetime) -> None:
        if t.doing != "idle" or at < t.shift_start:
            return
        v = next_stop(self.uow, t)
        if t.lunch is not None and eats_now(t.lunch, t.ate, at, v):
            self._post(t, EventType.BREAK_START, at)
            t.doing, t.until, t.ate = "lunch", at + t.lunch.duration, True
            self.record.lunches.append((t.id, at, t.until))
            return
        if v is None:
            return
        drive = self.truth.drive(t.position, v.location, at)
        t.path, km = road(self.w.travel, t.position, v.location)
        t.doing, t.visit, t.left, t.until = "driving", v, at, at + drive
        t.km, t.drive_s = t.km + km, t.drive_s + drive.total_seconds()
        self._post(t, EventType.EN_ROUTE, at, visit=v)

    def _told_start(self, t: Tech, v: Visit) -> datetime:
        """When the window the customer was last told opens, as the phone shows it."""
        now = next((s for s in self._stops.get(t.id, []) if s.ticket_id == v.ticket_id), v)
        return now.promise.start

    def _happen(self, t: Tech) -> None:
        if t.doing == "lunch" and t.until is not None:
            self._post(t, EventType.BREAK_END, t.until)
            t.doing, t.until = "idle", None
            self._depart(t, self.clock.now())
            return
        assert t.visit is not None and t.until is not None
        v, at = t.visit, t.until
        if t.doing == "driving":
            t.position = v.location
            self._post(t, EventType.POSITION, at)
            opens = self.record.opens[v.ticket_id] = self._told_start(t, v)
            if self.sc.truth.early == "wait" and opens > at:  # at the door too early
                t.doing, t.until = "waiting", opens
                return
        if t.doing in ("driving", "waiting"):
            self._post(t, EventType.ARRIVED, at, visit=v)
            self._post(t, EventType.STARTED, at, visit=v)
            self.record.arrivals[v.ticket_id] = Arrival(v.ticket_id, t.id, at)
            t.failure, t.arrived_at, t.doing = self.truth.failure(), at, "working"
            job = timedelta(minutes=10) if t.failure else self.truth.work(v.service)
            t.until, t.work_s = at + job, t.work_s + job.total_seconds()
            return
        fixed = t.failure is None
        self._post(t, EventType.COMPLETED if fixed else EventType.FAILED, at, visit=v,
                   note=t.failure)  # fmt: skip
        repeat = bool(get_route(self.uow, t.id).problems.get(v.ticket_id))
        self.record.outcomes[v.ticket_id] = Outcome(v.ticket_id, at, fixed, repeat, t.failure or "")
        self.record.worked.append((v.ticket_id, t.id, t.arrived_at or at, at))
        first = self.inbox.first.get(v.ticket_id)
        self.customers.visited(v.ticket_id, fixed, first is not None and first.holds(
            t.arrived_at or at))  # fmt: skip
        t.doing, t.visit, t.until, t.done, t.failure = "idle", None, None, at, None
        if t.out_after_job is not None:
            spec, t.out_after_job = t.out_after_job, None
            self._out(t, spec, at)
        else:
            self._depart(t, at)

    def _disrupt(self, s: DisruptionSpec) -> None:
        now = self.clock.now()
        if s.kind == "slowdown":
            until = self.w.local(s.until or END)
            self.truth.slows.append(Slow(now, until, s.factor, s.area))
            south, west, north, east = (s.area.south, s.area.west, s.area.north, s.area.east
                                        ) if s.area is not None else self.w.box  # fmt: skip
            area = Area.box(south, west, north, east)  # none given: the whole region
            record_disruption(self.uow, self.clock, NewDisruption(
                DisruptionKind.SLOWDOWN, until, _reason(s), area=area, factor=s.factor))
            self.later(now + DISRUPTIONS_EVERY, self._disruptions_job)  # fmt: skip
            self._declared("slowdown", None, now)
            return
        t = next(x for x in self.techs.values() if x.index == s.technician)
        if t.doing == "working":  # a van breaks down between visits, not on site
            t.out_after_job = s
            return
        self._out(t, s, now)

    def _out(self, t: Tech, s: DisruptionSpec, now: datetime) -> None:
        """Out from ``now``: a breakdown's repair (and the estimate the phone reports)
        counts from here, an illness lasts the day."""
        t.position = t.where(now)
        if t.doing == "driving" and t.until:
            t.drive_s -= max(0.0, (t.until - now).total_seconds())  # never drove the rest
        until = now + timedelta(minutes=s.repair_min) if s.kind == "breakdown" else self.end
        if s.kind == "breakdown":
            told = timedelta(minutes=s.estimate_min or s.repair_min)
            self._post(t, EventType.BREAKDOWN, now, delay=told, note=_reason(s))
        else:
            record_disruption(self.uow, self.clock, NewDisruption(
                DisruptionKind.UNAVAILABLE, until, _reason(s), t.id))  # fmt: skip
        t.doing, t.visit, t.until, t.out_until = "out", None, None, until
        self.later(now + DISRUPTIONS_EVERY, self._disruptions_job)
        self._declared(s.kind, t.id, now)

    def _declared(self, kind: str, tech: int | None, at: datetime) -> None:
        """Note the disruption just recorded, to read its audit at the end of the day."""
        found = [d for d in list_disruptions(self.uow, self.clock, True)
                 if d.technician_id == tech and d.start <= at]  # fmt: skip
        self.declared.append((max(found, key=lambda d: d.id).id if found else 0, kind, at))

    def _disruptions_job(self) -> None:
        self.jobs.disruptions()
        self._pushed(self.clock.now())  # a take-over may hand work to someone idle

    def _heard(self, ticket_id: int, kind: str, payload: dict[str, Any]) -> None:
        self.customers.heard(ticket_id, kind, payload)

    def _read_board(self, now: datetime) -> None:
        """Every technician's open visits not yet reached, in order, in one read (the
        console's board): what each phone would show next; and how many are on site."""
        board = day_board(self.uow, now)
        self._stops = {row.technician.id: [v for v in row.visits if v.open and v.status in COMING]
                       for row in board}  # fmt: skip
        self._on_site = {row.technician.id: sum(v.open and v.status not in COMING
                                                for v in row.visits) for row in board}  # fmt: skip
        self._who = {row.technician.id: row.technician for row in board}

    def _observe(self, now: datetime) -> None:
        with self.uow:  # the learned error model, read as the refresh job reads it
            model = day_model(self.uow, now)
        self._read_board(now)
        for tech, coming in self._stops.items():
            # stops before each one as the refresh counts them: the job on site is one
            for ahead, v in enumerate(coming, start=self._on_site.get(tech, 0)):
                hw = stated_half_width(model, self._who[tech], now, v.eta, ahead)
                self.record.predictions.append(Prediction(v.ticket_id, now, v.eta, hw,
                                                          Window(v.window.start, v.window.end)))

    def _finished(self) -> bool:
        """Nothing left to happen today: no planned action, nobody on the road or on
        site, nobody coming back to open work."""
        if self.agenda and self.agenda[0][0] < self.end:
            return False
        return not any(t.doing in ("driving", "waiting", "working")
                       or (t.doing == "out" and t.out_until and t.out_until < self.end)
                       or (t.doing == "idle" and self._stops.get(t.id))
                       for t in self.techs.values())  # fmt: skip


def _reason(s: DisruptionSpec) -> str:
    """What customers read: the scenario's words, else a plain default per kind."""
    return s.reason or {"breakdown": "our van broke down", "sick": "our technician fell ill",
                        "slowdown": "snow and ice on the roads"}[s.kind]
