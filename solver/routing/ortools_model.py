"""The day as an OR-Tools routing model.

Nodes are the distinct depots (vehicle start and end locations) followed by one node
per visit. Costs and times are registered as transit *matrices* (not Python
callbacks), which lets the local search run several times more moves per second.

- time: a dimension whose transit is service-at-origin + travel, with slack for
  waiting; visit windows are hard ranges, promises hard or soft (lateness cost), the
  shift end hard unless overtime is allowed (then soft, at a cost);
- skills and "must be this technician" become allowed vehicles;
- every visit is a disjunction with its penalty (urgent: a huge one), so an
  infeasible visit is dropped and reported instead of failing the day;
- a started or en-route visit is locked first on its vehicle at its real time;
- breaks are fixed-duration intervals inside their window;
- a warm start reads the previous routes, and a move cost per visit placed on another
  vehicle than before keeps a replan from reshuffling the day;
- with ``sisr_share`` (the day setup, ``SearchConfig.for_budget``), the compiled
  ruin-and-recreate search in ``sisr`` plans first and guided local search polishes.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from solver.model.problem import Problem, Visit
from solver.model.solution import Dropped, Route, Solution, StopTime
from solver.routing import sisr

log = logging.getLogger(__name__)
FIRST_SOLUTION = routing_enums_pb2.FirstSolutionStrategy
METAHEURISTIC = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class SearchConfig:
    time_limit_s: float = 5.0
    first_solution: str = "PATH_CHEAPEST_ARC"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = 0.3  # 0.1 (the default) -> 0.3 took the Solomon mean gap 4.9 -> 2.9 %
    move_cost: int = 0  # per visit moved to another vehicle than in ``previous``
    restarts: int = 1  # split the time into this many chained GLS runs
    seed: int = 1
    sisr_share: float = 0.0  # share of the time for the compiled ruin-and-recreate first
    sisr_iterations: int | None = None  # a fixed count makes that part machine-independent

    @classmethod
    def for_budget(cls, time_limit_s: float) -> SearchConfig:
        """The day optimiser's setup, measured on the Solomon set (docs/benchmarks.md):
        90 % of the time in the compiled ruin-and-recreate search, the rest in guided
        local search from its plan. It took the mean gap at 10 s from 2.41 % (eight
        chained GLS runs with string-removal kicks between them) to 0.4-0.6 %, and at
        2 s from 3.39 % to 0.6-1.1 %, over three-run measurements."""
        return cls(time_limit_s=time_limit_s, sisr_share=0.9)

    log: bool = False


@dataclass
class _Index:
    problem: Problem
    depots: list[int]  # node -> location for depot nodes
    visit_nodes: list[int]  # problem visit index -> node
    node_location: list[int]
    node_service: list[int]


def _nodes(problem: Problem, served: Sequence[int]) -> _Index:
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
    return _Index(problem, depots, visit_nodes, node_location, node_service)


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


def solve(
    problem: Problem,
    config: SearchConfig = SearchConfig(),
    previous: Mapping[str, Sequence[str]] | None = None,
) -> Solution:
    """Plan the day. ``previous`` maps vehicle id -> visit ids (a warm start)."""
    problem.validate()
    if config.sisr_share > 0:
        sisr.warm_up()  # once per process: not charged to this solve's time limit
    started = time.perf_counter()
    if not problem.vehicles:  # nobody on shift: an answer, not a crash
        return Solution(
            routes=(),
            dropped=tuple(Dropped(v.id, "no technician is available") for v in problem.visits),
            seconds=time.perf_counter() - started,
            status="no vehicles",
        )
    allowed = [_allowed(problem, v) for v in problem.visits]
    pre_dropped = [
        Dropped(v.id, "no technician has every required skill (or the pinned one lacks it)")
        for v, ok in zip(problem.visits, allowed, strict=True)
        if not ok
    ]
    served = [i for i, ok in enumerate(allowed) if ok]
    idx = _nodes(problem, served)
    n_nodes = len(idx.node_location)
    vehicles = problem.vehicles
    starts = [idx.depots.index(v.start_location) for v in vehicles]
    ends = [idx.depots.index(v.end_location) for v in vehicles]
    manager = pywrapcp.RoutingIndexManager(n_nodes, len(vehicles), starts, ends)
    routing = pywrapcp.RoutingModel(manager)

    loc = np.asarray(idx.node_location)
    cost = problem.cost_matrix()[np.ix_(loc, loc)].astype(np.int64)
    travel = problem.durations[np.ix_(loc, loc)].astype(np.int64)
    service = np.asarray(idx.node_service, dtype=np.int64)
    time_transit = travel + service[:, None]
    cost_cb = routing.RegisterTransitMatrix(cost.tolist())
    time_cb = routing.RegisterTransitMatrix(time_transit.tolist())

    fixed_nodes = frozenset(
        idx.visit_nodes[i] for i in served if problem.visits[i].pins.started_on is not None
    )
    previous_vehicle: dict[int, int] = {}
    if previous and config.move_cost:
        vid = {v.id: k for k, v in enumerate(vehicles)}
        pos = {v.id: i for i, v in enumerate(problem.visits)}
        for veh_id, visit_ids in previous.items():
            for visit_id in visit_ids:
                if veh_id in vid and visit_id in pos and idx.visit_nodes[pos[visit_id]] >= 0:
                    previous_vehicle[idx.visit_nodes[pos[visit_id]]] = vid[veh_id]
    if previous_vehicle:
        for k in range(len(vehicles)):
            extra = np.zeros(n_nodes, dtype=np.int64)
            for node, was in previous_vehicle.items():
                if was != k:
                    extra[node] = config.move_cost
            cb = routing.RegisterTransitMatrix((cost + extra[None, :]).tolist())
            routing.SetArcCostEvaluatorOfVehicle(cb, k)
    else:
        routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)

    horizon = (
        max(
            [v.shift_end + v.overtime for v in vehicles]
            + [w.end for vis in problem.visits for w in vis.windows]
            + [0]
        )
        + int(travel.max(initial=0))
        + int(service.max(initial=0))
        + 1
    )
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    tdim = routing.GetDimensionOrDie("time")

    for k, veh in enumerate(vehicles):
        start_min = veh.start_time
        for i in served:
            p = problem.visits[i].pins
            if p.started_on == veh.id and p.started_at is not None:
                start_min = min(start_min, p.started_at)
        tdim.CumulVar(routing.Start(k)).SetRange(start_min, veh.shift_end + veh.overtime)
        tdim.CumulVar(routing.End(k)).SetRange(start_min, veh.shift_end + veh.overtime)
        if veh.overtime:
            per_s = max(1, math.ceil(veh.overtime_cost_per_hour / 3600))
            tdim.SetCumulVarSoftUpperBound(routing.End(k), veh.shift_end, per_s)
        if veh.breaks:
            solver = routing.solver()
            intervals = [
                solver.FixedDurationIntervalVar(
                    b.window.start, b.window.end, b.duration, False, f"break {veh.id} {j}"
                )
                for j, b in enumerate(veh.breaks)
            ]
            tdim.SetBreakIntervalsOfVehicle(intervals, k, [int(s) for s in service])
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(k)))

    if any(v.capacity is not None for v in vehicles):
        demand = [0] * n_nodes
        for i in served:
            demand[idx.visit_nodes[i]] = problem.visits[i].demand
        big = sum(demand) + 1
        demand_cb = routing.RegisterUnaryTransitVector(demand)
        caps = [v.capacity if v.capacity is not None else big for v in vehicles]
        routing.AddDimensionWithVehicleCapacity(demand_cb, 0, caps, True, "load")

    solver = routing.solver()
    for i in served:
        visit = problem.visits[i]
        node = idx.visit_nodes[i]
        index = manager.NodeToIndex(node)
        cumul = tdim.CumulVar(index)
        if visit.windows:
            ws = sorted(visit.windows, key=lambda w: w.start)
            cumul.SetRange(ws[0].start, ws[-1].end)
            for a, b in itertools.pairwise(ws):
                if b.start > a.end + 1:
                    cumul.RemoveInterval(a.end + 1, b.start - 1)
        p = visit.pins
        if p.promise is not None:
            if p.promise_hard:
                cumul.SetMin(max(cumul.Min(), p.promise.start))
                cumul.SetMax(min(cumul.Max(), p.promise.end))
            else:
                per_s = max(1, math.ceil(p.lateness_cost_per_minute / 60))
                tdim.SetCumulVarSoftUpperBound(index, p.promise.end, per_s)
        if len(allowed[i]) < len(vehicles):
            # -1 keeps "not performed" possible; SetAllowedVehiclesForIndex would be the
            # same, but its Python binding rejects every list in OR-Tools 9.15.
            options = [-1, *allowed[i]] if p.started_on is None else list(allowed[i])
            routing.VehicleVar(index).SetValues(options)
        if p.started_on is not None:
            k = next(j for j, v in enumerate(vehicles) if v.id == p.started_on)
            solver.Add(routing.NextVar(routing.Start(k)) == index)
            if p.started_at is not None:
                cumul.SetRange(p.started_at, p.started_at)
        else:
            routing.AddDisjunction([index], int(visit.penalty))
        routing.AddVariableMinimizedByFinalizer(cumul)

    # A warm start: the previous routes as node lists (visits still known, allowed on
    # that vehicle and placeable), started work first.
    previous_routes: list[list[int]] | None = None
    if previous:
        pos = {v.id: i for i, v in enumerate(problem.visits)}
        vid = {v.id: k for k, v in enumerate(vehicles)}
        previous_routes = [[] for _ in vehicles]
        for veh_id, visit_ids in previous.items():
            on = vid.get(veh_id)
            for visit_id in visit_ids:
                found = pos.get(visit_id)
                if on is None or found is None or idx.visit_nodes[found] < 0:
                    continue
                if on in allowed[found]:
                    previous_routes[on].append(idx.visit_nodes[found])
        for r in previous_routes:
            r.sort(key=lambda n: n not in fixed_nodes)  # stable: started work first

    # The compiled ruin-and-recreate search takes most of the time, from the warm
    # start if there is one, and guided local search polishes its plan with the rest.
    assignment = None
    restarts = config.restarts
    gls_seconds = config.time_limit_s
    if config.sisr_share > 0:
        arrays = _sisr_arrays(problem, idx, allowed, served, cost, travel, service,
                              previous_vehicle, config.move_cost)  # fmt: skip
        planned = sisr.search(arrays, config.time_limit_s * config.sisr_share, config.seed,
                              previous_routes, config.sisr_iterations)  # fmt: skip
        restarts, gls_seconds = 1, config.time_limit_s * (1 - config.sisr_share)
        initial = routing.ReadAssignmentFromRoutes(
            [[manager.NodeToIndex(n) for n in r] for r in planned], True
        )
        if initial is not None:
            assignment = routing.SolveFromAssignmentWithParameters(
                initial, _parameters(config, gls_seconds)
            )
        else:  # the two models disagree; a plan still comes from OR-Tools below
            log.warning("the ruin-and-recreate plan did not load into OR-Tools")
    params = _parameters(config, gls_seconds / max(1, restarts))
    if assignment is None and previous_routes is not None:
        initial = routing.ReadAssignmentFromRoutes(
            [[manager.NodeToIndex(n) for n in r] for r in previous_routes], True
        )
        if initial is not None:
            assignment = routing.SolveFromAssignmentWithParameters(initial, params)
    if assignment is None:
        assignment = routing.SolveWithParameters(params)
    # Chained restarts (an option, not the default): guided local search resumed from
    # the best plan so far with its penalties reset.
    for _ in range(restarts - 1):
        if assignment is None:
            break
        again = routing.SolveFromAssignmentWithParameters(assignment, params)
        if again is not None and again.ObjectiveValue() <= assignment.ObjectiveValue():
            assignment = again
    elapsed = time.perf_counter() - started
    status = {0: "not solved", 1: "success", 2: "no solution", 3: "timeout", 4: "invalid"}.get(
        routing.status(), str(routing.status())
    )
    if assignment is None:
        return Solution(
            routes=(),
            dropped=tuple(pre_dropped)
            + tuple(Dropped(problem.visits[i].id, "no feasible plan found") for i in served),
            seconds=elapsed,
            status=status,
        )
    return _extract(
        problem, idx, manager, routing, assignment, tdim, served, pre_dropped, elapsed, status,
        cost,
    )  # fmt: skip


def _parameters(config: SearchConfig, seconds: float) -> Any:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(FIRST_SOLUTION, config.first_solution)
    params.local_search_metaheuristic = getattr(METAHEURISTIC, config.metaheuristic)
    params.guided_local_search_lambda_coefficient = config.gls_lambda
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    params.log_search = config.log
    return params


def _kernel_window(visit: Visit, big: int) -> tuple[int, int]:
    """The one window the kernel gets: each window cut by a hard promise, then the
    widest that is left (earliest on a tie). An empty result (start > end) leaves the
    visit to OR-Tools, which sees every window."""
    p = visit.pins
    cut = [(w.start, w.end) for w in visit.windows] or [(0, big)]
    if p.promise is not None and p.promise_hard:
        cut = [(max(a, p.promise.start), min(b, p.promise.end)) for a, b in cut]
    return max(cut, key=lambda w: (w[1] - w[0], -w[0]))


def _sisr_arrays(
    problem: Problem,
    idx: _Index,
    allowed: list[list[int]],
    served: list[int],
    cost: npt.NDArray[np.int64],
    travel: npt.NDArray[np.int64],
    service: npt.NDArray[np.int64],
    previous_vehicle: Mapping[int, int] | None = None,
    move_cost: int = 0,
) -> sisr.Arrays:
    """The kernel's view: one window per visit (the widest of several, or the hard
    promise inside it -- a restriction, so whatever it finds stays feasible here), the
    shift end plus overtime as the latest return, breaks, started work first on its
    vehicle, and a replan's cost per visit moved to another vehicle."""
    n = len(idx.node_location)
    vehicles = problem.vehicles
    big = 1 << 40
    earliest = np.zeros(n, dtype=np.int64)
    latest = np.full(n, big, dtype=np.int64)
    demand = np.zeros(n, dtype=np.int64)
    penalty = np.zeros(n, dtype=np.int64)
    is_visit = np.zeros(n, dtype=np.bool_)
    ok = np.zeros((n, len(vehicles)), dtype=np.bool_)
    v_first = np.full(len(vehicles), -1, dtype=np.int64)
    most = max([len(v.breaks) for v in vehicles] + [1])
    b_dur = np.zeros((len(vehicles), most), dtype=np.int64)
    b_lo = np.zeros((len(vehicles), most), dtype=np.int64)
    b_hi = np.zeros((len(vehicles), most), dtype=np.int64)
    for k, veh in enumerate(vehicles):
        for j, b in enumerate(sorted(veh.breaks, key=lambda b: (b.window.start, b.window.end))):
            b_dur[k, j], b_lo[k, j], b_hi[k, j] = b.duration, b.window.start, b.window.end
    soft_end = np.full(n, sisr.INF, dtype=np.int64)
    late_cost = np.zeros(n, dtype=np.int64)
    v_soft_end = np.full(len(vehicles), sisr.INF, dtype=np.int64)
    v_over_cost = np.zeros(len(vehicles), dtype=np.int64)
    for k, veh in enumerate(vehicles):
        if veh.overtime and veh.overtime_cost_per_hour:  # priced as the OR-Tools model does
            v_soft_end[k] = veh.shift_end
            v_over_cost[k] = max(1, math.ceil(veh.overtime_cost_per_hour / 3600))
    move = np.zeros((n, len(vehicles)), dtype=np.int64)
    for node, was in (previous_vehicle or {}).items():
        move[node, :] = move_cost
        move[node, was] = 0
    v_t0 = np.array([v.start_time for v in vehicles], dtype=np.int64)
    vid = {v.id: k for k, v in enumerate(vehicles)}
    for i in served:
        visit = problem.visits[i]
        node = idx.visit_nodes[i]
        is_visit[node] = True
        p = visit.pins
        lo, hi = _kernel_window(visit, big)
        if p.started_on is not None:
            k = vid[p.started_on]
            v_first[k] = node
            if p.started_at is not None:
                lo = hi = p.started_at
                v_t0[k] = min(v_t0[k], p.started_at)
        if p.promise is not None and not p.promise_hard:
            soft_end[node] = p.promise.end
            late_cost[node] = max(1, math.ceil(p.lateness_cost_per_minute / 60))
        earliest[node], latest[node] = lo, hi
        demand[node] = visit.demand
        penalty[node] = visit.penalty
        ok[node, allowed[i]] = True
    total = int(demand.sum()) + 1
    b_count = np.array([len(v.breaks) for v in vehicles], dtype=np.int64)
    return sisr.Arrays(
        cost=cost,
        travel=travel,
        service=service,
        earliest=earliest,
        latest=latest,
        demand=demand,
        penalty=penalty,
        is_visit=is_visit,
        allowed=ok,
        v_start=np.array([idx.depots.index(v.start_location) for v in vehicles], dtype=np.int64),
        v_end=np.array([idx.depots.index(v.end_location) for v in vehicles], dtype=np.int64),
        v_t0=v_t0,
        v_t1=np.array([v.shift_end + v.overtime for v in vehicles], dtype=np.int64),
        v_cap=np.array(
            [v.capacity if v.capacity is not None else total for v in vehicles], dtype=np.int64
        ),
        v_first=v_first,
        move=move,
        b_count=b_count,
        b_dur=b_dur,
        b_lo=b_lo,
        b_hi=b_hi,
        soft_end=soft_end,
        late_cost=late_cost,
        v_soft_end=v_soft_end,
        v_over_cost=v_over_cost,
        slow=(b_count > 0) | (v_over_cost > 0) | ok[late_cost > 0].any(axis=0),
    )


def _extract(
    problem: Problem,
    idx: _Index,
    manager: Any,
    routing: Any,
    assignment: Any,
    tdim: Any,
    served: list[int],
    pre_dropped: list[Dropped],
    elapsed: float,
    status: str,
    cost: npt.NDArray[np.int64],
) -> Solution:
    node_visit = {idx.visit_nodes[i]: i for i in served}
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
            total += int(cost[prev_node, node])
            if routing.IsEnd(index):
                break
            i = node_visit[node]
            visited.add(i)
            visit = problem.visits[i]
            start = assignment.Value(tdim.CumulVar(index))
            leg = int(problem.durations[idx.node_location[prev_node], visit.location])
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
    dropped = list(pre_dropped)
    for i in served:
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


def _why_dropped(problem: Problem, i: int) -> str:
    visit = problem.visits[i]
    latest = max((w.end for w in visit.windows), default=None)
    if visit.pins.promise is not None and visit.pins.promise_hard:
        latest = (
            min(latest, visit.pins.promise.end) if latest is not None else visit.pins.promise.end
        )
    reachable = False
    latest_start: int | None = latest
    for veh in problem.vehicles:
        if not visit.skills <= veh.skills:
            continue
        arrive = veh.start_time + int(problem.durations[veh.start_location, visit.location])
        earliest = min((w.start for w in visit.windows), default=arrive)
        begin = max(arrive, earliest)
        back = begin + visit.service + int(problem.durations[visit.location, veh.end_location])
        if (latest_start is None or begin <= latest_start) and back <= veh.shift_end + veh.overtime:
            reachable = True
    if not reachable:
        return "no technician can reach it inside its window and still finish the shift"
    return "no room left in any route within shifts and windows (or leaving it out was cheaper)"
