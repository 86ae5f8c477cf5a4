"""How wide a promise should be, learned from the day's own ETA errors.

Every ETA is recorded once per *horizon* (how far ahead it was made: under 15 min,
15-30, 30-60, 60-120, 120-240, over 240), with the documented default width of
:mod:`dispatch.domain.promise` for it (its stops ahead and its lead). When the
technician arrives, each record gets its error (actual minus predicted), measured
against that default: ``ratio = |error| / default``. The half-width for a horizon is then
the default scaled by the 80th percentile of the ratios seen there today, shrunk
towards 1 while there are few observations:

    half_width = default * (w * q80(ratios) + (1 - w)),   w = n / (n + 8)

(Pooling every horizon's ratios for a horizon with little evidence was tried: the
short horizons' small ratios pulled the 2-hour intervals narrower, 71.6 -> 70.4 %.)

Why ratios: the morning's first arrivals are one stop ahead of their prediction, the
afternoon's four. A plain percentile of minutes learned from the first was applied to
the second, and the simulated day's 2-hour intervals held 57-67 % of arrivals instead
of 80 %. The default already grows with the stops ahead and the lead; the day only
says by how much it is too wide or too narrow. The lead counts only working time:
before the shift starts nothing happens to make the first visit later (``idle``), and
a 07:00 prediction for the 08:20 first visit is as sure as one made at 08:00. The
interface is one method, so a model trained on history can replace it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

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
    ratios: Mapping[int, list[float]] = field(default_factory=dict)  # bucket -> |err| / default

    @classmethod
    def fit(cls, observations: Iterable[tuple[int, float, float]]) -> ErrorModel:
        """``observations``: (horizon bucket, actual - predicted seconds, the default
        half-width in seconds when it was predicted) of each settled prediction."""
        return cls().extended(observations)

    def extended(self, observations: Iterable[tuple[int, float, float]]) -> ErrorModel:
        """This model with more settled predictions: one arrival's, without reading the
        day's again (``error_models.day_model``)."""
        by_bucket = {b: list(r) for b, r in self.ratios.items()}
        for bucket, err, default_s in observations:
            by_bucket.setdefault(bucket, []).append(abs(err) / max(default_s, 1.0))
        return ErrorModel(by_bucket)

    @cached_property
    def _scales(self) -> dict[int, float]:
        """Each horizon's scale of the default, computed once: every ETA asks for one."""
        out = {}
        for bucket, ratios in self.ratios.items():
            w = len(ratios) / (len(ratios) + PRIOR_WEIGHT)
            out[bucket] = w * _quantile(ratios, QUANTILE) + (1 - w)
        return out

    def observations(self, bucket: int) -> int:
        return len(self.ratios.get(bucket, []))

    def half_width(self, lead: timedelta, stops_ahead: int,
                   idle: timedelta = timedelta(0)) -> timedelta:  # fmt: skip
        """``idle``: the part of ``lead`` before the technician's shift starts."""
        default = promise.half_width_for(lead - idle, stops_ahead)
        scale = self._scales.get(horizon_bucket(lead))
        if scale is None:
            return default
        return min(max(default * scale, FLOOR), promise.MAX_HALF_WIDTH)


@dataclass(frozen=True)
class AfterIdle:
    """A model (or the default) seen through a technician's idle time before the shift:
    the ``HalfWidth`` the window rules take."""

    model: ErrorModel | None
    idle: timedelta

    def half_width(self, lead: timedelta, stops_ahead: int) -> timedelta:
        if self.model is None:
            return promise.half_width_for(lead - self.idle, stops_ahead)
        return self.model.half_width(lead, stops_ahead, self.idle)
