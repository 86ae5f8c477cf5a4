"""The simulator's truth model (issue 18): noise of mean one (so the plan is right on
average and the simulator does not measure its own bias), a congestion profile by the
hour of departure, slowdowns only where and while they hold, failures at their rates."""

from __future__ import annotations

import random
import statistics
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from dispatch.domain.model import GeoPoint
from simulator.scenario import Area, Truth
from simulator.truth import Slow, TruthModel, mean_one

BRUSSELS = ZoneInfo("Europe/Brussels")
A, B = GeoPoint(51.07, 4.28), GeoPoint(51.08, 4.30)


class TenMinutes:
    """A road network where every drive takes ten minutes."""

    def matrix(self, origins, destinations, depart_at=None):  # type: ignore[no-untyped-def]
        return np.full((len(origins), len(destinations)), 600.0)


def at(hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 11, 24, hh, mm, tzinfo=BRUSSELS)


def test_the_noise_has_mean_one_at_every_spread() -> None:
    rng = random.Random(7)
    for sigma in (0.1, 0.25, 0.5):
        draws = [mean_one(rng, sigma) for _ in range(40_000)]
        assert abs(statistics.fmean(draws) - 1.0) < 0.01, sigma
        assert statistics.median(draws) < 1.0  # skewed: most jobs a little short, a few long
    assert mean_one(rng, 0.0) == 1.0


def test_a_drive_is_the_base_time_times_the_hour_times_noise() -> None:
    quiet = TruthModel(Truth(congestion={8: 1.5}, travel_sigma=0.0), TenMinutes(), BRUSSELS, 1)
    assert quiet.drive(A, B, at(8, 30)) == timedelta(minutes=15)  # rush hour x1.5
    assert quiet.drive(A, B, at(11)) == timedelta(minutes=10)  # an hour without a factor
    noisy = TruthModel(Truth(congestion={}, travel_sigma=0.3), TenMinutes(), BRUSSELS, 1)
    drives = [noisy.drive(A, B, at(11)).total_seconds() for _ in range(20_000)]
    assert abs(statistics.fmean(drives) - 600) < 6 and min(drives) < 400 < 900 < max(drives)


def test_a_slowdown_holds_only_inside_its_box_and_its_hours() -> None:
    snow = Slow(at(7), at(11), 2.0, Area(south=51.06, west=4.27, north=51.075, east=4.29))
    truth = TruthModel(Truth(congestion={}, travel_sigma=0.0), TenMinutes(), BRUSSELS, 1,
                       [snow])  # fmt: skip
    assert truth.drive(A, B, at(9)) == timedelta(minutes=20)  # A lies in the box
    assert truth.drive(B, GeoPoint(51.09, 4.31), at(9)) == timedelta(minutes=10)  # outside
    assert truth.drive(A, B, at(11)) == timedelta(minutes=10)  # over by eleven


def test_jobs_and_failures_follow_the_scenario() -> None:
    truth = TruthModel(Truth(service_sigma=0.3, not_home=0.1, wrong_part=0.05), TenMinutes(),
                       BRUSSELS, 3)  # fmt: skip
    jobs = [truth.work(timedelta(minutes=30)).total_seconds() for _ in range(20_000)]
    assert abs(statistics.fmean(jobs) - 1800) < 20
    whys = [truth.failure() for _ in range(20_000)]
    assert abs(whys.count("the customer was not at home") / 20_000 - 0.10) < 0.01
    assert abs(whys.count("the part on the van was the wrong one") / 20_000 - 0.05) < 0.01


def test_the_same_seed_draws_the_same_day() -> None:
    def day(seed: int) -> list[float]:
        t = TruthModel(Truth(), TenMinutes(), BRUSSELS, seed)
        return [t.drive(A, B, at(9)).total_seconds() for _ in range(5)]

    assert day(4) == day(4) != day(5)
