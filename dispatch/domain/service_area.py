"""Where we serve: inside the road networks we have (when any are configured) and within
``REACH_KM`` of some technician's home. A ticket in New York or at (0, 0), or a GPS fix
there, is a typo or a broken receiver: booked or stored, it would be planned with
straight lines across the world and pull a technician's ETAs with it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from dispatch.domain.model import GeoPoint

REACH_KM = 150.0
EARTH_KM = 6371.0088


def km_between(a: GeoPoint, b: GeoPoint) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dlon = math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(1.0, h)))


def outside(point: GeoPoint, homes: Sequence[GeoPoint],
            covers: Callable[[tuple[float, float]], bool] | None = None) -> bool:  # fmt: skip
    """``covers``: the road networks' test, when there are any."""
    if covers is not None and not covers(point.latlon):
        return True
    return bool(homes) and min(km_between(point, h) for h in homes) > REACH_KM
