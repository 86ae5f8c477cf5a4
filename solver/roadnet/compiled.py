"""The road graph as arrays, compiled once and cached on disk.

networkx is the model while building (it finds the largest strongly connected
component, so every kept node can reach every other); what is cached and searched is a
handful of numpy arrays. The cache file is keyed on the source file's content hash and
the speed profile, so editing either rebuilds it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix

from solver.roadnet.osm import read_edges
from solver.roadnet.profile import SpeedProfile

FORMAT = 3  # bump when the arrays change meaning


@dataclass(frozen=True)
class CompiledGraph:
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    u: npt.NDArray[np.int64]
    v: npt.NDArray[np.int64]
    seconds: npt.NDArray[np.float64]
    metres: npt.NDArray[np.float64]
    tagged: npt.NDArray[np.bool_]
    stats: dict[str, float]

    @property
    def nodes(self) -> int:
        return len(self.lat)

    @property
    def edges(self) -> int:
        return len(self.u)

    def csr(self) -> csr_matrix:
        """Adjacency with travel seconds; parallel edges keep the faster one."""
        order = np.lexsort((self.seconds, self.v, self.u))
        u, v, w = self.u[order], self.v[order], self.seconds[order]
        keep = np.ones(len(u), dtype=bool)
        keep[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
        return csr_matrix((w[keep], (u[keep], v[keep])), shape=(self.nodes, self.nodes))

    def to_networkx(self) -> nx.DiGraph:
        g = nx.DiGraph()
        for a, b, w in zip(self.u.tolist(), self.v.tolist(), self.seconds.tolist(), strict=True):
            if not g.has_edge(a, b) or g[a][b]["weight"] > w:
                g.add_edge(a, b, weight=w)
        return g


def build(path: Path, profile: SpeedProfile) -> CompiledGraph:
    raw = read_edges(path, profile)
    g = nx.DiGraph()
    g.add_nodes_from(range(len(raw.lat)))
    g.add_edges_from(zip(raw.u.tolist(), raw.v.tolist(), strict=True))
    components = sorted(nx.strongly_connected_components(g), key=len, reverse=True)
    if not components or not components[0]:
        raise ValueError(f"{path.name} holds no drivable roads")
    keep = np.zeros(len(raw.lat), dtype=bool)
    keep[list(components[0])] = True
    new_index = np.full(len(raw.lat), -1, dtype=np.int64)
    new_index[keep] = np.arange(int(keep.sum()))
    edge_keep = keep[raw.u] & keep[raw.v]
    stats: dict[str, float] = {
        "ways": raw.ways,
        "missing_node_refs": raw.missing_node_refs,
        "nodes_read": len(raw.lat),
        "edges_read": len(raw.u),
        "components": len(components),
        "dropped_nodes": int(len(raw.lat) - keep.sum()),
        "dropped_edges": int(len(raw.u) - edge_keep.sum()),
    }
    return CompiledGraph(
        lat=raw.lat[keep],
        lon=raw.lon[keep],
        u=new_index[raw.u[edge_keep]],
        v=new_index[raw.v[edge_keep]],
        seconds=raw.seconds[edge_keep],
        metres=raw.metres[edge_keep],
        tagged=raw.tagged[edge_keep],
        stats=stats,
    )


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def default_cache_dir() -> Path:
    env = os.environ.get("DISPATCH_CACHE_DIR")
    if env:
        return Path(env) / "roads"
    return Path(__file__).resolve().parents[2] / "var" / "cache" / "roads"


def cache_path(path: Path, profile: SpeedProfile, cache_dir: Path | None = None) -> Path:
    key = f"{file_digest(path)}-{profile.fingerprint()}-v{FORMAT}"
    return (cache_dir or default_cache_dir()) / f"{path.name}.{key}.npz"


def load_or_build(
    path: Path, profile: SpeedProfile, cache_dir: Path | None = None
) -> tuple[CompiledGraph, bool]:
    """The compiled graph, and whether it came from the cache."""
    target = cache_path(path, profile, cache_dir)
    if target.exists():
        data = np.load(target)
        stats = dict(zip(data["stat_keys"].tolist(), data["stat_values"].tolist(), strict=True))
        return (
            CompiledGraph(
                lat=data["lat"], lon=data["lon"], u=data["u"], v=data["v"],
                seconds=data["seconds"], metres=data["metres"], tagged=data["tagged"],
                stats=stats,
            ),
            True,
        )  # fmt: skip
    graph = build(path, profile)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp.npz")
    np.savez(
        tmp,
        lat=graph.lat, lon=graph.lon, u=graph.u, v=graph.v, seconds=graph.seconds,
        metres=graph.metres, tagged=graph.tagged,
        stat_keys=np.array(list(graph.stats)), stat_values=np.array(list(graph.stats.values())),
    )  # fmt: skip
    tmp.replace(target)  # atomic: a crash never leaves half a cache behind
    return graph, False
