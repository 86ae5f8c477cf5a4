"""One travel-time source per region, haversine where no region covers the points.

A deployment may serve several areas, each with its own extract (or an OSRM server).
A request whose points all fall in one region's box is answered by that region; any
other request falls back to haversine, so an odd ticket far outside never blocks the
rest of the system.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np
import numpy.typing as npt

from solver.geo import LatLon
from solver.traveltime.haversine import Haversine
from solver.traveltime.protocol import TravelTimes


class Region(TravelTimes, Protocol):
    def covers(self, point: LatLon) -> bool: ...

    def route(self, a: LatLon, b: LatLon) -> list[LatLon]: ...


@dataclass
class Regional:
    regions: Sequence[Region]
    fallback: TravelTimes

    def covers(self, point: LatLon) -> bool:
        """Some region holds ``point``; with no regions the fallback serves anywhere."""
        return not self.regions or any(r.covers(point) for r in self.regions)

    def region_for(self, points: Sequence[LatLon]) -> TravelTimes:
        for region in self.regions:
            if all(region.covers(p) for p in points):
                return region
        return self.fallback

    def matrix(
        self,
        origins: Sequence[LatLon],
        destinations: Sequence[LatLon],
        depart_at: datetime | None = None,
    ) -> npt.NDArray[np.float64]:
        source = self.region_for([*origins, *destinations])
        return source.matrix(origins, destinations, depart_at)

    def hourly(self, where: LatLon | None = None) -> Callable[[datetime | None], float] | None:
        """The hourly factor of the region holding ``where`` (no ``where``: the first
        region's), or None where the source serving it knows no hours."""
        if where is not None:
            source: object = self.region_for([where])
        else:
            source = self.regions[0] if self.regions else self.fallback
        ask = getattr(source, "hourly", None)
        return ask(where) if callable(ask) else None

    def route(self, a: LatLon, b: LatLon) -> list[LatLon] | None:
        """The road polyline of a leg, where a region holds both ends."""
        for region in self.regions:
            if region.covers(a) and region.covers(b):
                return region.route(a, b)
        return None


__all__ = ["Haversine", "Regional"]
