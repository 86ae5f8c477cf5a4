"""A 60-visit, 8-technician day on the Puurs roads: skills, breaks, promised windows."""

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from solver.checker import check
from solver.model import Break, Pins, Problem, Vehicle, Visit, Window
from solver.model.problem import URGENT_PENALTY
from solver.roadnet.bench import random_points
from solver.roadnet.network import RoadNetwork
from solver.routing import SearchConfig, solve

PUURS = Path(__file__).resolve().parents[2] / "fixtures" / "osm" / "be_puurs_itinero-openlr.osm.pbf"
H = 3600
SKILLS = ("ac_charger", "dc_fast_charger", "cable_release")


def puurs_day(seed: int = 4):
    net = RoadNetwork.from_file(PUURS)
    rng = random.Random(seed)
    points = random_points(net, 8 + 63, seed)
    durations = np.rint(net.matrix(points, points)).astype(np.int64)
    vehicles = [
        Vehicle(
            f"t{k}", k, k, 8 * H, 17 * H,
            breaks=(Break(30 * 60, Window(12 * H, 13 * H + 30 * 60)),),
            skills=frozenset(SKILLS if k % 2 else SKILLS[::2]),
        )
        for k in range(8)
    ]  # fmt: skip
    visits = []
    for i in range(60):
        start = rng.randrange(8 * H, 14 * H, 15 * 60)
        promise = Window(start, start + 2 * H) if i % 3 == 0 else None
        visits.append(
            Visit(
                f"v{i}", 8 + i, rng.choice([20, 30, 45]) * 60,
                skills=frozenset({rng.choice(SKILLS)}),
                pins=Pins(promise=promise),
            )
        )  # fmt: skip
    urgent = [
        Visit(f"u{j}", 68 + j, 30 * 60, skills=frozenset({"cable_release"}),
              penalty=URGENT_PENALTY)
        for j in range(3)
    ]  # fmt: skip
    return vehicles, visits, urgent, durations


@pytest.mark.slow
def test_a_day_with_everything_is_solved_validly_and_urgent_additions_move_little():
    vehicles, visits, urgent, durations = puurs_day()
    day = Problem(vehicles, visits, durations)
    first = solve(day, SearchConfig.for_budget(8))
    assert first.seconds < 10
    assert check(day, first) == []
    assert len(first.dropped) <= 2, first.dropped
    for route in first.routes:
        assert len(route.breaks) == 1
    previous = {r.vehicle: [s.visit for s in r.stops] for r in first.routes}

    bigger = Problem(vehicles, [*visits, *urgent], durations)
    second = solve(bigger, replace(SearchConfig.for_budget(5), move_cost=600), previous)
    assert check(bigger, second) == []
    assert {"u0", "u1", "u2"} <= set(second.assignment())
    before, after = first.assignment(), second.assignment()
    moved = [v for v, tech in before.items() if after.get(v) not in (tech, None)]
    assert len(moved) <= 0.10 * len(before), moved
