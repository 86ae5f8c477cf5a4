"""Timing one route in the SISR kernel: when service starts at each stop, the latest
start that keeps the rest on time, breaks taken between stops, lateness and overtime.
Insertion asks these for every candidate position, so they are compiled and cached."""

from __future__ import annotations

import numba
import numpy as np

from solver.routing.sisr_state import I64, INF, Arrays, _State


@numba.njit(cache=True, nogil=True, inline="always")
def _start(u: int, t: int, a: Arrays) -> int:
    """When service starts for an arrival at t: in the first window not yet closed,
    waiting for it to open; INF if every window has closed."""
    for w in range(a.w_n[u]):
        if t <= a.w_hi[u, w]:
            return max(t, int(a.w_lo[u, w]))
    return INF


@numba.njit(cache=True, nogil=True, inline="always")
def _latest_start(u: int, bound: int, a: Arrays) -> int:
    """The latest start no later than ``bound`` inside one of u's windows (-INF: none).
    Starting is monotone in arrival, so arriving by this time starts by it too."""
    for w in range(a.w_n[u] - 1, -1, -1):
        if a.w_lo[u, w] <= bound:
            return min(bound, int(a.w_hi[u, w]))
    return -INF


@numba.njit(cache=True, nogil=True)
def _schedule(k: int, s: _State, a: Arrays) -> None:
    prev = a.v_start[k]
    t = a.v_t0[k]
    d = 0
    ld = 0
    n = s.rlen[k]
    for p in range(n):
        u = s.routes[k, p]
        at = _start(u, t + a.travel[prev, u], a)
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
        lu = _latest_start(u, late - a.travel[u, nxt] - a.service[u], a)
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
                at = _start(node, t[j] + a.travel[prev, node], a)
                if at >= INF:
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
