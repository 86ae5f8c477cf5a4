"""Great-circle travel times: the fallback where no road network is configured.

Straight lines are optimistic, so the distance is stretched by a detour factor (roads
are rarely straight) before it is divided by an average driving speed. The matrix is
vectorised (the haversine formula on geopy's mean Earth radius), because the quote asks
for a whole row and column of a live day at once and per-pair geodesics would take
hundreds of milliseconds there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from geopy.distance import EARTH_RADIUS, great_circle

from solver.geo import LatLon

EARTH_RADIUS_M = EARTH_RADIUS * 1000.0


def great_circle_m(
    origins: Sequence[LatLon], destinations: Sequence[LatLon]
) -> npt.NDArray[np.float64]:
    if not origins or not destinations:
        return np.zeros((len(origins), len(destinations)))
    a = np.radians(np.asarray(origins, dtype=np.float64))
    b = np.radians(np.asarray(destinations, dtype=np.float64))
    lat1, lon1 = a[:, 0:1], a[:, 1:2]
    lat2, lon2 = b[:, 0][None, :], b[:, 1][None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


@dataclass(frozen=True)
class Haversine:
    """Great-circle distance x ``detour_factor`` at ``speed_kmh`` average."""

    speed_kmh: float = 35.0
    detour_factor: float = 1.3

    def __post_init__(self) -> None:
        if self.speed_kmh <= 0:
            raise ValueError(f"average speed must be positive, got {self.speed_kmh} km/h")
        if self.detour_factor < 1:
            raise ValueError(f"detour factor must be at least 1, got {self.detour_factor}")

    def seconds(self, a: LatLon, b: LatLon) -> float:
        """One pair through geopy itself; the reference the matrix is tested against."""
        metres = float(great_circle(a, b).meters) * self.detour_factor
        return metres / (self.speed_kmh / 3.6)

    def matrix(
        self,
        origins: Sequence[LatLon],
        destinations: Sequence[LatLon],
        depart_at: datetime | None = None,
    ) -> npt.NDArray[np.float64]:
        metres = great_circle_m(origins, destinations) * self.detour_factor
        return metres / (self.speed_kmh / 3.6)
