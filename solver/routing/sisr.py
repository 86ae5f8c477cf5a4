"""Ruin-and-recreate search (SISR, Christiaens & Vanden Berghe 2020) compiled with numba.

Guided local search in OR-Tools settles early on the tight-window instances: it never
empties a route, and chained restarts with kicks only bought a few tenths of a point
(docs/benchmarks.md). SISR -- remove a few strings of visits that lie close together,
put them back greedily with a little noise, accept by simulated annealing -- is one
of the simplest searches that reaches the published best, but it needs hundreds of
thousands of iterations, which plain Python cannot run in seconds. The kernel is
therefore compiled; the OR-Tools model stays the reference that checks and polishes
what this finds. The kernel releases the GIL (``nogil``), so a replan running in the
service's scheduler thread does not stall the HTTP requests served beside it.

The kernel sees plain arrays: nodes (depots first, then visits), a cost and a travel
matrix, one time window per visit, per-vehicle start/end nodes and times, capacities,
breaks (each taken between two stops, inside its window), which vehicle may serve
which visit, a replan's cost per visit moved, soft promises and overtime at a cost per
second, and visits pinned first on a vehicle (started work, never moved).
"""

from __future__ import annotations

import logging
import math
import time

import numba
import numpy as np
import numpy.typing as npt

from solver.routing.sisr_moves import _best_insert, _plan_cost, _ruin
from solver.routing.sisr_state import I64, INF, Arrays, _State
from solver.routing.sisr_timing import _schedule, _trim_infeasible

__all__ = ["INF", "Arrays", "search", "warm_up"]

AVG_REMOVED = 10.0  # c-bar in the paper: visits taken out per iteration, on average
T_START, T_END = 7.0, 0.07  # annealing temperature, in mean legs of the first plan
BLINK_RATE = 0.01
log = logging.getLogger(__name__)


@numba.njit(cache=True, nogil=True)
def _run(routes: I64, rlen: I64, best_routes: I64, best_rlen: I64, iters: int, temp: float,
         seed: int, a: Arrays, visits: I64, adj: I64, avg_removed: float,
         best_in: int) -> int:  # fmt: skip
    """``iters`` ruin-and-recreate iterations at one temperature from (routes, rlen),
    which end as the current plan; best_routes/best_rlen take any plan cheaper than
    ``best_in``. Returns the best cost."""
    np.random.seed(seed)
    n_veh = a.v_start.shape[0]
    width = routes.shape[1]
    s = _State(routes, rlen, np.zeros((n_veh, width), dtype=np.int64),
               np.zeros((n_veh, width), dtype=np.int64), np.zeros(n_veh, dtype=np.int64),
               np.zeros(n_veh, dtype=np.int64), np.zeros(n_veh, dtype=np.int64),
               -np.ones(a.cost.shape[0], dtype=np.int64),
               -np.ones(a.cost.shape[0], dtype=np.int64))  # fmt: skip
    for k in range(n_veh):
        _schedule(k, s, a)
    _trim_infeasible(s, a)
    for k in range(n_veh):
        _schedule(k, s, a)
    cur_routes = routes.copy()
    cur_rlen = rlen.copy()
    cur = _plan_cost(s, a, visits)
    best = best_in
    if cur < best:  # the (trimmed) starting plan is itself the best so far
        best = cur
        best_rlen[:] = s.rlen
        best_routes[:] = s.routes
    n_vis = visits.shape[0]
    touched = np.zeros(n_veh, dtype=np.bool_)
    touched_list = np.zeros(n_veh, dtype=np.int64)
    removed = np.zeros(n_vis, dtype=np.int64)
    keys = np.zeros(n_vis, dtype=np.float64)
    mask = np.zeros(width + 1, dtype=np.bool_)
    t_buf = np.empty(a.b_dur.shape[1] + 1, dtype=np.int64)
    c_buf = np.empty(a.b_dur.shape[1] + 1, dtype=np.int64)
    depot = a.v_start[0]
    for _it in range(iters):
        n_removed, n_touched = _ruin(
            s, a, visits, adj, avg_removed, removed, touched, touched_list, mask
        )
        # what the current plan leaves out is offered again every time
        for u in visits:
            if s.where_r[u] < 0:
                dup = False
                for q in range(n_removed):
                    if removed[q] == u:
                        dup = True
                        break
                if not dup:
                    removed[n_removed] = u
                    n_removed += 1
        # recreate in one of the paper's orders: random, demand, far, close (4:4:2:1)
        r = np.random.random()
        for q in range(n_removed):
            u = removed[q]
            if r < 4.0 / 11.0:
                keys[q] = np.random.random()
            elif r < 8.0 / 11.0:
                keys[q] = -float(a.demand[u])
            elif r < 10.0 / 11.0:
                keys[q] = -float(a.cost[depot, u])
            else:
                keys[q] = float(a.cost[depot, u])
        for q in np.argsort(keys[:n_removed]):
            u = removed[q]
            k, p = _best_insert(u, s, a, BLINK_RATE, t_buf, c_buf)
            if k < 0:
                continue
            n = s.rlen[k]
            s.routes[k, p + 1 : n + 1] = s.routes[k, p:n].copy()
            s.routes[k, p] = u
            s.rlen[k] = n + 1
            _schedule(k, s, a)
            if not touched[k]:
                touched[k] = True
                touched_list[n_touched] = k
                n_touched += 1
        new = _plan_cost(s, a, visits)
        accept = new < cur or (temp > 0.0 and new < cur - temp * math.log(np.random.random()))
        if accept:
            cur = new
            for t in range(n_touched):
                k = touched_list[t]
                cur_rlen[k] = s.rlen[k]
                cur_routes[k, : s.rlen[k]] = s.routes[k, : s.rlen[k]]
            if new < best:
                best = new
                best_rlen[:] = s.rlen
                best_routes[:] = s.routes
        else:
            # back to the current plan: a visit this recreate placed that was out
            # before is out again (cleared first, then _schedule marks who is in)
            for t in range(n_touched):
                k = touched_list[t]
                for p in range(s.rlen[k]):
                    s.where_r[s.routes[k, p]] = -1
                    s.where_p[s.routes[k, p]] = -1
            for t in range(n_touched):
                k = touched_list[t]
                s.rlen[k] = cur_rlen[k]
                s.routes[k, : cur_rlen[k]] = cur_routes[k, : cur_rlen[k]]
                _schedule(k, s, a)
        for t in range(n_touched):
            touched[touched_list[t]] = False
    return best


def _route_cost(a: Arrays, k: int, route: I64) -> int:
    if len(route) == 0:
        return 0
    path = [int(a.v_start[k]), *(int(x) for x in route), int(a.v_end[k])]
    return int(a.cost[path[:-1], path[1:]].sum())


def _neighbour_table(cost: I64, visits: npt.NDArray[np.int64], n_nodes: int) -> I64:
    sub = cost[np.ix_(visits, visits)]
    sym = sub + sub.T
    order = np.argsort(sym, axis=1, kind="stable")
    table = np.zeros((n_nodes, len(visits)), dtype=np.int64)
    table[visits] = visits[order]
    return table


def search(
    arrays: Arrays,
    time_limit_s: float,
    seed: int = 1,
    initial: list[list[int]] | None = None,
    iterations: int | None = None,
) -> list[list[int]]:
    """Routes (visit nodes per vehicle, started work first) found within the time
    limit, or within ``iterations`` -- then the result depends only on the seed, not
    on the machine's speed. The temperature cools from 7 to 0.07 mean legs of the
    first plan: the paper's 100 -> 1 on the Solomon scale, where a leg is ~14."""
    warm_up()
    started = time.perf_counter()
    # one memory layout and dtype per field, or numba compiles the kernel again
    a = Arrays(*(np.ascontiguousarray(x, dtype=np.bool_ if x.dtype == np.bool_ else np.int64)
                 for x in arrays))  # fmt: skip
    n_veh = a.v_start.shape[0]
    visits = np.flatnonzero(a.is_visit).astype(np.int64)
    if len(visits) == 0 or n_veh == 0:
        return [[int(a.v_first[k])] if a.v_first[k] >= 0 else [] for k in range(n_veh)]
    adj = _neighbour_table(a.cost, visits, a.cost.shape[0])
    routes = np.zeros((n_veh, len(visits)), dtype=np.int64)
    rlen = np.zeros(n_veh, dtype=np.int64)
    for k in range(n_veh):
        if a.v_first[k] >= 0:
            routes[k, 0] = a.v_first[k]
            rlen[k] = 1
    for k, r in enumerate(initial or []):
        first = [int(a.v_first[k])] if a.v_first[k] >= 0 else []
        r = first + [x for x in r if x not in first]  # started work leads, always
        rlen[k] = len(r)
        routes[k, : len(r)] = r
    best_routes = routes.copy()
    best_rlen = rlen.copy()
    big = 1 << 62
    # one greedy pass fills the plan (there is little or nothing to ruin yet)
    best = _run(
        routes, rlen, best_routes, best_rlen, 1, 0.0, seed, a, visits, adj, AVG_REMOVED, big
    )
    routes[:] = best_routes
    rlen[:] = best_rlen
    legs = int(best_rlen.sum()) + int((best_rlen > 0).sum())
    travel = sum(_route_cost(a, k, best_routes[k, : best_rlen[k]]) for k in range(n_veh))
    mean_leg = max(1.0, travel / max(1, legs))
    t_start, t_end = T_START * mean_leg, T_END * mean_leg
    batch = 1000 if iterations is not None else 200
    done = 0
    while True:
        elapsed = time.perf_counter() - started
        if elapsed >= time_limit_s or (iterations is not None and done >= iterations):
            break
        frac = done / iterations if iterations is not None else elapsed / time_limit_s
        temp = t_start * (t_end / t_start) ** frac
        size = batch if iterations is None else min(batch, iterations - done)
        b0 = time.perf_counter()
        best = _run(routes, rlen, best_routes, best_rlen, size, temp, seed + done, a, visits,
                    adj, AVG_REMOVED, best)  # fmt: skip
        done += size
        if iterations is None and time.perf_counter() - b0 < time_limit_s / 200:
            batch = int(batch * 1.5) + 1  # read the clock a few hundred times at most
    log.debug("sisr: %d iterations in %.2f s, best %d", done, time.perf_counter() - started, best)
    return [[int(x) for x in best_routes[k, : best_rlen[k]]] for k in range(n_veh)]


_compiled = False


def warm_up() -> None:
    """Compile the kernel (or load it from numba's cache) on a two-visit problem, so
    no time limit is charged for it: compiling takes ~20 s once per install (numba
    caches it next to the module), loading ~0.3 s per process."""
    global _compiled
    if _compiled:
        return
    n = 3
    m = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=np.int64)
    z = np.zeros(n, dtype=np.int64)
    one = np.zeros(1, dtype=np.int64)
    a = Arrays(cost=m, travel=m, service=z, w_lo=np.zeros((n, 1), dtype=np.int64),
               w_hi=np.full((n, 1), 100, dtype=np.int64), w_n=np.ones(n, dtype=np.int64),
               demand=z, penalty=np.full(n, 100, dtype=np.int64),
               is_visit=np.array([False, True, True]), allowed=np.ones((n, 1), dtype=np.bool_),
               v_start=one, v_end=one, v_t0=one, v_t1=np.full(1, 100, dtype=np.int64),
               v_cap=np.full(1, 10, dtype=np.int64), v_first=np.full(1, -1, dtype=np.int64),
               move=np.zeros((n, 1), dtype=np.int64), b_count=np.ones(1, dtype=np.int64),
               b_dur=np.ones((1, 1), dtype=np.int64), b_lo=np.zeros((1, 1), dtype=np.int64),
               b_hi=np.full((1, 1), 100, dtype=np.int64), soft_end=np.full(n, INF, dtype=np.int64),
               late_cost=z, v_soft_end=np.full(1, INF, dtype=np.int64), v_over_cost=one,
               slow=np.ones(1, dtype=np.bool_))  # fmt: skip
    visits = np.array([1, 2], dtype=np.int64)
    routes = np.zeros((1, 2), dtype=np.int64)
    rlen = np.zeros(1, dtype=np.int64)
    adj = _neighbour_table(m, visits, n)
    _run(routes, rlen, routes.copy(), rlen.copy(), 2, 1.0, 1, a, visits, adj, AVG_REMOVED, 1 << 62)
    _compiled = True
