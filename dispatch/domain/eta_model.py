"""How wide a promise should be, learned from the day's own ETA errors.

Every ETA is recorded once per *horizon* (how far ahead it was made: under 15 min,
15-30, 30-60, 60-120, 120-240, over 240). When the technician arrives, each record
gets its error (actual minus predicted). The half-width for a horizon is then the 80th
percentile of the absolute errors seen there today, shrunk towards the documented
default of :mod:`dispatch.domain.promise` while there are few observations:

    half_width = w * fitted + (1 - w) * default,   w = n / (n + 8)

So the morning starts with the default, and by midday the windows reflect how well
today's predictions actually hold. The interface is one method, so a model trained on
history can replace it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from dispatch.domain import promise

HORIZON_EDGES_MIN = (15, 30, 60, 120, 240)
PRIOR_WEIGHT = 8
QUANTILE = 0.8
FLOOR = timedelta(minutes=5)


def horizon_bucket(lead: timedelta) -> int:
    minutes = lead.total_seconds() / 60
    for i, edge in enumerate(HORIZON_EDGES_MIN):
        if minutes < edge:
            return i
    return len(HORIZON_EDGES_MIN)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass(frozen=True)
class ErrorModel:
    errors_s: Mapping[int, list[float]] = field(default_factory=dict)

    @classmethod
    def fit(cls, observations: Iterable[tuple[int, float]]) -> ErrorModel:
        """``observations``: (horizon bucket, actual - predicted seconds)."""
        by_bucket: dict[int, list[float]] = {}
        for bucket, err in observations:
            by_bucket.setdefault(bucket, []).append(err)
        return cls(by_bucket)

    def observations(self, bucket: int) -> int:
        return len(self.errors_s.get(bucket, []))

    def half_width(self, lead: timedelta, stops_ahead: int) -> timedelta:
        default = promise.half_width_for(lead, stops_ahead)
        errs = self.errors_s.get(horizon_bucket(lead), [])
        if not errs:
            return default
        fitted = max(timedelta(seconds=_quantile([abs(e) for e in errs], QUANTILE)), FLOOR)
        w = len(errs) / (len(errs) + PRIOR_WEIGHT)
        return min(w * fitted + (1 - w) * default, promise.MAX_HALF_WIDTH)
