"""PyVRP on the same instance, in the same run, under the same rules and checker.

PyVRP (Wouda, Lan & Kool, 2024) is the open-source reference for VRPTW; our published
gaps lead with the ratio to it. It gets exactly what our solver gets: the DIMACS
distances in integer tenths (``Instance.distances``), travel time equal to distance,
the instance's fleet and capacity, one thread, the same wall-clock limit and seed. Its
routes are then timed and checked by our independent checker, so both sides are
scored by one evaluator.

``pyvrp`` is a benchmark-only dependency (``pip install -e .[bench]``); the service
never imports it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from solver.model.problem import Problem
from solver.model.solution import Dropped, Route, Solution, StopTime
from solver.vrptw.io import Instance


@dataclass(frozen=True)
class Solved:
    solution: Solution
    seconds: float


def available() -> bool:
    try:
        import pyvrp  # noqa: F401
    except ImportError:
        return False
    return True


def solve_pyvrp(inst: Instance, seconds: float, seed: int = 1) -> Solved:
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    m = Model()
    where = [m.add_location(float(x), float(y)) for x, y in inst.xy]
    depot = m.add_depot(where[0], tw_early=int(inst.ready[0]), tw_late=int(inst.due[0]))
    m.add_vehicle_type(num_available=inst.vehicles, capacity=inst.capacity,
                       start_depot=depot, end_depot=depot,
                       tw_early=int(inst.ready[0]), tw_late=int(inst.due[0]))  # fmt: skip
    for i in range(1, len(inst.xy)):
        m.add_client(where[i], delivery=int(inst.demand[i]), service_duration=int(inst.service[i]),
                     tw_early=int(inst.ready[i]), tw_late=int(inst.due[i]))  # fmt: skip
    dist = inst.distances()
    n = len(inst.xy)
    for i in range(n):
        for j in range(n):
            d = int(dist[i, j])
            m.add_edge(where[i], where[j], distance=d, duration=d)
    began = time.perf_counter()
    result = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False)
    took = time.perf_counter() - began
    routes = [[int(a.idx) for a in r.schedule() if a.is_client()] for r in result.best.routes()]
    return Solved(timed(inst.problem(), routes), took)


def timed(problem: Problem, routes: list[list[int]]) -> Solution:
    """PyVRP's clients (numbered from 0 in the order added, which is our visits' order)
    as our routes, each stop started at the later of arrival and its window's opening:
    what the checker then judges."""
    d, cost = problem.durations, problem.cost_matrix()
    out: list[Route] = []
    served: set[str] = set()
    travel = 0
    for k, visits in enumerate(routes):
        veh = problem.vehicles[k]
        t, here, stops = veh.start_time, veh.start_location, []
        for c in visits:
            v = problem.visits[c]
            arrive = t + int(d[here, v.location])
            start = max(arrive, v.windows[0].start) if v.windows else arrive
            stops.append(StopTime(v.id, arrive, start))
            travel += int(cost[here, v.location])
            t, here = start + v.service, v.location
            served.add(v.id)
        travel += int(cost[here, veh.end_location])
        out.append(Route(veh.id, tuple(stops), t + int(d[here, veh.end_location])))
    dropped = tuple(Dropped(v.id, "not served by PyVRP") for v in problem.visits
                    if v.id not in served)  # fmt: skip
    return Solution(tuple(r for r in out if r.stops), dropped, travel=travel)
