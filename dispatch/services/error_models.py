"""The day's error model, fitted once and brought up to date arrival by arrival.

Fitting reads every prediction settled today (``predictions.errors_since``), and every
technician event and every refresh asks for the model. Refitting after each arrival
was a full read of a growing table per arrival: on the simulated 2,000-visit day it
took 37 % of the run (py-spy). So a fit is kept per database, and an arrival this
process settles (``settled``) adds only its own ticket's predictions to it. The whole
day is read again every ``FRESH`` (other processes settle arrivals too: the API's
technician events, the scheduler's refresh), and a ticket already in the fit is never
added again (a retried transaction settles it again).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from dispatch.domain.eta_model import ErrorModel
from dispatch.domain.promise import half_width_for
from dispatch.store.ports import UnitOfWork

DAY = timedelta(hours=18)
FRESH = timedelta(minutes=5)  # a day's 80th percentiles barely move in five minutes


@dataclass(frozen=True)
class _Fit:
    at: datetime  # when the day was last read whole
    model: ErrorModel
    added: frozenset[int]  # tickets whose settled predictions it holds


_lock = threading.Lock()
_fits: dict[str, _Fit] = {}  # store -> its fit
_pending: dict[str, set[int]] = {}  # store -> tickets settled since the fit was brought up


def settled(uow: UnitOfWork, ticket_id: int) -> None:
    """An arrival settled this ticket's predictions: the next model includes them."""
    with _lock:
        _pending.setdefault(uow.store_id, set()).add(ticket_id)


def day_model(uow: UnitOfWork, now: datetime) -> ErrorModel:
    """The model fitted on today's settled predictions (inside an open unit of work).

    One caller at a time (the reads are small but two threads bringing up the same fit
    would each drop the other's arrival). A ticket joins the fit only when its settled
    rows came back: one settled in a transaction not yet visible here stays pending."""
    key = uow.store_id
    with _lock:
        fit = _fits.get(key)
        pending = _pending.pop(key, set())
        if fit is not None and fit.at <= now < fit.at + FRESH:
            fresh = pending - fit.added
            if not fresh:
                return fit.model
            rows = uow.predictions.errors_since(now - DAY, sorted(fresh))
            seen = {row[0] for row in rows}
            fit = _Fit(fit.at, fit.model.extended(observations(rows)), fit.added | seen)
            # not visible to this transaction yet (or nothing to settle): asked again
            # until the next whole read, which finds whatever has become visible
            _pending.setdefault(key, set()).update(fresh - seen)
        else:
            rows = uow.predictions.errors_since(now - DAY)
            fit = _Fit(now, ErrorModel.fit(observations(rows)), frozenset(r[0] for r in rows))
        _fits[key] = fit
        return fit.model


def observations(
    rows: list[tuple[int, int, float, float | None, float]],
) -> list[tuple[int, float, float]]:
    """(horizon, error s, default half-width s); a row from before the width was kept
    is measured against the default for its lead with no stop ahead."""
    return [(h, err, scale if scale is not None
             else half_width_for(timedelta(seconds=lead), 0).total_seconds())
            for _, h, err, scale, lead in rows]  # fmt: skip
