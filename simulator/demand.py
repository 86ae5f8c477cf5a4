"""The day's work: tickets booked before the day starts, and tickets that come in while
it runs at the scenario's rate (a Poisson stream), each through the helpdesk's use case
(``create_ticket``: quoted and booked with the best technician, or left waiting for one),
with the scenario's mix of kinds and urgency."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dispatch.domain.errors import DispatchError
from dispatch.domain.model import Customer, Priority
from dispatch.services.tickets import NewTicket, create_ticket
from simulator.record import DayRecord
from simulator.scenario import KINDS, Scenario
from simulator.world import World
from solver.traveltime.protocol import TravelTimes


@dataclass
class Demand:
    sc: Scenario
    world: World
    roads: Callable[[], TravelTimes]
    record: DayRecord
    tokens: dict[int, str]
    rng: random.Random
    count: int = 0
    refused: list[str] = field(default_factory=list)  # why a ticket could not be made

    def morning(self) -> None:
        for _ in range(self.sc.fleet.technicians * self.sc.demand.booked_per_technician):
            self.arrive()

    def arrivals(self) -> list[datetime]:
        """When the day's new tickets come in: exponential gaps at ``per_hour``."""
        d = self.sc.demand
        t, end, out = self.world.local(d.from_), self.world.local(d.until), []
        while d.per_hour > 0:
            t += timedelta(hours=self.rng.expovariate(d.per_hour))
            if t > end:
                break
            out.append(t)
        return out

    def arrive(self) -> None:
        d = self.sc.demand
        kinds = sorted(d.kinds)
        kind = self.rng.choices(kinds, weights=[d.kinds[k] for k in kinds])[0]
        skill, minutes = KINDS[kind]
        urgent = self.rng.random() < d.urgent_share
        self.count += 1
        n = self.count
        customer = Customer(f"Customer {n}", email=f"customer-{n}@example.org",
                            locale="nl" if n % 3 else "en")  # fmt: skip
        new = NewTicket(customer, self.world.place(), kind, frozenset({skill}),
                        timedelta(minutes=minutes),
                        Priority.URGENT if urgent else Priority.NORMAL)  # fmt: skip
        now = self.world.clock.now()
        try:
            made = create_ticket(self.world.uow, self.world.clock, self.roads(), new)
        except DispatchError as exc:
            self.refused.append(str(exc))
            return
        self.tokens[made.ticket.id] = made.ticket.tracking_token
        self.record.created[made.ticket.id] = now
