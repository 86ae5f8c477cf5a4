"""The ruin and the recreate of SISR: take out a few strings of visits that lie close
together, and put each back at its cheapest feasible place, with a little noise."""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from solver.routing.sisr_state import I64, INF, Arrays, _State
from solver.routing.sisr_timing import _replay, _schedule, _start

MAX_STRING = 10  # L-max
SPLIT_RATE = 0.5
SPLIT_DEPTH = 0.01  # beta


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
            at = _start(u, dep + a.travel[prev, u], a)
            if at >= INF:
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
