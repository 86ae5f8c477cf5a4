"""What the SISR kernel works on: the problem as plain arrays (``Arrays``, built by
``kernel_arrays``) and a plan with what insertion needs at hand (``_State``). Numba takes
named tuples of arrays whole, so the kernel's functions pass these two around."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]

INF = 1 << 60


class Arrays(NamedTuple):
    """The routing problem as the kernel sees it (a named tuple, which numba can take
    whole). Node numbers index the matrices."""

    cost: I64  # n x n
    travel: I64  # n x n (service not included)
    service: I64  # n
    w_lo: I64  # n x most windows: each window's opening, in time order, not overlapping
    w_hi: I64  # n x most windows: its latest start
    w_n: I64  # n: how many windows (0: never reachable)
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
