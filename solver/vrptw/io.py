"""Read Solomon-format instances and best-known CSVs; write ``.sol`` route files.

The DIMACS convention is followed exactly: d(i, j) = floor(10 * euclid) / 10, travel
time = distance. Everything is kept in integer tenths, which makes it exact.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from solver.model.problem import Problem, Vehicle, Visit, Window

SCALE = 10  # tenths


@dataclass(frozen=True)
class Instance:
    name: str
    vehicles: int
    capacity: int
    xy: npt.NDArray[np.float64]  # row 0 is the depot
    demand: npt.NDArray[np.int64]
    ready: npt.NDArray[np.int64]  # in tenths
    due: npt.NDArray[np.int64]
    service: npt.NDArray[np.int64]

    @property
    def customers(self) -> int:
        return len(self.xy) - 1

    def distances(self) -> npt.NDArray[np.int64]:
        d = np.sqrt(((self.xy[:, None, :] - self.xy[None, :, :]) ** 2).sum(axis=2))
        out: npt.NDArray[np.int64] = np.floor(d * SCALE + 1e-9).astype(np.int64)
        return out

    def problem(self) -> Problem:
        dist = self.distances()
        depot_due = int(self.due[0])
        vehicles = [
            Vehicle(f"v{k + 1}", 0, 0, int(self.ready[0]), depot_due, capacity=self.capacity)
            for k in range(self.vehicles)
        ]
        visits = [
            Visit(
                id=str(i),
                location=i,
                service=int(self.service[i]),
                windows=(Window(int(self.ready[i]), int(self.due[i])),),
                demand=int(self.demand[i]),
                penalty=10**9,
            )
            for i in range(1, len(self.xy))
        ]
        return Problem(vehicles, visits, dist, dist, minimise="distance")


def read_solomon(path: Path) -> Instance:
    lines = [ln.strip() for ln in path.read_text().splitlines()]
    name = next(ln for ln in lines if ln)
    try:
        v_at = next(i for i, ln in enumerate(lines) if ln.upper().startswith("VEHICLE"))
        nums = next(ln for ln in lines[v_at + 1 :] if ln and ln[0].isdigit())
        vehicles, capacity = (int(x) for x in nums.split()[:2])
        c_at = next(i for i, ln in enumerate(lines) if ln.upper().startswith("CUSTOMER"))
    except StopIteration as exc:
        raise ValueError(f"{path.name}: not a Solomon-format file (no VEHICLE/CUSTOMER)") from exc
    rows = []
    for ln in lines[c_at + 1 :]:
        parts = ln.split()
        if len(parts) >= 7 and parts[0].isdigit():
            rows.append([float(x) for x in parts[:7]])
    if not rows or rows[0][0] != 0:
        raise ValueError(f"{path.name}: the customer table must start with the depot (0)")
    data = np.asarray(rows)
    return Instance(
        name=name,
        vehicles=vehicles,
        capacity=capacity,
        xy=data[:, 1:3],
        demand=data[:, 3].astype(np.int64),
        ready=np.round(data[:, 4] * SCALE).astype(np.int64),
        due=np.round(data[:, 5] * SCALE).astype(np.int64),
        service=np.round(data[:, 6] * SCALE).astype(np.int64),
    )


def read_bks(path: Path) -> dict[str, float]:
    with path.open(newline="") as fh:
        return {row["instance"].upper(): float(row["distance"]) for row in csv.DictReader(fh)}


def write_sol(path: Path, routes: list[list[int]], distance: float) -> None:
    lines = [f"Route #{k + 1}: {' '.join(str(c) for c in r)}" for k, r in enumerate(routes) if r]
    lines.append(f"Cost {distance:.1f}")
    path.write_text("\n".join(lines) + "\n")


def gap_pct(distance: float, bks: float | None) -> float | None:
    if bks is None or bks <= 0 or math.isnan(distance):
        return None
    return 100.0 * (distance - bks) / bks
