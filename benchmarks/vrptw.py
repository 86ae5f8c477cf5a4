"""Solve, check and score Solomon instances; the rows behind ``dispatch bench vrptw``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from solver.checker import check
from solver.model.solution import Solution
from solver.routing import SearchConfig, solve
from solver.vrptw.io import SCALE, Instance, gap_pct, read_solomon, write_sol

# OR-Tools' own defaults for this search, pinned so that tuning ours never moves them.
BASELINE = SearchConfig(
    first_solution="PATH_CHEAPEST_ARC",
    metaheuristic="GUIDED_LOCAL_SEARCH",
    gls_lambda=0.1,
    restarts=1,
)


@dataclass(frozen=True)
class Row:
    instance: str
    feasible: bool
    vehicles: int
    distance: float
    bks_distance: float | None
    gap_pct: float | None
    seconds: float
    errors: tuple[str, ...]

    def csv(self) -> dict[str, object]:
        return {
            "instance": self.instance,
            "feasible": self.feasible,
            "vehicles": self.vehicles,
            "distance": f"{self.distance:.1f}",
            "bks_distance": "" if self.bks_distance is None else f"{self.bks_distance:.1f}",
            "gap_pct": "" if self.gap_pct is None else f"{self.gap_pct:.2f}",
            "seconds": f"{self.seconds:.2f}",
        }


def run(
    path: Path,
    config: SearchConfig,
    bks: dict[str, float],
    routes_dir: Path | None = None,
) -> Row:
    inst = read_solomon(path)
    problem = inst.problem()
    started = time.perf_counter()
    solution = solve(problem, config)
    return scored(path, inst, solution, time.perf_counter() - started, bks, routes_dir)


def run_pyvrp(path: Path, seconds: float, seed: int, bks: dict[str, float]) -> Row:
    """The same instance solved by PyVRP (``benchmarks.pyvrp_side``), scored alike."""
    from benchmarks.pyvrp_side import solve_pyvrp

    inst = read_solomon(path)
    done = solve_pyvrp(inst, seconds, seed)
    return scored(path, inst, done.solution, done.seconds, bks)


def scored(path: Path, inst: Instance, solution: Solution, seconds: float,
           bks: dict[str, float], routes_dir: Path | None = None) -> Row:  # fmt: skip
    """One evaluator for every solver: our checker, the fleet limit, the gap."""
    problem = inst.problem()
    errors = check(problem, solution)
    if len(solution.routes) > inst.vehicles:
        errors.append(f"{len(solution.routes)} routes, the instance allows {inst.vehicles}")
    feasible = not errors and not solution.dropped and bool(solution.routes)
    distance = solution.travel / SCALE if feasible else float("nan")
    best = bks.get(inst.name.upper()) or bks.get(path.stem.upper())
    if routes_dir is not None and feasible:
        routes_dir.mkdir(parents=True, exist_ok=True)
        write_sol(
            routes_dir / f"{path.stem}.sol",
            [[int(s.visit) for s in r.stops] for r in solution.routes],
            distance,
        )
    return Row(
        instance=path.stem,
        feasible=feasible,
        vehicles=len(solution.routes),
        distance=distance,
        bks_distance=best,
        gap_pct=gap_pct(distance, best) if feasible else None,
        seconds=seconds,
        errors=tuple(errors[:5]) + tuple(f"dropped {d.visit}" for d in solution.dropped[:3]),
    )
