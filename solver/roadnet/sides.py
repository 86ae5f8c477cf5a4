"""One side of a matrix (its origins, or its destinations) as arrays, kept for reuse.

A matrix combines each point's few junction links with rows of the junction graph.
Turning thousands of anchored points into padded arrays is Python work per point, and
at fleet scale it cost more than the graph search: the slot search asks the same
booked stops of a day, against a new ticket, request after request. So a large side is
prepared once and kept (an LRU keyed by its points); a small one is cheap to rebuild.

Two points on the same chain also get the direct drive along it: ``along`` joins the
two sides' chain entries by chain with a sort, not a Python loop over every point.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from solver.geo import LatLon

INF = np.inf
KEEP_FROM = 64  # points: smaller sides are rebuilt each time
CAPACITY = 256  # prepared sides kept (a fortnight of days, both ways, with room)

Links = tuple[tuple[int, float], ...]  # (junction, seconds between it and the point)
Chains = tuple[tuple[int, float, int], ...]  # (chain, position along it, edge)


@dataclass(frozen=True)
class Side:
    nodes: npt.NDArray[np.int64]  # (points, width): junctions, padded with a real one
    costs: npt.NDArray[np.float64]  # seconds to or from them; padding is infinite
    point: npt.NDArray[np.int64]  # one entry per (point, chain), sorted by chain
    chain: npt.NDArray[np.int64]
    pos: npt.NDArray[np.float64]


def build(links: Sequence[Links], chains: Sequence[Chains]) -> Side:
    width = max(len(p) for p in links)
    nodes = np.array([[n for n, _ in p] + [p[0][0]] * (width - len(p)) for p in links],
                     dtype=np.int64).reshape(len(links), width)  # fmt: skip
    costs = np.array([[c for _, c in p] + [INF] * (width - len(p)) for p in links],
                     dtype=np.float64).reshape(len(links), width)  # fmt: skip
    flat = [(i, c, pos) for i, cs in enumerate(chains) for c, pos, _e in cs]
    point = np.array([f[0] for f in flat], dtype=np.int64)
    chain = np.array([f[1] for f in flat], dtype=np.int64)
    pos = np.array([f[2] for f in flat], dtype=np.float64)
    order = np.argsort(chain, kind="stable")
    return Side(nodes, costs, point[order], chain[order], pos[order])


def along(out: npt.NDArray[np.float64], src: Side, dst: Side) -> None:
    """Lower ``out[i, j]`` to the drive along a shared chain, where j lies ahead of i."""
    lo = np.searchsorted(dst.chain, src.chain, side="left")
    hi = np.searchsorted(dst.chain, src.chain, side="right")
    for k in np.flatnonzero(hi > lo).tolist():
        js = dst.point[lo[k] : hi[k]]
        ahead = dst.pos[lo[k] : hi[k]] - src.pos[k]
        i = int(src.point[k])
        ok = ahead >= 0
        np.minimum.at(out[i], js[ok], ahead[ok])


class SideCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._data: OrderedDict[tuple[bool, tuple[LatLon, ...]], Side] = OrderedDict()
        self._lock = threading.Lock()
        self._capacity = capacity

    def get(self, points: Sequence[LatLon], exits: bool,
            make: Callable[[Sequence[LatLon]], Side]) -> Side:  # fmt: skip
        if len(points) < KEEP_FROM:
            return make(points)
        key = (exits, tuple(points))
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                return found
        side = make(points)
        with self._lock:
            self._data[key] = side
            while len(self._data) > self._capacity:
                self._data.popitem(last=False)
        return side
