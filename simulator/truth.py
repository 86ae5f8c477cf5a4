"""The truth model: how long things really take, which the system never sees directly.

- A real drive = the road network's base time (no time-of-day profile) x the truth's
  own congestion factor for the local hour of departure (a profile deliberately unlike
  the planning one) x a slowdown's factor where one really holds (snow) x per-leg
  log-normal noise of mean one.
- A real job = the planned duration x log-normal noise of mean one.
- A visit fails with the scenario's chances: nobody home, a wrong part.

Mean-one noise (mu = -sigma^2 / 2) keeps the plan right on average, only uncertain;
``tests/unit/test_sim_truth.py`` checks the mean. Each purpose draws from its own
seeded stream, so adding a customer draw does not shift every drive of the day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dispatch.domain.model import GeoPoint
from dispatch.services.simulate import mean_one_lognormal
from simulator.scenario import Area, Truth
from solver.traveltime.protocol import TravelTimes


def mean_one(rng: random.Random, sigma: float) -> float:
    return mean_one_lognormal(rng, sigma) if sigma > 0 else 1.0


@dataclass(frozen=True)
class Slow:
    start: datetime
    end: datetime
    factor: float
    area: Area | None  # None: the whole region

    def holds(self, p: GeoPoint, at: datetime) -> bool:
        if not self.start <= at < self.end:
            return False
        a = self.area
        return a is None or (a.south <= p.lat <= a.north and a.west <= p.lon <= a.east)


@dataclass
class TruthModel:
    spec: Truth
    base: TravelTimes
    zone: ZoneInfo
    seed: int
    slows: list[Slow] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._drive = random.Random(f"{self.seed}-drive")
        self._work = random.Random(f"{self.seed}-work")
        self._fail = random.Random(f"{self.seed}-fail")

    def congestion(self, at: datetime) -> float:
        return self.spec.congestion.get(at.astimezone(self.zone).hour, 1.0)

    def drive(self, a: GeoPoint, b: GeoPoint, at: datetime) -> timedelta:
        base = float(self.base.matrix([a.latlon], [b.latlon])[0, 0])
        slow = max((s.factor for s in self.slows if s.holds(a, at) or s.holds(b, at)),
                   default=1.0)  # fmt: skip
        noise = mean_one(self._drive, self.spec.travel_sigma)
        return timedelta(seconds=base * self.congestion(at) * slow * noise)

    def work(self, planned: timedelta) -> timedelta:
        return planned * mean_one(self._work, self.spec.service_sigma)

    def failure(self) -> str | None:
        """Why this visit fails, or None: drawn once per visit."""
        r = self._fail.random()
        if r < self.spec.not_home:
            return "the customer was not at home"
        if r < self.spec.not_home + self.spec.wrong_part:
            return "the part on the van was the wrong one"
        return None
