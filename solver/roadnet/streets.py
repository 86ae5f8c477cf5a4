"""Street names of an OpenStreetMap extract, each with a point on it, for the intake's
address search: an agent types the street the customer names, not coordinates.

A name used by ways far apart is more than one street (every village has its
Kapelstraat): a name's ways are grouped when they lie within ``SAME_STREET_M`` of each
other, and each group carries the nearest village or town so the agent can tell them
apart. House numbers are not in these extracts; the street is close enough for a quote,
and the agent can still click the exact spot on the map. Reading the demo extract takes
about 0.1 s, so the API reads it once per process.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import osmium

from solver.geo import LatLon, metres
from solver.roadnet.osm import highway_ways

SAME_STREET_M = 1500.0
PLACES = {"city", "town", "village", "suburb", "hamlet"}


@dataclass(frozen=True)
class Street:
    name: str
    place: str  # the nearest village or town; "" when the extract names none
    lat: float
    lon: float

    @property
    def label(self) -> str:
        return f"{self.name}, {self.place}" if self.place else self.name


def fold(text: str) -> str:
    """Lower case without accents: "Zwijnaardsesteenweg" is found as "zwijnaardse",
    "Église" as "eglise"."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def _ways(path: Path) -> dict[str, list[list[LatLon]]]:
    """Each name's ways, as their points in the file."""
    out: dict[str, list[list[LatLon]]] = {}
    for way in highway_ways(path):
        name = (way.tags.get("name") or "").strip()
        if not name:
            continue
        points = [(n.location.lat, n.location.lon) for n in way.nodes if n.location.valid()]
        if points:  # a clipped way may have none of its nodes in the file
            out.setdefault(name, []).append(points)
    return out


def _places(path: Path) -> list[tuple[str, LatLon]]:
    processor = (
        osmium.FileProcessor(str(path))
        .with_filter(osmium.filter.EntityFilter(osmium.osm.NODE))
        .with_filter(osmium.filter.KeyFilter("place"))
    )
    out = []
    for node in processor:
        name = node.tags.get("name") if isinstance(node, osmium.osm.Node) else None
        if isinstance(node, osmium.osm.Node) and name and node.tags.get("place") in PLACES:
            out.append((name, (node.location.lat, node.location.lon)))
    return out


def read_streets(path: Path) -> list[Street]:
    """The named streets of one extract, sorted by name."""
    if not path.exists():
        raise FileNotFoundError(f"no OpenStreetMap extract at {path}")
    places = _places(path)
    streets = []
    for name, ways in _ways(path).items():
        groups: list[list[list[LatLon]]] = []
        for points in sorted(ways, key=len, reverse=True):  # the longest way leads a group
            mid = points[len(points) // 2]
            group = next((g for g in groups if metres(g[0][len(g[0]) // 2], mid) <= SAME_STREET_M),
                         None)  # fmt: skip
            if group is None:
                groups.append([points])
            else:
                group.append(points)
        for g in groups:
            lat, lon = g[0][len(g[0]) // 2]
            near = min(places, key=lambda p: metres(p[1], (lat, lon)), default=("", (lat, lon)))
            streets.append(Street(name, near[0], lat, lon))
    return sorted(streets, key=lambda s: (fold(s.name), fold(s.place)))


def find_streets(streets: list[Street], query: str, limit: int) -> list[Street]:
    """Names that start with the query first, then those with a word that does, then
    those that hold it anywhere; each in name order."""
    key = fold(query.strip())
    if not key:
        return []
    first, word, inside = [], [], []
    for s in streets:
        name = fold(s.label)
        if name.startswith(key):
            first.append(s)
        elif any(w.startswith(key) for w in name.replace(",", " ").split()):
            word.append(s)
        elif key in name:
            inside.append(s)
    return [*first, *word, *inside][:limit]
