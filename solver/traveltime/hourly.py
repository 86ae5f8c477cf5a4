"""Each leg at the traffic of the hour it is driven in.

A source's matrix answers for one departure time; a route's legs are driven at many.
So times are asked free of the hour (``depart_at=None``) and each leg is scaled by the
factor of its own departure: a 16:30 leg gets the evening rush even when the route is
timed at noon. Sources without an hourly profile (haversine, OSRM) answer 1.0.

A leg already stored with a route is kept as its writer timed it: the writers (the
booking, the replan, the nightly plan, the weather re-timing) time legs at different
hours, so re-scaling them from a guessed hour would undo more than it fixes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from solver.geo import LatLon
from solver.traveltime.protocol import TravelTimes

HourFactor = Callable[[datetime], float]
# Hourly factors change on the local hour; every zone's offset is a multiple of 15
# minutes, so a factor looked up once per quarter hour is exact (and a quote's
# thousands of legs cost dictionary look-ups, not time-zone arithmetic).
BUCKET_S = 900


def flat(_moment: datetime) -> float:
    """No hours known: every leg as the matrix gives it."""
    return 1.0


def hour_factor(travel: TravelTimes, where: LatLon | None = None) -> HourFactor:
    """The source's factor for a departure at a given moment (near ``where``, for
    sources made of regions), or 1.0 throughout when it knows no hours. Resolved once:
    a fleet's refresh asks it for every leg."""
    ask = getattr(travel, "hourly", None)
    factor = ask(where) if callable(ask) else None
    if factor is None:
        return flat
    per_quarter = unix_factor(factor)
    return lambda moment: per_quarter(int(moment.timestamp()))


def at_hour(free_s: float, depart: datetime, factor: HourFactor) -> int:
    """A leg's seconds free of the hour, driven from ``depart``."""
    return round(free_s * factor(depart))


def unix_factor(factor: HourFactor) -> Callable[[int], float]:
    """The same factor on Unix seconds (the solver's integer clock), looked up once per
    quarter hour."""
    memo: dict[int, float] = {}

    def at(t: int) -> float:
        key = t // BUCKET_S
        if key not in memo:
            memo[key] = factor(datetime.fromtimestamp(key * BUCKET_S, UTC))
        return memo[key]

    return at


def rows_at_hours(travel: TravelTimes, points: Sequence[LatLon],
                  leave: Sequence[datetime]) -> npt.NDArray[np.float64]:  # fmt: skip
    """A matrix whose legs out of each point are driven at the hour it is left
    (``leave[i]``): a solver wants one matrix, and a stop's departure hour is known
    well before the plan is (its customer was told a window), so the leg from a 16:30
    visit gets the evening rush in every route the solver tries it in."""
    free = travel.matrix(points, points)
    scale = np.array([hour_factor(travel, p)(t) for p, t in zip(points, leave, strict=True)])
    scaled: npt.NDArray[np.float64] = free * scale[:, None]
    return scaled
