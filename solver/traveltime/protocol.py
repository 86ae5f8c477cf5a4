"""The one interface every travel-time source implements.

The road network, haversine and an OSRM server all answer the same question, so the
assignment, the quote and the day optimiser never care which one a region uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from solver.geo import LatLon


class OutsideServiceArea(ValueError):
    """A point lies too far from any road to be reached; the message names the distance."""

    def __init__(self, point: LatLon, distance_m: float, limit_m: float) -> None:
        self.point = point
        self.distance_m = distance_m
        self.limit_m = limit_m
        super().__init__(
            f"location ({point[0]:.5f}, {point[1]:.5f}) is outside the service area: "
            f"the nearest road is {distance_m:,.0f} m away (limit {limit_m:,.0f} m)"
        )


@runtime_checkable
class TravelTimes(Protocol):
    """Driving time in seconds from each origin to each destination.

    ``depart_at`` lets time-of-day aware sources (rush hours) scale the answer; sources
    without such knowledge ignore it. Implementations raise :class:`OutsideServiceArea`
    for points they cannot reach.
    """

    def matrix(
        self,
        origins: Sequence[LatLon],
        destinations: Sequence[LatLon],
        depart_at: datetime | None = None,
    ) -> npt.NDArray[np.float64]:
        """Seconds, shape ``(len(origins), len(destinations))``."""
        ...
