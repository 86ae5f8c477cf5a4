"""The road network on a tiny hand-made OSM file, checked against networkx."""

import itertools
import random
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import networkx as nx
import numpy as np
import pytest

from solver.roadnet.compiled import load_or_build
from solver.roadnet.network import RoadNetwork
from solver.roadnet.profile import DEFAULT_PROFILE, SpeedProfile
from solver.traveltime.protocol import OutsideServiceArea, TravelTimes

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.osm"
A, B, C, D, E = (51.0, 4.0), (51.0, 4.002), (51.0, 4.004), (51.002, 4.004), (51.002, 4.0)


@pytest.fixture
def net(tmp_path) -> RoadNetwork:
    return RoadNetwork.from_file(TINY, cache_dir=tmp_path)


def node_of(net: RoadNetwork, point) -> int:
    g = net.graph
    return int(np.argmin(np.hypot(g.lat - point[0], g.lon - point[1])))


def test_it_loads_clipped_ways_and_drops_the_island(net):
    info = net.info()
    assert isinstance(net, TravelTimes)
    assert info["missing_node_refs"] == 1
    assert info["dropped_nodes"] >= 2  # the island, and the clipped dead end's far half
    assert info["components"] >= 2
    assert 0 < info["tagged_speed_share"] < 1  # only D-E carries a limit
    assert info["nodes"] == 8  # A B C D E F G and H (the dead end is two-way)


def test_one_way_streets_are_respected(net):
    m = net.matrix([C, D], [C, D])
    assert m[0, 1] < m[1, 0]  # C->D is the one-way; D->C goes round through E
    direct = m[0, 1]
    around = m[1, 0]
    assert around > 2 * direct


def test_matrix_equals_networkx_dijkstra_between_nodes(net):
    g = net.graph
    nxg = g.to_networkx()
    points = [(float(g.lat[i]), float(g.lon[i])) for i in range(g.nodes)]
    m = net.matrix(points, points)
    for i, j in itertools.product(range(g.nodes), repeat=2):
        expected = nx.dijkstra_path_length(nxg, node_of(net, points[i]), node_of(net, points[j]))
        assert m[i, j] == pytest.approx(expected, abs=1e-9), (i, j)


def _with_points(net: RoadNetwork, named: dict[str, tuple[float, float]]) -> nx.DiGraph:
    """networkx graph with each named point inserted into the edge(s) it snaps onto;
    points sharing an edge are chained in order along it, so the drive between them
    is there too."""
    g = net.graph
    nxg = g.to_networkx()
    on_edge: dict[int, list[tuple[float, str]]] = {}
    for name, point in named.items():
        s = net.anchor(point).snap
        on_edge.setdefault(s.edge, []).append((s.fraction, name))
        rev = net._reverse_edge(s.edge)
        if rev is not None:
            on_edge.setdefault(rev, []).append((1 - s.fraction, name))
    for e, items in on_edge.items():
        u, v, w = int(g.u[e]), int(g.v[e]), float(g.seconds[e])
        chain = [(0.0, u), *sorted(items), (1.0, v)]
        for (f1, a), (f2, b) in itertools.pairwise(chain):
            if not nxg.has_edge(a, b) or nxg[a][b]["weight"] > (f2 - f1) * w:
                nxg.add_edge(a, b, weight=(f2 - f1) * w)
    return nxg


def test_matrix_equals_networkx_for_points_in_the_middle_of_edges(net):
    rng = random.Random(3)
    points = [(rng.uniform(50.9995, 51.0035), rng.uniform(3.9995, 4.011)) for _ in range(12)]
    m = net.matrix(points, points)
    for i, j in itertools.product(range(len(points)), repeat=2):
        nxg = _with_points(net, {"o": points[i], "d": points[j]})
        if i == j:
            assert m[i, j] == pytest.approx(0.0, abs=1e-9)
            continue
        expected = nx.dijkstra_path_length(nxg, "o", "d")
        assert m[i, j] == pytest.approx(expected, abs=1e-9), (i, j)


def test_snapping_picks_the_nearest_edge_not_the_nearest_node(net):
    g = net.graph
    rng = random.Random(5)
    for _ in range(200):
        p = (rng.uniform(50.998, 51.005), rng.uniform(3.998, 4.014))
        s = net.snapper.snap(p)
        x, y = net.snapper.x, net.snapper.y
        px, py = p[1] * net.snapper.kx, p[0] * 111_132.0
        best = min(
            np.hypot(
                px - (x[g.u[e]] + t * (x[g.v[e]] - x[g.u[e]])),
                py - (y[g.u[e]] + t * (y[g.v[e]] - y[g.u[e]])),
            )
            for e in range(g.edges)
            for t in np.linspace(0, 1, 401)
        )
        assert s.distance_m == pytest.approx(best, abs=0.5)
    # Halfway along the long road E-G, 40 m north: both its ends are far away.
    mid = (51.003 + 40 / 111_132.0, 4.006)
    s = net.snapper.snap(mid)
    assert {int(g.u[s.edge]), int(g.v[s.edge])} == {node_of(net, E), node_of(net, (51.004, 4.012))}
    assert 30 < s.distance_m < 50


def test_far_points_are_refused_with_the_distance(net):
    with pytest.raises(OutsideServiceArea, match=r"outside the service area.*m away"):
        net.matrix([(51.05, 4.0)], [A])
    near = RoadNetwork.from_file(TINY, max_snap_m=5_000)
    assert np.isfinite(near.matrix([(51.03, 4.0)], [A])).all()


def test_rush_hour_departures_take_longer():
    net = RoadNetwork.from_file(TINY)
    bxl = ZoneInfo("Europe/Brussels")
    night = net.matrix([A], [D], datetime(2026, 11, 24, 3, 0, tzinfo=bxl))[0, 0]
    rush = net.matrix([A], [D], datetime(2026, 11, 24, 8, 0, tzinfo=bxl))[0, 0]
    base = net.matrix([A], [D])[0, 0]
    assert night == pytest.approx(base * 0.95)
    assert rush == pytest.approx(base * 1.25)


def test_leg_geometry_follows_the_roads(net):
    line = net.route(C, D)
    assert line[0] == pytest.approx(C, abs=1e-6) and line[-1] == pytest.approx(D, abs=1e-6)
    back = net.route(D, C)  # the one-way forces the long way round
    assert len(back) > len(line)
    lats = [p[0] for p in back]
    assert max(lats) >= 51.002  # it passes through E or G, north of the street


def test_the_cache_is_rebuilt_when_the_file_or_the_profile_changes(tmp_path):
    src = tmp_path / "tiny.osm"
    shutil.copy(TINY, src)
    cache = tmp_path / "cache"
    _, cached = load_or_build(src, DEFAULT_PROFILE, cache)
    assert not cached
    _, cached = load_or_build(src, DEFAULT_PROFILE, cache)
    assert cached
    slower = SpeedProfile(class_speed_kmh={**DEFAULT_PROFILE.class_speed_kmh, "residential": 12})
    g_slow, cached = load_or_build(src, slower, cache)
    assert not cached
    src.write_text(src.read_text().replace('lon="4.0120"', 'lon="4.0130"'))
    g_moved, cached = load_or_build(src, DEFAULT_PROFILE, cache)
    assert not cached
    assert g_moved.lon.max() == pytest.approx(4.013)
    assert g_slow.seconds.sum() > g_moved.seconds.sum() * 0.9


def test_a_large_side_kept_for_reuse_gives_the_same_times_as_small_requests(net):
    """Sides of 64+ points are prepared once and kept (the slot search's booked stops);
    asked again, or asked in small pieces, the times must not change."""
    rng = random.Random(5)
    points = [(rng.uniform(50.9995, 51.0035), rng.uniform(3.9995, 4.011)) for _ in range(90)]
    few = points[:4]
    to_few, again = net.matrix(points, few), net.matrix(points, few)
    from_few = net.matrix(few, points)
    pieces = np.vstack([net.matrix(points[k : k + 10], few) for k in range(0, 90, 10)])
    cols = np.hstack([net.matrix(few, points[k : k + 10]) for k in range(0, 90, 10)])
    assert np.isfinite(to_few).all() and to_few.max() > 0
    assert np.array_equal(to_few, again) and np.array_equal(to_few, pieces)
    assert np.array_equal(from_few, cols)
