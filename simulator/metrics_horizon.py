"""How good the ETA engine was at a given distance from the arrival: the horizon half of
``simulator.metrics``.

A visit counts at horizon H only if it was also predicted more than H minutes ahead at
some point (as in ``benchmarks.message_kpis``): a visit first seen 5 minutes before the
door would otherwise pass for a 120-minute prediction and flatter the long horizons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from simulator.record import DayRecord, Prediction

HORIZONS_MIN = (120, 60, 30, 10)


@dataclass(frozen=True)
class Sample:
    """One visit's first prediction at most H minutes ahead, judged by its arrival."""

    error_min: float  # |arrival - eta|
    width_min: float  # the promised window at that moment
    covered: bool  # the arrival fell inside eta +/- half_width


def _sample(preds: list[Prediction], arrived: datetime, horizon: timedelta) -> Sample | None:
    if not any(p.eta - p.at > horizon for p in preds):
        return None
    first = next((p for p in preds if p.eta - p.at <= horizon), None)
    if first is None:
        return None
    error = abs(arrived - first.eta)
    return Sample(error.total_seconds() / 60, first.window.minutes, error <= first.half_width)


def by_horizon(day: DayRecord) -> dict[str, list[Sample]]:
    """The samples of every horizon, keyed "120", "60", "30", "10" as in the metrics."""
    seen: dict[int, list[Prediction]] = {}
    for p in day.predictions:
        seen.setdefault(p.ticket_id, []).append(p)
    out: dict[str, list[Sample]] = {}
    for h in HORIZONS_MIN:
        samples = []
        for ticket, preds in seen.items():
            arrival = day.arrivals.get(ticket)
            if arrival is None:
                continue
            s = _sample(preds, arrival.at, timedelta(minutes=h))
            if s is not None:
                samples.append(s)
        out[str(h)] = samples
    return out


def mae_min(samples: list[Sample]) -> float | None:
    return round(sum(s.error_min for s in samples) / len(samples), 1) if samples else None


def width_min(samples: list[Sample]) -> float | None:
    return round(sum(s.width_min for s in samples) / len(samples), 1) if samples else None


def coverage(samples: list[Sample]) -> float | None:
    return round(sum(s.covered for s in samples) / len(samples), 4) if samples else None
