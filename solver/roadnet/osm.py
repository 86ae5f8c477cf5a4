"""Read an OpenStreetMap extract into drivable directed edges.

Clipped extracts reference nodes that are not in the file; such a way is split at the
missing nodes and its present pieces are kept. One-way rules follow OSM: ``oneway=yes``
/ ``-1``, roundabouts and motorways are one-way; ``access=no|private`` and areas are
not drivable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import osmium
from geopy.distance import EARTH_RADIUS

from solver.roadnet.profile import SpeedProfile

NO_ACCESS = {"no", "private", "agricultural", "forestry", "delivery", "destination_no"}
FORWARD = {"yes", "true", "1"}
BACKWARD = {"-1", "reverse"}


@dataclass(frozen=True)
class RawEdges:
    node_ids: npt.NDArray[np.int64]  # OSM ids, index = local node number
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    u: npt.NDArray[np.int64]
    v: npt.NDArray[np.int64]
    seconds: npt.NDArray[np.float64]
    metres: npt.NDArray[np.float64]
    tagged: npt.NDArray[np.bool_]  # speed from a maxspeed tag
    ways: int
    missing_node_refs: int


def _haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * EARTH_RADIUS * 1000 * np.arcsin(np.sqrt(h)))


def highway_ways(path: Path) -> Iterator[osmium.osm.Way]:
    """Every way with a ``highway`` tag, its nodes' locations resolved: what the road
    graph and the street names are read from."""
    processor = (
        osmium.FileProcessor(str(path))
        .with_locations()
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        .with_filter(osmium.filter.KeyFilter("highway"))
    )
    for obj in processor:
        if isinstance(obj, osmium.osm.Way):
            yield obj


def read_edges(path: Path, profile: SpeedProfile) -> RawEdges:
    if not path.exists():
        raise FileNotFoundError(f"no OpenStreetMap extract at {path}")
    drivable = profile.drivable
    index: dict[int, int] = {}
    lats: list[float] = []
    lons: list[float] = []
    us: list[int] = []
    vs: list[int] = []
    secs: list[float] = []
    metres: list[float] = []
    tagged: list[bool] = []
    ways = missing = 0

    def node(ref: int, lat: float, lon: float) -> int:
        i = index.get(ref)
        if i is None:
            i = index[ref] = len(lats)
            lats.append(lat)
            lons.append(lon)
        return i

    for way in highway_ways(path):
        tags = way.tags
        highway = tags.get("highway", "")
        if highway not in drivable or tags.get("area") == "yes":
            continue
        if tags.get("access") in NO_ACCESS or tags.get("motor_vehicle") in NO_ACCESS:
            continue
        if tags.get("motorcar") in NO_ACCESS:
            continue
        ways += 1
        oneway = tags.get("oneway", "")
        junction = tags.get("junction", "")
        forward_only = oneway in FORWARD or (
            oneway not in ("no", "false", "0")
            and (junction in ("roundabout", "circular") or highway in ("motorway",))
        )
        backward_only = oneway in BACKWARD
        kmh, from_tag = profile.speed_kmh(highway, tags.get("maxspeed"))
        speed = kmh / 3.6
        prev: tuple[int, float, float] | None = None
        for ref in way.nodes:
            loc = ref.location
            if not loc.valid():
                missing += 1
                prev = None  # split the way at a node the extract does not hold
                continue
            cur = (ref.ref, loc.lat, loc.lon)
            if prev is not None and prev[0] != cur[0]:
                a = node(*prev)
                b = node(*cur)
                m = _haversine_m(prev[1], prev[2], cur[1], cur[2])
                for x, y, allowed in ((a, b, not backward_only), (b, a, not forward_only)):
                    if allowed:
                        us.append(x)
                        vs.append(y)
                        secs.append(m / speed)
                        metres.append(m)
                        tagged.append(from_tag)
            prev = cur
    ids = np.empty(len(index), dtype=np.int64)
    for osm_id, i in index.items():
        ids[i] = osm_id
    return RawEdges(
        node_ids=ids,
        lat=np.asarray(lats, dtype=np.float64),
        lon=np.asarray(lons, dtype=np.float64),
        u=np.asarray(us, dtype=np.int64),
        v=np.asarray(vs, dtype=np.int64),
        seconds=np.asarray(secs, dtype=np.float64),
        metres=np.asarray(metres, dtype=np.float64),
        tagged=np.asarray(tagged, dtype=bool),
        ways=ways,
        missing_node_refs=missing,
    )
