"""An OR-Tools assignment read back as a ``Solution``: times per stop, breaks,
overtime, and every visit left out with the reason a dispatcher can act on."""

from __future__ import annotations

import time
from typing import Any

from solver.model.problem import Problem
from solver.model.solution import Dropped, Route, Solution, StopTime
from solver.routing.nodes import Nodes
from solver.routing.ortools_model import DayModel


def no_vehicles(problem: Problem, started: float) -> Solution:
    """Nobody on shift is an answer, not a crash: every visit is dropped."""
    return Solution(
        routes=(),
        dropped=tuple(Dropped(v.id, "no technician is available") for v in problem.visits),
        seconds=time.perf_counter() - started,
        status="no vehicles",
    )


def extract(
    nodes: Nodes, model: DayModel, assignment: Any | None, elapsed: float, status: str
) -> Solution:
    problem = nodes.problem
    pre_dropped = [
        Dropped(v.id, "no technician has every required skill (or the pinned one lacks it)")
        for v, ok in zip(problem.visits, nodes.allowed, strict=True)
        if not ok
    ]
    if assignment is None:
        return Solution(
            routes=(),
            dropped=tuple(pre_dropped)
            + tuple(Dropped(problem.visits[i].id, "no feasible plan found") for i in nodes.served),
            seconds=elapsed,
            status=status,
        )
    routes, total, visited = _routes(nodes, model, assignment)
    dropped = list(pre_dropped)
    for i in nodes.served:
        if i not in visited:
            dropped.append(Dropped(problem.visits[i].id, _why_dropped(problem, i)))
    return Solution(
        routes=tuple(routes),
        dropped=tuple(dropped),
        cost=int(assignment.ObjectiveValue()),
        travel=total,
        seconds=elapsed,
        status=status,
    )


def _routes(nodes: Nodes, model: DayModel, assignment: Any) -> tuple[list[Route], int, set[int]]:
    """The routes, their summed objective matrix and the visits on them. A stop's
    arrival is recomputed from the previous stop, since the time variable holds the
    service start, after any waiting."""
    problem = nodes.problem
    manager, routing, tdim = model.manager, model.routing, model.time
    node_visit = {nodes.visit_nodes[i]: i for i in nodes.served}
    routes: list[Route] = []
    total = 0
    visited: set[int] = set()
    intervals = assignment.IntervalVarContainer()
    for k, veh in enumerate(problem.vehicles):
        index = routing.Start(k)
        stops: list[StopTime] = []
        prev_node = manager.IndexToNode(index)
        prev_start = assignment.Value(tdim.CumulVar(index))
        prev_service = 0
        while not routing.IsEnd(index):
            index = assignment.Value(routing.NextVar(index))
            node = manager.IndexToNode(index)
            total += int(nodes.cost[prev_node, node])
            if routing.IsEnd(index):
                break
            i = node_visit[node]
            visited.add(i)
            visit = problem.visits[i]
            start = assignment.Value(tdim.CumulVar(index))
            leg = int(problem.durations[nodes.node_location[prev_node], visit.location])
            arrival = min(start, prev_start + prev_service + leg)
            late = 0
            if visit.pins.promise is not None and not visit.pins.promise_hard:
                late = max(0, start - visit.pins.promise.end)
            stops.append(StopTime(visit.id, arrival, start, late))
            prev_node, prev_start, prev_service = node, start, visit.service
        end_time = assignment.Value(tdim.CumulVar(routing.End(k)))
        breaks = []
        for j in range(intervals.Size()):
            element = intervals.Element(j)
            if element.Var().Name().startswith(f"break {veh.id} ") and element.PerformedValue():
                breaks.append(int(element.StartValue()))
        if stops:
            overtime = max(0, end_time - veh.shift_end)
            routes.append(Route(veh.id, tuple(stops), end_time, tuple(sorted(breaks)), overtime))
    return routes, total, visited


NO_ROOM = "no room left in any route within shifts and windows (or leaving it out was cheaper)"


def _why_dropped(problem: Problem, i: int) -> str:
    """A guess at the cause from each vehicle alone: unreachable in any shift and window,
    or simply no room (or cheaper to leave out) in the plan found."""
    visit = problem.visits[i]
    spans = [(w.start, w.end) for w in visit.windows] or [(0, 1 << 62)]
    p = visit.pins
    if p.promise is not None and p.promise_hard:
        spans = [(max(a, p.promise.start), min(b, p.promise.end)) for a, b in spans]
    spans = sorted((a, b) for a, b in spans if a <= b)
    for veh in problem.vehicles:
        if not visit.skills <= veh.skills:
            continue
        arrive = veh.start_time + int(problem.durations[veh.start_location, visit.location])
        begin = next((max(arrive, a) for a, b in spans if arrive <= b), None)
        if begin is None:
            continue
        back = begin + visit.service + int(problem.durations[visit.location, veh.end_location])
        if back <= veh.shift_end + veh.overtime:
            return NO_ROOM
    return "no technician can reach it inside its window and still finish the shift"
