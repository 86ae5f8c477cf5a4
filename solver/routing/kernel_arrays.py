"""The day as the compiled kernel (``sisr``) sees it: plain arrays over the node
numbering of ``nodes``.

The kernel models a restriction of the OR-Tools model, so whatever it finds loads
into that model as it is; costs it does model (soft promises, overtime, moved
visits) are priced per second exactly as OR-Tools prices them, so both searches
chase the same objective.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from solver.model.problem import Visit, joined
from solver.routing import sisr
from solver.routing.nodes import Nodes


def _kernel_windows(visit: Visit, big: int) -> list[tuple[int, int]]:
    """The visit's windows in time order, overlaps merged, each cut by a hard promise;
    those the promise leaves empty go (none left: the kernel never serves it and leaves
    it to OR-Tools). A soft promise (one already late) still opens no earlier than the
    window told: the technician would wait for it (``dispatch.services.eta``), so a
    plan serving it sooner is a plan nobody drives."""
    p = visit.pins
    cut = sorted((w.start, w.end) for w in visit.windows) or [(0, big)]
    if p.promise is not None and p.promise_hard:
        cut = [(max(a, p.promise.start), min(b, p.promise.end)) for a, b in cut]
    elif p.promise is not None:
        opened = joined([(max(a, p.promise.start), b) for a, b in cut])
        cut = opened or cut
    return joined(cut)


def kernel_arrays(
    nodes: Nodes,
    previous_vehicle: Mapping[int, int] | None = None,
    move_cost: Mapping[int, int] | None = None,
) -> sisr.Arrays:
    """The kernel's view: every window of a visit (cut by a hard promise), the shift
    end plus overtime as the latest return, breaks, started work first on its
    vehicle, and a replan's cost per visit moved to another vehicle."""
    problem = nodes.problem
    n = nodes.count
    vehicles = problem.vehicles
    big = 1 << 40
    windows = {i: _kernel_windows(problem.visits[i], big) for i in nodes.served}
    w_most = max([len(w) for w in windows.values()] + [1])
    w_lo = np.zeros((n, w_most), dtype=np.int64)
    w_hi = np.zeros((n, w_most), dtype=np.int64)
    w_hi[:, 0] = big  # depots: always open
    w_n = np.ones(n, dtype=np.int64)
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
        move[node, :] = (move_cost or {}).get(node, 0)
        move[node, was] = 0
    v_t0 = np.array([v.start_time for v in vehicles], dtype=np.int64)
    vid = {v.id: k for k, v in enumerate(vehicles)}
    for i in nodes.served:
        visit = problem.visits[i]
        node = nodes.visit_nodes[i]
        is_visit[node] = True
        p = visit.pins
        spans = windows[i]
        if p.started_on is not None:
            k = vid[p.started_on]
            v_first[k] = node
            if p.started_at is not None:
                spans = [(p.started_at, p.started_at)]
                v_t0[k] = min(v_t0[k], p.started_at)
        if p.promise is not None and not p.promise_hard:
            soft_end[node] = p.promise.end
            late_cost[node] = max(1, math.ceil(p.lateness_cost_per_minute / 60))
        w_n[node] = len(spans)
        for w, (lo, hi) in enumerate(spans):
            w_lo[node, w], w_hi[node, w] = lo, hi
        demand[node] = visit.demand
        penalty[node] = visit.penalty
        ok[node, nodes.allowed[i]] = True
    total = int(demand.sum()) + 1
    b_count = np.array([len(v.breaks) for v in vehicles], dtype=np.int64)
    return sisr.Arrays(
        cost=nodes.cost,
        travel=nodes.travel,
        service=nodes.service,
        w_lo=w_lo,
        w_hi=w_hi,
        w_n=w_n,
        demand=demand,
        penalty=penalty,
        is_visit=is_visit,
        allowed=ok,
        v_start=np.array(nodes.starts, dtype=np.int64),
        v_end=np.array(nodes.ends, dtype=np.int64),
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
