"""The day's error model, fitted once and reused while it cannot have changed.

Fitting reads every prediction settled today (``predictions.errors_since``), and every
technician event and every refresh asks for the model: on a day of 2,000 visits that
was a full read of a growing table per event, the day simulator's largest cost. The
model changes only when an arrival settles predictions, so a fit is kept per database
until this process settles one (``settled``) or a minute has passed (another process
may have settled some; a minute's arrivals barely move a day's 80th percentile).
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from dispatch.domain.eta_model import ErrorModel
from dispatch.domain.promise import half_width_for
from dispatch.store.ports import UnitOfWork

DAY = timedelta(hours=18)
FRESH = timedelta(minutes=1)

_lock = threading.Lock()
_fits: dict[str, tuple[datetime, int, ErrorModel]] = {}  # store -> (fitted at, generation)
_generation: dict[str, int] = {}


def settled(uow: UnitOfWork) -> None:
    """Predictions were settled in this store: the next model is fitted afresh."""
    with _lock:
        _generation[uow.store_id] = _generation.get(uow.store_id, 0) + 1


def day_model(uow: UnitOfWork, now: datetime) -> ErrorModel:
    """The model fitted on today's settled predictions (inside an open unit of work)."""
    key = uow.store_id
    with _lock:
        generation = _generation.get(key, 0)
        kept = _fits.get(key)
    if kept is not None and kept[1] == generation and kept[0] <= now < kept[0] + FRESH:
        return kept[2]
    model = ErrorModel.fit(observations(uow.predictions.errors_since(now - DAY)))
    with _lock:
        _fits[key] = (now, generation, model)
    return model


def observations(
    rows: list[tuple[int, float, float | None, float]],
) -> list[tuple[int, float, float]]:
    """(horizon, error s, default half-width s); a row from before the width was kept
    is measured against the default for its lead with no stop ahead."""
    return [(h, err, scale if scale is not None
             else half_width_for(timedelta(seconds=lead), 0).total_seconds())
            for h, err, scale, lead in rows]  # fmt: skip
