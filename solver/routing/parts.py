"""A large day cut into parts of nearby technicians, each a day problem of its own.

The solver knows no coordinates, only the travel matrix, so the technicians are placed
on a plane by classical multidimensional scaling of the drives between their start
points (200 of them: a 200 x 200 eigenproblem), then halved recursively at the median,
much as ``dispatch.services.nightly_groups`` cuts a booked date: blocks, halved first
along the main axis for the first pass and along the other for the second, so the two
passes have different borders (strips along one axis, as the nightly plan's second
pass, would put far-apart regions in one part).

A visit goes with its started or pinned technician, else with the one it was planned
on (a warm start: the replan keeps its names), else to the part whose technicians'
homes are nearest by road, among parts that have someone with its skills and still
have room (each part takes at most ``SLACK`` times its share of the visits).
Each part carries its own slice of the matrix, so a worker process gets kilobytes
of a 4,000-visit day, not the whole 140 MB.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from solver.model.problem import Problem, Vehicle, Visit

SLACK = 1.25  # a part may take 25 % more than its share of the day's visits


@dataclass(frozen=True)
class Part:
    problem: Problem
    previous: dict[str, list[str]]


def _plane(problem: Problem) -> npt.NDArray[np.float64]:
    """Two coordinates per vehicle whose distances approximate the drives between
    their start points (classical MDS of the symmetrised matrix)."""
    at = [v.start_location for v in problem.vehicles]
    d = problem.durations[np.ix_(at, at)].astype(float)
    d = (d + d.T) / 2
    n = len(at)
    centre = np.eye(n) - np.ones((n, n)) / n
    gram = -0.5 * centre @ (d**2) @ centre
    values, vectors = np.linalg.eigh(gram)
    top = np.argsort(values)[::-1][:2]
    out: npt.NDArray[np.float64] = vectors[:, top] * np.sqrt(np.maximum(values[top], 0))
    return out


def _halve(ids: list[int], xy: npt.NDArray[np.float64], size: int, axis: int,
           strips: bool) -> list[list[int]]:  # fmt: skip
    if len(ids) <= size:
        return [ids]
    order = [ids[i] for i in np.argsort(xy[ids, axis], kind="stable")]
    half = len(order) // 2
    nxt = axis if strips else 1 - axis
    return _halve(order[:half], xy, size, nxt, strips) + _halve(order[half:], xy, size, nxt,
                                                                  strips)  # fmt: skip


def _allowed(visit: Visit, veh: Vehicle) -> bool:
    p = visit.pins
    if p.started_on is not None:
        return p.started_on == veh.id
    return visit.skills <= veh.skills and (p.vehicle is None or p.vehicle == veh.id)


def split(problem: Problem, size: int, second: bool = False,
          previous: Mapping[str, Sequence[str]] | None = None) -> list[Part]:  # fmt: skip
    """The day as parts of at most ``size`` vehicles, every visit in exactly one."""
    n_veh = len(problem.vehicles)
    groups = _halve(list(range(n_veh)), _plane(problem), size, 1 if second else 0, False)
    part_of = {problem.vehicles[k].id: g for g, ks in enumerate(groups) for k in ks}
    planned_on = {v: veh for veh, vs in (previous or {}).items() for v in vs}
    homes = np.array([v.start_location for v in problem.vehicles])
    locs = np.array([v.location for v in problem.visits])
    round_trip = problem.durations[np.ix_(homes, locs)] + problem.durations[np.ix_(locs, homes)].T
    room = [SLACK * len(ks) / n_veh * len(problem.visits) for ks in groups]
    taken = [0] * len(groups)
    chosen: dict[int, int] = {}
    free: list[tuple[float, int, list[int]]] = []
    for i, v in enumerate(problem.visits):
        fixed = v.pins.started_on or v.pins.vehicle or planned_on.get(v.id)
        if fixed in part_of:
            chosen[i] = part_of[fixed]
            taken[chosen[i]] += 1
            continue
        near = [min((int(round_trip[k, i]) for k in ks if _allowed(v, problem.vehicles[k])),
                    default=None) for ks in groups]  # fmt: skip
        options = sorted((d, g) for g, d in enumerate(near) if d is not None)
        if not options:  # nobody can serve it: it goes with the first part, to be dropped
            options = [(0, 0)]
        regret = options[1][0] - options[0][0] if len(options) > 1 else float("inf")
        free.append((-regret, i, [g for _, g in options]))
    for _, i, ranked in sorted(free):  # the surest choices first
        g = next((g for g in ranked if taken[g] < room[g]), ranked[0])
        chosen[i], taken[g] = g, taken[g] + 1
    return [_part(problem, ks, [i for i in chosen if chosen[i] == g], previous)
            for g, ks in enumerate(groups)]  # fmt: skip


def _part(problem: Problem, ks: list[int], visit_idx: list[int],
          previous: Mapping[str, Sequence[str]] | None) -> Part:  # fmt: skip
    vehicles = [problem.vehicles[k] for k in ks]
    visits = [problem.visits[i] for i in visit_idx]
    used = sorted({loc for v in vehicles for loc in (v.start_location, v.end_location)}
                  | {v.location for v in visits})  # fmt: skip
    new = {loc: j for j, loc in enumerate(used)}
    cut = np.ix_(used, used)
    sub = Problem(
        [replace(v, start_location=new[v.start_location], end_location=new[v.end_location])
         for v in vehicles],
        [replace(v, location=new[v.location]) for v in visits],
        np.ascontiguousarray(problem.durations[cut]),
        None if problem.distances is None else np.ascontiguousarray(problem.distances[cut]),
        problem.minimise,
    )  # fmt: skip
    ids = {v.id for v in visits}
    prev = {v.id: [x for x in (previous or {}).get(v.id, []) if x in ids] for v in vehicles}
    return Part(sub, prev)
