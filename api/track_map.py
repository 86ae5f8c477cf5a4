"""The small map on the customer's page, drawn on the server as SVG from our own road
network: the roads around, the customer's address, and a circle of about a kilometre
where the technician is. An image works without JavaScript and needs no outside tile
server; it is only served while the visit is next (``services.tracking_near``).
© OpenStreetMap contributors, ODbL, credited on the image."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from jinja2 import Environment

from dispatch.domain.model import GeoPoint
from solver.roadnet.compiled import CompiledGraph
from solver.roadnet.geojson import road_pairs

WIDTH, HEIGHT = 320, 200
MIN_SPAN_KM = 2.5  # never zoomed in closer than this across
MAX_ROADS = 8000  # a dense town centre: enough lines to read, a small image
FUZZ_KM = 0.8  # the technician's circle: they are somewhere in it
SVG = Environment(autoescape=True).from_string("""<svg xmlns="http://www.w3.org/2000/svg" \
viewBox="0 0 {{ w }} {{ h }}" width="{{ w }}" height="{{ h }}" role="img" \
aria-label="{{ label }}"><title>{{ label }}</title>
<rect width="{{ w }}" height="{{ h }}" fill="#f4f1ea"/>
<path d="{{ roads }}" stroke="#b8b2a7" stroke-width="1" fill="none"/>
<circle cx="{{ tech[0] }}" cy="{{ tech[1] }}" r="{{ fuzz }}" fill="#1d4ed8" fill-opacity=".18" \
stroke="#1d4ed8" stroke-width="1.5"/>
<text x="{{ tech[0] }}" y="{{ tech[1] + 4 }}" text-anchor="middle" \
font-family="system-ui, sans-serif" font-size="12" font-weight="600" \
fill="#1e3a8a">{{ name }}</text>
<circle cx="{{ home[0] }}" cy="{{ home[1] }}" r="7" fill="#b45309" stroke="#fff" stroke-width="2"/>
<text x="{{ home[0] }}" y="{{ home[1] - 11 }}" text-anchor="middle" \
font-family="system-ui, sans-serif" font-size="12" font-weight="600" fill="#7c2d12">{{ you }}</text>
<text x="{{ w - 4 }}" y="{{ h - 4 }}" text-anchor="end" font-family="system-ui, sans-serif" \
font-size="9" fill="#374151">© OpenStreetMap contributors</text></svg>""")


_SEGMENTS: dict[int, tuple[CompiledGraph, npt.NDArray[np.float64]]] = {}


def _segments(graph: CompiledGraph) -> npt.NDArray[np.float64]:
    """Each road once (both directions of a street are one line): rows of
    [lat_a, lon_a, lat_b, lon_b], made once per graph (it does not change)."""
    known = _SEGMENTS.get(id(graph))
    if known is not None and known[0] is graph:
        return known[1]
    pairs = road_pairs(graph)
    i, j = pairs[:, 0], pairs[:, 1]
    rows = np.stack([graph.lat[i], graph.lon[i], graph.lat[j], graph.lon[j]], axis=1)
    _SEGMENTS[id(graph)] = (graph, rows)
    return rows


def draw(graphs: Sequence[CompiledGraph], home: GeoPoint, tech: GeoPoint, name: str,
         you: str, label: str) -> str:  # fmt: skip
    km_lat = 111.2
    km_lon = km_lat * math.cos(math.radians((home.lat + tech.lat) / 2))
    mid_lat, mid_lon = (home.lat + tech.lat) / 2, (home.lon + tech.lon) / 2
    span_km = max(MIN_SPAN_KM, 1.4 * abs(home.lon - tech.lon) * km_lon + 2 * FUZZ_KM,
                  1.4 * abs(home.lat - tech.lat) * km_lat * WIDTH / HEIGHT + 2 * FUZZ_KM)
    px_per_km = WIDTH / span_km
    half_lon, half_lat = span_km / 2 / km_lon, span_km * HEIGHT / WIDTH / 2 / km_lat

    def xy(lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        x = (np.asarray(lon) - mid_lon + half_lon) * km_lon * px_per_km
        y = (mid_lat + half_lat - np.asarray(lat)) * km_lat * px_per_km
        return np.round(x, 1), np.round(y, 1)

    paths: list[str] = []
    for g in graphs:
        s = _segments(g)
        inside = ((np.abs(s[:, 0] - mid_lat) < half_lat) & (np.abs(s[:, 1] - mid_lon) < half_lon)
                  | (np.abs(s[:, 2] - mid_lat) < half_lat) & (np.abs(s[:, 3] - mid_lon) < half_lon))
        s = s[inside]
        if len(s) > MAX_ROADS:
            s = s[np.linspace(0, len(s) - 1, MAX_ROADS).astype(int)]
        xa, ya = xy(s[:, 0], s[:, 1])
        xb, yb = xy(s[:, 2], s[:, 3])
        paths.extend(f"M{p:g} {q:g}L{r:g} {t:g}" for p, q, r, t in zip(xa, ya, xb, yb, strict=True))
    hx, hy = xy(home.lat, home.lon)
    tx, ty = xy(tech.lat, tech.lon)
    return SVG.render(w=WIDTH, h=HEIGHT, roads="".join(paths), label=label, name=name, you=you,
                      home=(float(hx), float(hy)), tech=(float(tx), float(ty)),
                      fuzz=round(FUZZ_KM * px_per_km, 1))  # fmt: skip
