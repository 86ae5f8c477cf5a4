"""Travel times on a road network: the ``TravelTimes`` protocol, offline and fast.

A point is snapped onto its nearest edge and *anchored* to the junction graph: leaving
it, you drive to the end of its chain (and, on a two-way road, also to the start);
reaching it, you come from either chain end. A matrix is then one search per distinct
junction on the smaller side, combined with the anchors' offsets in numpy; two points
on the same chain also get the direct drive along it. Rows and columns of the junction
graph are cached, so adding one ticket to a live day costs one forward and one backward
search, not a new matrix. The result equals Dijkstra on the full graph.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import dijkstra

from solver.geo import LatLon
from solver.roadnet.compiled import CompiledGraph, load_or_build
from solver.roadnet.contract import Contracted, contract
from solver.roadnet.profile import DEFAULT_PROFILE, SpeedProfile
from solver.roadnet.sides import Row, Side, SideCache, along, row, stack
from solver.roadnet.snap import Snap, Snapper

INF = np.inf


@dataclass(frozen=True)
class Anchor:
    snap: Snap
    exits: tuple[tuple[int, float], ...]  # (junction, seconds to reach it from the point)
    entries: tuple[tuple[int, float], ...]  # (junction, seconds from it to the point)
    chains: tuple[tuple[int, float, int], ...]  # (chain, position along it, edge)
    leaving: Row  # exits and chains as arrays, for the origin side of a matrix
    reaching: Row  # entries and chains, for the destination side


class _Rows:
    """LRU of shortest-path rows of the junction graph, one per source junction."""

    def __init__(self, graph: object, capacity: int) -> None:
        self.graph = graph
        self.capacity = capacity
        self.rows: OrderedDict[int, npt.NDArray[np.float64]] = OrderedDict()
        self.lock = threading.Lock()
        self.searches = 0

    def get(self, sources: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        with self.lock:
            missing = [int(s) for s in sources if int(s) not in self.rows]
        if missing:
            found = dijkstra(self.graph, directed=True, indices=missing)
            with self.lock:
                self.searches += len(missing)
                for s, row in zip(missing, np.atleast_2d(found), strict=True):
                    self.rows[s] = row
        with self.lock:
            out = np.empty((len(sources), self._width()), dtype=np.float64)
            for i, s in enumerate(sources.tolist()):
                row = self.rows[s]
                self.rows.move_to_end(s)
                out[i] = row
            while len(self.rows) > self.capacity:
                self.rows.popitem(last=False)
        return out

    def _width(self) -> int:
        return int(self.graph.shape[0])  # type: ignore[attr-defined]


class RoadNetwork:
    def __init__(
        self,
        graph: CompiledGraph,
        profile: SpeedProfile = DEFAULT_PROFILE,
        max_snap_m: float = 1000.0,
        row_cache: int = 3000,
        name: str = "road network",
    ) -> None:
        self.graph = graph
        self.profile = profile
        self.name = name
        self.c: Contracted = contract(graph)
        self.snapper = Snapper(graph, max_snap_m)
        self._forward = _Rows(self.c.forward, row_cache)
        self._backward = _Rows(self.c.backward, row_cache)
        key = graph.u * graph.nodes + graph.v
        self._edge_keys = np.argsort(key)
        self._sorted_keys = key[self._edge_keys]
        self._anchors: OrderedDict[LatLon, Anchor] = OrderedDict()
        self._sides = SideCache()
        margin = 0.01  # about 1 km: the snapping limit
        self._box = (
            float(graph.lat.min()) - margin,
            float(graph.lon.min()) - margin,
            float(graph.lat.max()) + margin,
            float(graph.lon.max()) + margin,
        )
        self._anchor_lock = threading.Lock()

    @classmethod
    def from_file(
        cls,
        path: Path,
        profile: SpeedProfile = DEFAULT_PROFILE,
        cache_dir: Path | None = None,
        max_snap_m: float = 1000.0,
    ) -> RoadNetwork:
        graph, _cached = load_or_build(path, profile, cache_dir)
        return cls(graph, profile, max_snap_m, name=path.name)

    # -- anchoring -------------------------------------------------------------------
    def _reverse_edge(self, e: int) -> int | None:
        g = self.graph
        key = int(g.v[e]) * g.nodes + int(g.u[e])
        i = int(np.searchsorted(self._sorted_keys, key))
        if i < len(self._sorted_keys) and int(self._sorted_keys[i]) == key:
            return int(self._edge_keys[i])
        return None

    def anchor(self, point: LatLon) -> Anchor:
        with self._anchor_lock:
            found = self._anchors.get(point)
            if found is not None:
                self._anchors.move_to_end(point)
                return found
        snap = self.snapper.snap(point)
        c, g = self.c, self.graph
        exits, entries, chains = [], [], []
        options = [(snap.edge, snap.fraction)]
        rev = self._reverse_edge(snap.edge)
        if rev is not None:
            options.append((rev, 1.0 - snap.fraction))
        for e, frac in options:
            chain = int(c.edge_chain[e])
            pos = float(c.edge_offset[e] + frac * g.seconds[e])
            exits.append((int(c.chain_end[chain]), float(c.chain_seconds[chain]) - pos))
            entries.append((int(c.chain_start[chain]), pos))
            chains.append((chain, pos, e))
        # A point exactly on a junction is reached by every road into it, not just by
        # the edge it happened to snap to.
        for node, at_node in ((g.u[snap.edge], snap.fraction <= 1e-9),
                              (g.v[snap.edge], snap.fraction >= 1 - 1e-9)):  # fmt: skip
            junction = int(c.junction_of_node[node])
            if at_node and junction >= 0:
                exits.append((junction, 0.0))
                entries.append((junction, 0.0))
        exits_t, entries_t, chains_t = tuple(exits), tuple(entries), tuple(chains)
        anchor = Anchor(snap, exits_t, entries_t, chains_t, row(exits_t, chains_t),
                        row(entries_t, chains_t))  # fmt: skip
        with self._anchor_lock:
            self._anchors[point] = anchor
            while len(self._anchors) > 100_000:
                self._anchors.popitem(last=False)
        return anchor

    def snap(self, point: LatLon) -> tuple[LatLon, float]:
        """Nearest point on the road, however far: for GPS fixes, which are kept."""
        s = self.snapper.snap(point, limit_m=None)
        return s.point, s.distance_m

    def covers(self, point: LatLon) -> bool:
        """Inside the network's box (a cheap test before anchoring)."""
        b = self._box
        return b[0] <= point[0] <= b[2] and b[1] <= point[1] <= b[3]

    # -- travel times ----------------------------------------------------------------
    def _side(self, points: Sequence[LatLon], exits: bool) -> Side:
        def make(ps: Sequence[LatLon]) -> Side:
            anchors = [self.anchor(p) for p in ps]
            return stack([a.leaving if exits else a.reaching for a in anchors])

        return self._sides.get(points, exits, make)

    def matrix(
        self,
        origins: Sequence[LatLon],
        destinations: Sequence[LatLon],
        depart_at: datetime | None = None,
    ) -> npt.NDArray[np.float64]:
        if not origins or not destinations:
            return np.zeros((len(origins), len(destinations)))
        src, dst = self._side(origins, exits=True), self._side(destinations, exits=False)
        u_ex, ei = np.unique(src.nodes, return_inverse=True)
        u_en, di = np.unique(dst.nodes, return_inverse=True)
        ei, di = ei.reshape(src.nodes.shape), di.reshape(dst.nodes.shape)
        if len(u_ex) <= len(u_en):
            block = self._forward.get(u_ex)[:, u_en]
        else:
            block = self._backward.get(u_en)[:, u_ex].T
        out = np.full((len(origins), len(destinations)), INF)
        for a in range(src.nodes.shape[1]):
            rows = block[ei[:, a]]
            for b in range(dst.nodes.shape[1]):
                cand = src.costs[:, a, None] + rows[:, di[:, b]] + dst.costs[None, :, b]
                np.minimum(out, cand, out=out)
        along(out, src, dst)
        factor = self.profile.factor(depart_at)
        result: npt.NDArray[np.float64] = out * factor if factor != 1.0 else out
        return result

    def hourly(self, where: LatLon | None = None) -> Callable[[datetime | None], float]:
        """What ``matrix`` multiplies by for a departure at a moment (1.0: none given)."""
        return self.profile.factor

    def one_to_many(
        self, origin: LatLon, destinations: Sequence[LatLon], depart_at: datetime | None = None
    ) -> npt.NDArray[np.float64]:
        row: npt.NDArray[np.float64] = self.matrix([origin], destinations, depart_at)[0]
        return row

    def many_to_one(
        self, origins: Sequence[LatLon], destination: LatLon, depart_at: datetime | None = None
    ) -> npt.NDArray[np.float64]:
        col: npt.NDArray[np.float64] = self.matrix(origins, [destination], depart_at)[:, 0]
        return col

    # -- geometry --------------------------------------------------------------------
    def route(self, a: LatLon, b: LatLon) -> list[LatLon]:
        """The driven polyline from ``a`` to ``b`` (snapped ends), for drawing a leg."""
        src, dst = self.anchor(a), self.anchor(b)
        g, c = self.graph, self.c
        best: tuple[float, list[int]] | None = None
        for chain, pos, e in src.chains:  # along one chain, no junction needed
            for chain2, pos2, e2 in dst.chains:
                if chain == chain2 and pos2 >= pos:
                    edges = c.chain_edges[chain]
                    path = edges[edges.index(e) + 1 : edges.index(e2) + 1]
                    best = (pos2 - pos, path)
        # the extra junction exits (a point on a junction) come last and have no chain
        starts = [(j, k, e) for (j, k), (_c, _p, e) in zip(src.exits, src.chains, strict=False)]
        ends = [(j, k, ch, e) for (j, k), (ch, _p, e) in zip(dst.entries, dst.chains, strict=False)]
        for j1, cost1, e in starts:
            dist, pred = dijkstra(c.forward, directed=True, indices=j1, return_predecessors=True)
            for j2, cost2, chain2, e2 in ends:
                total = cost1 + float(dist[j2]) + cost2
                if best is not None and total >= best[0]:
                    continue
                hops = [j2]
                while hops[-1] != j1:
                    hops.append(int(pred[hops[-1]]))
                hops.reverse()
                chain = int(c.edge_chain[e])
                edges = c.chain_edges[chain]
                path = edges[edges.index(e) + 1 :]
                for x, y in itertools.pairwise(hops):
                    path += c.chain_edges[self._chain_between(x, y)]
                edges2 = c.chain_edges[chain2]
                path += edges2[: edges2.index(e2) + 1]
                best = (total, path)
        points: list[LatLon] = [src.snap.point]
        if best is not None:
            points += [(float(g.lat[g.u[e]]), float(g.lon[g.u[e]])) for e in best[1]]
        points.append(dst.snap.point)
        return points

    def _chain_between(self, x: int, y: int) -> int:
        c = self.c
        candidates = np.flatnonzero((c.chain_start == x) & (c.chain_end == y))
        return int(candidates[np.argmin(c.chain_seconds[candidates])])

    def info(self) -> dict[str, float]:
        g = self.graph
        return {
            "nodes": g.nodes,
            "edges": g.edges,
            "junctions": len(self.c.junction_nodes),
            "tagged_speed_share": round(float(g.tagged.mean()), 4) if g.edges else 0.0,
            "min_lat": float(g.lat.min()),
            "min_lon": float(g.lon.min()),
            "max_lat": float(g.lat.max()),
            "max_lon": float(g.lon.max()),
            **{k: float(v) for k, v in g.stats.items()},
        }


def load_network(path: Path, profile: SpeedProfile = DEFAULT_PROFILE) -> RoadNetwork:
    return RoadNetwork.from_file(path, profile)
