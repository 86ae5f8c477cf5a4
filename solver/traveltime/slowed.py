"""Travel times slowed inside areas over periods: snow, ice, a storm, a closed road.

A leg that starts or ends inside a slowed area, departing while the slowdown lasts,
takes ``factor`` times as long (the largest factor, where areas overlap). A leg that
only crosses an area is not slowed: it is the roads near the customers that matter,
and a crossing would need the path, which a matrix does not have. Without a departure
time the moment given at construction counts (the quote's and the replan's "now").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.geo import LatLon
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class Zone:
    corners: tuple[tuple[float, float], ...]  # (lat, lon), a polygon
    factor: float
    start: datetime
    end: datetime

    def contains(self, points: Sequence[LatLon]) -> npt.NDArray[np.bool_]:
        """Even-odd ray casting for many points at once."""
        if not points:
            return np.zeros(0, dtype=bool)
        p = np.asarray(points, dtype=float)
        lat, lon = p[:, 0], p[:, 1]
        inside = np.zeros(len(p), dtype=bool)
        ring = self.corners
        for (y1, x1), (y2, x2) in zip(ring, (*ring[1:], ring[0]), strict=True):
            if y1 == y2:
                continue
            crosses = (y1 > lat) != (y2 > lat)
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            inside ^= crosses & (lon < x)
        return inside


class Slowed:
    def __init__(self, base: TravelTimes, zones: Sequence[Zone], now: datetime) -> None:
        self.base, self.zones, self.now = base, tuple(zones), now

    def matrix(self, origins: Sequence[LatLon], destinations: Sequence[LatLon],
               depart_at: datetime | None = None) -> npt.NDArray[np.float64]:  # fmt: skip
        m = self.base.matrix(origins, destinations, depart_at)
        t = depart_at or self.now
        factor = np.ones(m.shape)
        for z in self.zones:
            if z.start <= t < z.end:
                touched = z.contains(origins)[:, None] | z.contains(destinations)[None, :]
                factor = np.maximum(factor, np.where(touched, z.factor, 1.0))
        slowed: npt.NDArray[np.float64] = m * factor
        return slowed

    def __getattr__(self, name: str) -> Any:
        """Everything else (route geometry, regions, snapping) is the base's."""
        return getattr(self.base, name)
