"""A national-size field-service day from a seed: technicians in Puurs and in
Liechtenstein (both OpenStreetMap extracts, ODbL; fixtures/osm/README.md), twenty
visits each, on road-network times, with skills, a lunch break, promised windows,
customers' "morning or afternoon" windows, and urgent tickets that arrive later.

The two regions are 650 km apart: a drive between them is priced out of any shift,
so the day is really two, as a national fleet's is many. Used by
``dispatch bench large-day`` and its CI test (a 1,000-visit version).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from benchmarks.roads import random_points
from fixtures import FIXTURES
from solver.model import Break, Pins, Problem, Vehicle, Visit, Window
from solver.model.problem import URGENT_PENALTY
from solver.roadnet.network import RoadNetwork

REGIONS = (
    FIXTURES / "osm" / "be_puurs_itinero-openlr.osm.pbf",
    FIXTURES / "osm" / "li_liechtenstein_valhalla.osm.pbf",
)
SHARE = (0.75, 0.25)  # of the fleet and its visits, per region
H = 3600
APART_S = 10**7  # between regions: never within a shift
SKILLS = ("ac_charger", "dc_fast_charger", "cable_release")
MORNING_OR_AFTERNOON = (Window(8 * H, 11 * H), Window(14 * H, 17 * H))


@dataclass(frozen=True)
class LargeDay:
    problem: Problem  # the day as booked
    urgent: list[Visit]  # arrive later: the replan's test

    def with_urgent(self) -> Problem:
        return Problem(self.problem.vehicles, [*self.problem.visits, *self.urgent],
                       self.problem.durations)  # fmt: skip


def _region(net: RoadNetwork, n: int, seed: int) -> npt.NDArray[np.int64]:
    points = random_points(net, n, seed)
    return np.rint(net.matrix(points, points)).astype(np.int64)


def large_day(technicians: int = 200, per_technician: int = 20, urgent: int = 10,
              seed: int = 1) -> LargeDay:  # fmt: skip
    """``technicians`` x ``per_technician`` visits plus ``urgent`` later ones."""
    rng = random.Random(seed)
    fleet_sizes = [round(technicians * s) for s in SHARE]
    fleet_sizes[-1] = technicians - sum(fleet_sizes[:-1])
    blocks, vehicles, visits, late = [], [], [], []
    offset = 0
    for r, (path, n_tech) in enumerate(zip(REGIONS, fleet_sizes, strict=True)):
        n_vis = n_tech * per_technician
        n_urg = urgent // 2 if r == 0 else urgent - urgent // 2
        block = _region(RoadNetwork.from_file(path), n_tech + n_vis + n_urg, seed + r)
        blocks.append(block)
        for k in range(n_tech):
            vehicles.append(Vehicle(
                f"r{r}t{k}", offset + k, offset + k, 7 * H + 30 * 60, 17 * H + 30 * 60,
                breaks=(Break(30 * 60, Window(12 * H, 13 * H)),),
                skills=frozenset(SKILLS if k % 2 else SKILLS[::2])))  # fmt: skip
        for i in range(n_vis):
            start = rng.randrange(8 * H, 15 * H, 15 * 60)
            pins = Pins(promise=Window(start, start + 2 * H)) if i % 3 == 0 else Pins()
            windows = MORNING_OR_AFTERNOON if i % 10 == 1 and i % 3 else ()  # not promised yet
            visits.append(Visit(f"r{r}v{i}", offset + n_tech + i, rng.choice([10, 15, 20]) * 60,
                                windows=windows, skills=frozenset({rng.choice(SKILLS)}),
                                pins=pins))  # fmt: skip
        for j in range(n_urg):
            late.append(Visit(f"r{r}u{j}", offset + n_tech + n_vis + j, 30 * 60,
                              skills=frozenset({"cable_release"}), penalty=URGENT_PENALTY))
        offset += len(block)
    durations = np.full((offset, offset), APART_S, dtype=np.int64)
    at = 0
    for block in blocks:
        durations[at : at + len(block), at : at + len(block)] = block
        at += len(block)
    return LargeDay(Problem(vehicles, visits, durations), late)
