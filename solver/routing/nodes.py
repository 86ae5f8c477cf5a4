"""The day renumbered as nodes: the distinct depots first, then one node per visit that
some vehicle may serve.

Both searches work on this one numbering -- OR-Tools' model and the compiled kernel's
arrays -- so a kernel plan, a replan's previous routes and the final assignment all
speak the same node numbers, and the matrices are cut from the problem only once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from solver.model.problem import Problem, Visit

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Nodes:
    problem: Problem
    allowed: list[list[int]]  # problem visit index -> vehicles that may serve it
    served: list[int]  # visits some vehicle may serve; the others are dropped up front
    depots: list[int]  # node -> location for depot nodes
    visit_nodes: list[int]  # problem visit index -> node (-1: not served)
    node_location: list[int]
    node_service: list[int]
    starts: list[int]  # vehicle -> start node
    ends: list[int]  # vehicle -> end node
    cost: I64  # node x node, the objective
    travel: I64  # node x node, seconds
    service: I64  # node, seconds
    fixed: frozenset[int]  # started work: first on its vehicle, never moved

    @property
    def count(self) -> int:
        return len(self.node_location)


def _allowed(problem: Problem, visit: Visit) -> list[int]:
    out = []
    for k, veh in enumerate(problem.vehicles):
        if not visit.skills <= veh.skills:
            continue
        pinned = visit.pins.vehicle or visit.pins.started_on
        if pinned is not None and pinned != veh.id:
            continue
        out.append(k)
    return out


def index_nodes(problem: Problem) -> Nodes:
    """A visit no vehicle may serve gets no node: neither search has to prove it cannot
    be placed, and it is reported with its own reason."""
    allowed = [_allowed(problem, v) for v in problem.visits]
    served = [i for i, ok in enumerate(allowed) if ok]
    depots: list[int] = []
    for veh in problem.vehicles:
        for loc in (veh.start_location, veh.end_location):
            if loc not in depots:
                depots.append(loc)
    node_location = list(depots)
    node_service = [0] * len(depots)
    visit_nodes = [-1] * len(problem.visits)
    for i in served:
        visit_nodes[i] = len(node_location)
        node_location.append(problem.visits[i].location)
        node_service.append(problem.visits[i].service)
    at = np.asarray(node_location)
    return Nodes(
        problem=problem,
        allowed=allowed,
        served=served,
        depots=depots,
        visit_nodes=visit_nodes,
        node_location=node_location,
        node_service=node_service,
        starts=[depots.index(v.start_location) for v in problem.vehicles],
        ends=[depots.index(v.end_location) for v in problem.vehicles],
        cost=problem.cost_matrix()[np.ix_(at, at)].astype(np.int64),
        travel=problem.durations[np.ix_(at, at)].astype(np.int64),
        service=np.asarray(node_service, dtype=np.int64),
        fixed=frozenset(
            visit_nodes[i] for i in served if problem.visits[i].pins.started_on is not None
        ),
    )


def previous_vehicles(nodes: Nodes, previous: Mapping[str, Sequence[str]] | None) -> dict[int, int]:
    """Node -> the vehicle it was on, for the replan's cost per visit moved; vehicles
    and visits that are gone (or unserved now) are skipped, not errors."""
    out: dict[int, int] = {}
    if not previous:
        return out
    problem = nodes.problem
    vid = {v.id: k for k, v in enumerate(problem.vehicles)}
    pos = {v.id: i for i, v in enumerate(problem.visits)}
    for veh_id, visit_ids in previous.items():
        for visit_id in visit_ids:
            if veh_id in vid and visit_id in pos and nodes.visit_nodes[pos[visit_id]] >= 0:
                out[nodes.visit_nodes[pos[visit_id]]] = vid[veh_id]
    return out


def previous_routes(
    nodes: Nodes, previous: Mapping[str, Sequence[str]] | None
) -> list[list[int]] | None:
    """The previous routes as a warm start both searches can load: only visits still
    known, allowed on that vehicle and placeable, and started work first."""
    if not previous:
        return None
    problem = nodes.problem
    pos = {v.id: i for i, v in enumerate(problem.visits)}
    vid = {v.id: k for k, v in enumerate(problem.vehicles)}
    routes: list[list[int]] = [[] for _ in problem.vehicles]
    for veh_id, visit_ids in previous.items():
        on = vid.get(veh_id)
        for visit_id in visit_ids:
            found = pos.get(visit_id)
            if on is None or found is None or nodes.visit_nodes[found] < 0:
                continue
            if on in nodes.allowed[found]:
                routes[on].append(nodes.visit_nodes[found])
    for r in routes:
        r.sort(key=lambda n: n not in nodes.fixed)  # stable: started work first
    return routes


def move_costs(nodes: Nodes, previous_vehicle: Mapping[int, int], default: int) -> dict[int, int]:
    """Node -> what handing it to another vehicle costs: its own price (a customer who
    was told a name is dearer to move) or the search's."""
    own = {nodes.visit_nodes[i]: v.pins.move_cost for i, v in enumerate(nodes.problem.visits)
           if v.pins.move_cost is not None}  # fmt: skip
    return {node: own.get(node, default) for node in previous_vehicle}
