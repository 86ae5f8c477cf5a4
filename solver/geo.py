"""Coordinates as the solver sees them: WGS84 ``(lat, lon)`` float pairs."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

LatLon = tuple[float, float]


def metres(a: LatLon, b: LatLon) -> float:
    """Metres between two close points (equirectangular: good to a fraction of a per
    cent over the tens of kilometres of a region, and cheap)."""
    lat = math.radians((a[0] + b[0]) / 2)
    dy = math.radians(b[0] - a[0])
    dx = math.radians(b[1] - a[1]) * math.cos(lat)
    return 6_371_000.0 * math.hypot(dx, dy)


def along(line: Sequence[LatLon], share: float) -> LatLon:
    """The point ``share`` (0..1) of the way along a polyline, by distance.

    A vehicle on a road is on the road's line, not on the straight line between its
    ends: a position taken from the straight line can snap to another road (a motorway
    beside the street) whose drive to the destination is far longer.
    """
    if not line:
        raise ValueError("an empty polyline has no points")
    steps = [metres(a, b) for a, b in itertools.pairwise(line)]
    goal = max(0.0, min(1.0, share)) * sum(steps)
    for (a, b), d in zip(itertools.pairwise(line), steps, strict=True):
        if goal <= d and d > 0:
            f = goal / d
            return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f)
        goal -= d
    return line[-1]
