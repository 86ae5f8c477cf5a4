"""The day as an OR-Tools routing model, over the node numbering of ``nodes``.

Costs and times are registered as transit *matrices* (not Python callbacks), which
lets the local search run several times more moves per second.

- time: a dimension whose transit is service-at-origin + travel, with slack for
  waiting; visit windows are hard ranges, promises hard or soft (lateness cost), the
  shift end hard unless overtime is allowed (then soft, at a cost);
- skills and "must be this technician" become allowed vehicles;
- every visit is a disjunction with its penalty (urgent: a huge one), so an
  infeasible visit is dropped and reported instead of failing the day;
- a started or en-route visit is locked first on its vehicle at its real time;
- breaks are fixed-duration intervals inside their window;
- a move cost per visit placed on another vehicle than before keeps a replan from
  reshuffling the day.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.constraint_solver import pywrapcp

from solver.model.problem import joined
from solver.routing.nodes import Nodes


@dataclass(frozen=True)
class DayModel:
    manager: Any  # pywrapcp.RoutingIndexManager
    routing: Any  # pywrapcp.RoutingModel
    time: Any  # the "time" dimension


def build_model(
    nodes: Nodes, previous_vehicle: Mapping[int, int], move_cost: Mapping[int, int]
) -> DayModel:
    """The full model of the day: the reference every plan is loaded into and checked
    against, whichever search found it."""
    manager = pywrapcp.RoutingIndexManager(
        nodes.count, len(nodes.problem.vehicles), nodes.starts, nodes.ends
    )
    routing = pywrapcp.RoutingModel(manager)
    time_transit = nodes.travel + nodes.service[:, None]
    cost_cb = routing.RegisterTransitMatrix(nodes.cost.tolist())
    time_cb = routing.RegisterTransitMatrix(time_transit.tolist())
    _arc_costs(routing, manager, nodes, cost_cb, previous_vehicle, move_cost)
    tdim = _time_dimension(routing, nodes, time_cb)
    _shifts(routing, manager, tdim, nodes)
    _load_dimension(routing, nodes)
    _visits(routing, manager, tdim, nodes)
    return DayModel(manager, routing, tdim)


def load_routes(model: DayModel, routes: Sequence[Sequence[int]]) -> Any | None:
    """An assignment from node lists, or None when they break a hard constraint here:
    a plan found outside this model must be proven feasible in it."""
    return model.routing.ReadAssignmentFromRoutes(
        [[model.manager.NodeToIndex(n) for n in r] for r in routes], True
    )


def _arc_costs(routing: Any, manager: Any, nodes: Nodes, cost_cb: int,
               previous_vehicle: Mapping[int, int],
               move_cost: Mapping[int, int]) -> None:  # fmt: skip
    """One shared matrix; a visit moved off the vehicle it was on costs its ``move_cost``,
    as a soft same-vehicle constraint with that vehicle's start. (A matrix per vehicle
    with the cost on every arc into a moved visit said the same, but 200 technicians
    and 2,000 visits made that 200 copies of a 2,200-square matrix: 8 GB.)"""
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    for node, was in previous_vehicle.items():
        if move_cost.get(node):
            routing.AddSoftSameVehicleConstraint([routing.Start(was), manager.NodeToIndex(node)],
                                                 move_cost[node])  # fmt: skip


def _time_dimension(routing: Any, nodes: Nodes, time_cb: int) -> Any:
    """The horizon is past every shift end, window and one more leg and service, so it
    never cuts a plan the windows and shifts allow."""
    problem = nodes.problem
    horizon = (
        max(
            [v.shift_end + v.overtime for v in problem.vehicles]
            + [w.end for vis in problem.visits for w in vis.windows]
            + [0]
        )
        + int(nodes.travel.max(initial=0))
        + int(nodes.service.max(initial=0))
        + 1
    )
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    return routing.GetDimensionOrDie("time")


def _shifts(routing: Any, manager: Any, tdim: Any, nodes: Nodes) -> None:
    """A vehicle may have left before its shift start when work was started earlier;
    overtime is a soft shift end; breaks are intervals the time dimension respects.
    The service times a break may not overlap are given per routing *index*: with
    several depots (technicians leaving from home) indices are not node numbers."""
    problem = nodes.problem
    indices = routing.Size() + routing.vehicles()
    on_site = [int(nodes.service[manager.IndexToNode(i)]) for i in range(indices)]
    for k, veh in enumerate(problem.vehicles):
        start_min = veh.start_time
        for i in nodes.served:
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
            tdim.SetBreakIntervalsOfVehicle(intervals, k, on_site)
        routing.AddVariableMinimizedByFinalizer(tdim.CumulVar(routing.End(k)))


def _load_dimension(routing: Any, nodes: Nodes) -> None:
    """Only when some vehicle has a capacity: the others get one nothing can exceed."""
    problem = nodes.problem
    if not any(v.capacity is not None for v in problem.vehicles):
        return
    demand = [0] * nodes.count
    for i in nodes.served:
        demand[nodes.visit_nodes[i]] = problem.visits[i].demand
    big = sum(demand) + 1
    demand_cb = routing.RegisterUnaryTransitVector(demand)
    caps = [v.capacity if v.capacity is not None else big for v in problem.vehicles]
    routing.AddDimensionWithVehicleCapacity(demand_cb, 0, caps, True, "load")


def _visits(routing: Any, manager: Any, tdim: Any, nodes: Nodes) -> None:
    """Several windows are one range with the gaps removed; started work is fixed on its
    vehicle, everything else may be left out at its penalty."""
    problem = nodes.problem
    vehicles = problem.vehicles
    solver = routing.solver()
    for i in nodes.served:
        visit = problem.visits[i]
        node = nodes.visit_nodes[i]
        index = manager.NodeToIndex(node)
        cumul = tdim.CumulVar(index)
        if visit.windows:
            ws = joined([(w.start, w.end) for w in visit.windows])  # a wide one may span a gap
            cumul.SetRange(ws[0][0], ws[-1][1])
            for (_, a_end), (b_start, _) in itertools.pairwise(ws):
                cumul.RemoveInterval(a_end + 1, b_start - 1)
        p = visit.pins
        if p.promise is not None:
            if p.promise_hard:
                cumul.SetMin(max(cumul.Min(), p.promise.start))
                cumul.SetMax(min(cumul.Max(), p.promise.end))
            else:  # late already: later costs, but never before the window told
                if p.promise.start <= cumul.Max():
                    cumul.SetMin(max(cumul.Min(), p.promise.start))
                per_s = max(1, math.ceil(p.lateness_cost_per_minute / 60))
                tdim.SetCumulVarSoftUpperBound(index, p.promise.end, per_s)
        allowed = nodes.allowed[i]
        if len(allowed) < len(vehicles):
            # -1 keeps "not performed" possible; SetAllowedVehiclesForIndex would be the
            # same, but its Python binding rejects every list in OR-Tools 9.15.
            options = [-1, *allowed] if p.started_on is None else list(allowed)
            routing.VehicleVar(index).SetValues(options)
        if p.started_on is not None:
            k = next(j for j, v in enumerate(vehicles) if v.id == p.started_on)
            solver.Add(routing.NextVar(routing.Start(k)) == index)
            if p.started_at is not None:
                cumul.SetRange(p.started_at, p.started_at)
        else:
            routing.AddDisjunction([index], int(visit.penalty))
        routing.AddVariableMinimizedByFinalizer(cumul)
