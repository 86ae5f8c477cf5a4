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


@dataclass(frozen=True)
class Row:
    """One point's share of a side as arrays, made once per point (with its anchor):
    a request then stacks rows instead of walking every point's links in Python."""

    nodes: npt.NDArray[np.int64]  # its junctions
    costs: npt.NDArray[np.float64]  # seconds to or from each
    chain: npt.NDArray[np.int64]  # the chains it lies on
    pos: npt.NDArray[np.float64]  # and where along each


def row(links: Links, chains: Chains) -> Row:
    return Row(np.array([n for n, _ in links], dtype=np.int64),
               np.array([c for _, c in links], dtype=np.float64),
               np.array([c for c, _pos, _e in chains], dtype=np.int64),
               np.array([pos for _c, pos, _e in chains], dtype=np.float64))  # fmt: skip


def stack(rows: Sequence[Row]) -> Side:
    """The side of these points: each row padded to the widest with its first junction
    at an infinite cost. The quote's 2,000-stop side changes with every booking, so the
    cache never holds it; built from rows it took a third of the time (5.7 -> 1.8 ms)."""
    n = len(rows)
    lens = np.fromiter((len(r.nodes) for r in rows), np.int64, n)
    flat_nodes = np.concatenate([r.nodes for r in rows])
    flat_costs = np.concatenate([r.costs for r in rows])
    starts = np.cumsum(lens) - lens
    at_row = np.repeat(np.arange(n), lens)
    at_col = np.arange(len(flat_nodes)) - np.repeat(starts, lens)
    nodes = np.repeat(flat_nodes[starts][:, None], int(lens.max()), axis=1)
    costs = np.full(nodes.shape, INF)
    nodes[at_row, at_col], costs[at_row, at_col] = flat_nodes, flat_costs
    per_point = np.fromiter((len(r.chain) for r in rows), np.int64, n)
    chain = np.concatenate([r.chain for r in rows])
    point = np.repeat(np.arange(n), per_point)
    order = np.argsort(chain, kind="stable")
    pos = np.concatenate([r.pos for r in rows])
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
