"""Great-circle travel times: the fallback where no road network is configured.

Straight lines are optimistic, so the distance is stretched by a detour factor (roads
are rarely straight) before it is divided by an average driving speed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from geopy.distance import geodesic

from solver.geo import LatLon


@dataclass(frozen=True)
class Haversine:
    """Geodesic distance x ``detour_factor`` at ``speed_kmh`` average."""

    speed_kmh: float = 35.0
    detour_factor: float = 1.3

    def __post_init__(self) -> None:
        if self.speed_kmh <= 0:
            raise ValueError(f"average speed must be positive, got {self.speed_kmh} km/h")
        if self.detour_factor < 1:
            raise ValueError(f"detour factor must be at least 1, got {self.detour_factor}")

    def seconds(self, a: LatLon, b: LatLon) -> float:
        metres = float(geodesic(a, b).meters) * self.detour_factor
        return metres / (self.speed_kmh / 3.6)

    def matrix(
        self,
        origins: Sequence[LatLon],
        destinations: Sequence[LatLon],
        depart_at: datetime | None = None,
    ) -> npt.NDArray[np.float64]:
        out = np.empty((len(origins), len(destinations)), dtype=np.float64)
        for i, a in enumerate(origins):
            for j, b in enumerate(destinations):
                out[i, j] = 0.0 if a == b else self.seconds(a, b)
        return out
