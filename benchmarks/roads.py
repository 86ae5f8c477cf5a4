"""Road-network figures anyone can rerun: ``dispatch roads info`` and ``roads matrix``."""

from __future__ import annotations

import random
import resource
import statistics
import time
from pathlib import Path

import numpy as np

from solver.geo import LatLon
from solver.roadnet.compiled import load_or_build
from solver.roadnet.network import RoadNetwork
from solver.roadnet.profile import DEFAULT_PROFILE
from solver.traveltime.protocol import OutsideServiceArea


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def info(path: Path, cache_dir: Path | None = None) -> dict[str, float]:
    load_or_build(path, DEFAULT_PROFILE, cache_dir)
    return RoadNetwork.from_file(path, cache_dir=cache_dir).info()


def random_points(net: RoadNetwork, n: int, seed: int) -> list[LatLon]:
    """Random coordinates inside the network's box that snap within the limit."""
    info = net.info()
    rng = random.Random(seed)
    out: list[LatLon] = []
    while len(out) < n:
        p = (
            rng.uniform(info["min_lat"], info["max_lat"]),
            rng.uniform(info["min_lon"], info["max_lon"]),
        )
        try:
            net.anchor(p)
        except OutsideServiceArea:
            continue
        out.append(p)
    return out


def matrix_benchmark(
    path: Path, points: int, seed: int, repeat: int, cache_dir: Path | None = None
) -> dict[str, float]:
    """Each repeat uses a fresh network (cold row cache) to time a full matrix honestly."""
    load_or_build(path, DEFAULT_PROFILE, cache_dir)  # compile once, outside the timing
    loads: list[float] = []
    times: list[float] = []
    one: list[float] = []
    nodes = edges = 0
    for r in range(repeat):
        t0 = time.perf_counter()
        net = RoadNetwork.from_file(path, cache_dir=cache_dir)
        loads.append(time.perf_counter() - t0)
        nodes, edges = net.graph.nodes, net.graph.edges
        pts = random_points(net, points, seed + r)
        t0 = time.perf_counter()
        m = net.matrix(pts, pts)
        times.append(time.perf_counter() - t0)
        if not np.isfinite(m).all():
            raise AssertionError("unreachable pairs in a strongly connected network")
        fresh = random_points(net, 25, seed + 1000 + r)
        for p in fresh:
            t0 = time.perf_counter()
            net.matrix([p], pts)
            net.matrix(pts, [p])
            one.append((time.perf_counter() - t0) * 1000)
    return {
        "nodes": nodes,
        "edges": edges,
        "points": points,
        "repeat": repeat,
        "seconds_min": round(min(times), 4),
        "seconds_median": round(statistics.median(times), 4),
        "seconds_max": round(max(times), 4),
        "one_to_many_ms_median": round(statistics.median(one), 3),
        "one_to_many_ms_max": round(max(one), 3),
        "load_seconds": round(statistics.median(loads), 4),
        "load_seconds_max": round(max(loads), 4),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
