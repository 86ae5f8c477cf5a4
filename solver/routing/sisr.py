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
from typing import NamedTuple

import numba
import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]

AVG_REMOVED = 10.0  # c-bar in the paper: visits taken out per iteration, on average
MAX_STRING = 10  # L-max
T_START, T_END = 7.0, 0.07  # annealing temperature, in mean legs of the first plan
SPLIT_RATE = 0.5
SPLIT_DEPTH = 0.01  # beta
BLINK_RATE = 0.01


class Arrays(NamedTuple):
    """The routing problem as the kernel sees it (a named tuple, which numba can take
    whole). Node numbers index the matrices."""

    cost: I64  # n x n
    travel: I64  # n x n (service not included)
    service: I64  # n
    earliest: I64  # n
    latest: I64  # n
    demand: I64  # n
    penalty: I64  # n, cost of leaving a visit out
    is_visit: npt.NDArray[np.bool_]  # n
    allowed: npt.NDArray[np.bool_]  # n x vehicles
    v_start: I64  # vehicles: start node
    v_end: I64
    v_t0: I64  # earliest departure
    v_t1: I64  # latest return
    v_cap: I64
    v_first: I64  # node pinned first on the vehicle (started work) or -1
    move: I64  # nodes x vehicles: the cost of serving the node on that vehicle (replans)
    b_count: I64  # vehicles: how many breaks (in window order)
    b_dur: I64  # vehicles x max breaks
    b_lo: I64  # earliest break start
    b_hi: I64  # latest break start
    soft_end: I64  # n: a soft promise's end (INF: none); later costs late_cost per second
    late_cost: I64  # n
    v_soft_end: I64  # vehicles: the shift end past which overtime costs (INF: no cost)
    v_over_cost: I64  # vehicles: per second of overtime
    slow: npt.NDArray[np.bool_]  # vehicles: breaks or soft costs, so insertions replay


INF = 1 << 60
log = logging.getLogger(__name__)


class _State(NamedTuple):
    """A plan with what insertion needs at hand: per route the visits, the start of
    service at each stop, the latest start that keeps the rest of the route on time,
    distance and load; per node its route and position (-1: not planned)."""

    routes: I64  # vehicles x width
    rlen: I64
    arr: I64
    lat: I64
    dist: I64
    soft: I64  # lateness and overtime cost of each route
    load: I64
    where_r: I64
    where_p: I64


@numba.njit(cache=True, nogil=True)
def _schedule(k: int, s: _State, a: Arrays) -> None:
    prev = a.v_start[k]
    t = a.v_t0[k]
    d = 0
    ld = 0
    n = s.rlen[k]
    for p in range(n):
        u = s.routes[k, p]
        at = max(t + a.travel[prev, u], a.earliest[u])
        s.arr[k, p] = at
        t = at + a.service[u]
        d += a.cost[prev, u] + a.move[u, k]
        ld += a.demand[u]
        s.where_r[u] = k
        s.where_p[u] = p
        prev = u
    s.dist[k] = d + a.cost[prev, a.v_end[k]]
    s.load[k] = ld
    if a.slow[k]:
        t_buf = np.empty(a.b_dur.shape[1] + 1, dtype=np.int64)
        s.soft[k] = max(0, _replay(k, s, a, -1, 0, n, t_buf, t_buf.copy()))
    else:
        s.soft[k] = 0
    nxt = a.v_end[k]
    late = a.v_t1[k]
    for p in range(n - 1, -1, -1):
        u = s.routes[k, p]
        lu = min(a.latest[u], late - a.travel[u, nxt] - a.service[u])
        if p == 0 and a.v_first[k] == u:
            lu = s.arr[k, 0]  # started work does not move
        s.lat[k, p] = lu
        late = lu
        nxt = u


@numba.njit(cache=True, nogil=True)
def _take_breaks(k: int, t: I64, c: I64, a: Arrays) -> None:
    """t[j]: the earliest time at this point of the route with the first j breaks
    taken (c[j]: the soft cost so far on that path). Taking the next break here is
    an option; for time alone earlier is never worse, so without soft costs the
    minimum over where each break goes is exact (with them, a good heuristic)."""
    for j in range(1, a.b_count[k] + 1):
        if t[j - 1] < INF:
            begin = max(t[j - 1], a.b_lo[k, j - 1])
            if begin <= a.b_hi[k, j - 1] and begin + a.b_dur[k, j - 1] < t[j]:
                t[j] = begin + a.b_dur[k, j - 1]
                c[j] = c[j - 1]


@numba.njit(cache=True, nogil=True)
def _replay(k: int, s: _State, a: Arrays, u: int, p: int, m: int, t: I64, c: I64) -> int:
    """Replay the first m stops of route k, with u put at position p (u < 0: as is),
    breaks taken between stops: -1 if a window or the return time breaks, else the
    lateness and overtime cost (0 for a partial replay, m < the route's length).
    O(length x breaks); field-service routes are short."""
    n_b = a.b_count[k]
    t[: n_b + 1] = INF
    c[: n_b + 1] = 0
    t[0] = a.v_t0[k]
    prev = a.v_start[k]
    for q in range(m):
        if u < 0:
            node = s.routes[k, q]
        elif q == p:
            node = u
        else:
            node = s.routes[k, q if q < p else q - 1]
        _take_breaks(k, t, c, a)
        alive = False
        for j in range(n_b + 1):
            if t[j] < INF:
                at = max(t[j] + a.travel[prev, node], a.earliest[node])
                if at > a.latest[node]:
                    t[j] = INF
                else:
                    if at > a.soft_end[node]:
                        c[j] += (at - a.soft_end[node]) * a.late_cost[node]
                    t[j] = at + a.service[node]
                    alive = True
        if not alive:
            return -1
        prev = node
    if m < s.rlen[k] + (1 if u >= 0 else 0):
        return 0
    _take_breaks(k, t, c, a)  # before the trip home ...
    for j in range(n_b + 1):
        if t[j] < INF:
            t[j] += a.travel[prev, a.v_end[k]]
    _take_breaks(k, t, c, a)  # ... or at home
    end = t[n_b]
    if end > a.v_t1[k]:
        return -1
    return int(c[n_b] + max(0, end - a.v_soft_end[k]) * a.v_over_cost[k])


@numba.njit(cache=True, nogil=True)
def _trim_infeasible(s: _State, a: Arrays) -> None:
    """A warm start may no longer fit (the day ran late): keep each route's longest
    feasible prefix (started work always stays) and leave the rest to be reinserted."""
    t = np.empty(a.b_dur.shape[1] + 1, dtype=np.int64)
    c = t.copy()
    for k in range(a.v_start.shape[0]):
        n = s.rlen[k]
        if _replay(k, s, a, -1, 0, n, t, c) >= 0:
            continue
        keep = 1 if (n > 0 and s.routes[k, 0] == a.v_first[k]) else 0
        while keep < n and _replay(k, s, a, -1, 0, keep + 1, t, c) >= 0:
            keep += 1
        for p in range(keep, n):
            s.where_r[s.routes[k, p]] = -1
            s.where_p[s.routes[k, p]] = -1
        s.rlen[k] = keep
        while s.rlen[k] > 0 and _replay(k, s, a, -1, 0, s.rlen[k], t, c) < 0:
            u = s.routes[k, s.rlen[k] - 1]
            if u == a.v_first[k]:
                break
            s.where_r[u] = -1
            s.where_p[u] = -1
            s.rlen[k] -= 1


@numba.njit(cache=True, nogil=True, inline="always")
def _first_free(k: int, s: _State, a: Arrays) -> int:
    """Position 0 belongs to started work, if the vehicle has any."""
    return 1 if (a.v_first[k] >= 0 and s.rlen[k] > 0 and s.routes[k, 0] == a.v_first[k]) else 0


@numba.njit(cache=True, nogil=True)
def _best_insert(u: int, s: _State, a: Arrays, blink: float, t: I64, c: I64) -> tuple[int, int]:
    """Cheapest feasible (route, position) for u, each position skipped with
    probability ``blink`` (the paper's noise); (-1, -1) if none. t and c are scratch
    space for replays."""
    best = np.int64(1) << 62
    bk = -1
    bp = -1
    for k in range(a.v_start.shape[0]):
        if not a.allowed[u, k] or s.load[k] + a.demand[u] > a.v_cap[k]:
            continue
        n = s.rlen[k]
        for p in range(_first_free(k, s, a), n + 1):
            if blink > 0.0 and np.random.random() < blink:
                continue
            if a.slow[k]:  # breaks or soft costs: replay the route
                soft = _replay(k, s, a, u, p, n + 1, t, c)
                if soft < 0:
                    continue
                prev = a.v_start[k] if p == 0 else s.routes[k, p - 1]
                nxt = a.v_end[k] if p == n else s.routes[k, p]
                delta = a.cost[prev, u] + a.cost[u, nxt] - a.cost[prev, nxt] + a.move[u, k]
                delta += soft - s.soft[k]
                if delta < best:
                    best, bk, bp = delta, k, p
                continue
            if p == 0:
                prev = a.v_start[k]
                dep = a.v_t0[k]
            else:
                prev = s.routes[k, p - 1]
                dep = s.arr[k, p - 1] + a.service[prev]
            at = max(dep + a.travel[prev, u], a.earliest[u])
            if at > a.latest[u]:
                break  # later positions only arrive later
            if p == n:
                nxt = a.v_end[k]
                limit = a.v_t1[k]
            else:
                nxt = s.routes[k, p]
                limit = s.lat[k, p]
            if at + a.service[u] + a.travel[u, nxt] > limit:
                continue
            delta = a.cost[prev, u] + a.cost[u, nxt] - a.cost[prev, nxt] + a.move[u, k]
            if delta < best:
                best, bk, bp = delta, k, p
    return bk, bp


@numba.njit(cache=True, nogil=True)
def _ruin(s: _State, a: Arrays, visits: I64, adj: I64, avg_removed: float, removed: I64,
          touched: npt.NDArray[np.bool_],
          touched_list: I64, mask: npt.NDArray[np.bool_]) -> tuple[int, int]:  # fmt: skip
    """Take out strings of visits on routes near a random seed visit (SISR's ruin).
    Returns how many visits went into ``removed`` and how many routes were touched."""
    n_veh = a.v_start.shape[0]
    assigned = 0
    nonempty = 0
    for k in range(n_veh):
        movable = s.rlen[k] - _first_free(k, s, a)
        if movable > 0:
            assigned += movable
            nonempty += 1
    if nonempty == 0:
        return 0, 0
    ls_max = min(float(MAX_STRING), assigned / nonempty)
    ks = int(np.random.random() * (4.0 * avg_removed / (1.0 + ls_max) - 1.0)) + 1
    seed_v = visits[np.random.randint(visits.shape[0])]
    n_removed = 0
    n_touched = 0
    for j in range(adj.shape[1]):
        if n_touched >= ks:
            break
        c = adj[seed_v, j]
        k = s.where_r[c]
        if k < 0 or touched[k]:
            continue
        n = s.rlen[k]
        lo = _first_free(k, s, a)
        movable = n - lo
        pc = s.where_p[c]
        if movable <= 0 or pc < lo:
            continue
        lt = int(np.random.random() * min(float(movable), ls_max)) + 1
        mask[:n] = False
        if lt == movable or np.random.random() >= SPLIT_RATE:
            first = max(lo, pc - lt + 1)
            start = first + np.random.randint(min(pc, n - lt) - first + 1)
            mask[start : start + lt] = True
        else:  # a string of lt + m visits of which m in the middle stay
            m = 1
            while lt + m < movable and np.random.random() > SPLIT_DEPTH:
                m += 1
            total = lt + m
            first = max(lo, pc - total + 1)
            start = first + np.random.randint(min(pc, n - total) - first + 1)
            keep = start + np.random.randint(lt + 1)
            mask[start : start + total] = True
            mask[keep : keep + m] = False
        w = 0
        for p in range(n):
            u = s.routes[k, p]
            if mask[p]:
                removed[n_removed] = u
                n_removed += 1
                s.where_r[u] = -1
                s.where_p[u] = -1
            else:
                s.routes[k, w] = u
                w += 1
        s.rlen[k] = w
        touched[k] = True
        touched_list[n_touched] = k
        n_touched += 1
        _schedule(k, s, a)
    return n_removed, n_touched


@numba.njit(cache=True, nogil=True, inline="always")
def _plan_cost(s: _State, a: Arrays, visits: I64) -> int:
    total = 0
    for k in range(a.v_start.shape[0]):
        total += s.dist[k] + s.soft[k]
    for u in visits:
        if s.where_r[u] < 0:
            total += a.penalty[u]
    return total


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
    a = Arrays(cost=m, travel=m, service=z, earliest=z, latest=np.full(n, 100, dtype=np.int64),
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
