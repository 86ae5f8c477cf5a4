"""Re-optimise the day after a booking, in the background and at most one at a time.

A burst of bookings must not start a burst of solver runs: if one is already running,
the new request is dropped (the running one, or the periodic replan, will see the new
visit anyway).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from functools import partial

from fastapi import FastAPI

from dispatch.config import Settings
from dispatch.domain.force_majeure import EffectKind
from dispatch.domain.message_rules import MessagePolicy
from dispatch.services.force_majeure import handle_pending
from dispatch.services.offers import OfferPolicy
from dispatch.services.replan import replan
from dispatch.services.slowdowns import travel_at
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes

log = logging.getLogger("dispatch.reoptimise")
_RUNNING = threading.Lock()
AFTER_BOOKING_TIME_LIMIT_S = 2.0


def _travel(app: FastAPI) -> TravelTimes:
    return travel_at(SqlUnitOfWork(app.state.sessions), app.state.travel, app.state.clock.now())


def reoptimise(app: FastAPI) -> None:
    if not _RUNNING.acquire(blocking=False):
        return
    try:
        report = replan(
            SqlUnitOfWork(app.state.sessions),
            app.state.clock,
            _travel(app),
            time_limit_s=AFTER_BOOKING_TIME_LIMIT_S,
            in_parts=False,  # a day too large for one search waits for the periodic replan
        )
        log.info("re-optimised after booking: %s", report)
    except Exception:  # a background improvement must never take the service down
        log.exception("re-optimisation after booking failed")
    finally:
        _RUNNING.release()


def offer_policy(settings: Settings) -> OfferPolicy:
    return OfferPolicy(settings.timezone.key, settings.visit_hours,
                       timedelta(minutes=settings.slot_minutes),
                       timedelta(minutes=settings.hold_minutes), settings.offers,
                       messages=MessagePolicy(hours=settings.message_hours))  # fmt: skip


def after_disruption(app: FastAPI) -> None:
    """A disruption just recorded: its consequences drawn at once (``force_majeure``),
    not at the next run of the scheduler's job (which retries one that failed here)."""
    try:
        policy = offer_policy(app.state.settings)
        for done in handle_pending(SqlUnitOfWork(app.state.sessions), app.state.clock,
                                   partial(_travel, app), policy):  # fmt: skip
            log.info("disruption handled: %s", {k.value: done.count(k) for k in EffectKind})
    except Exception:  # the scheduler's job tries again; the service stays up
        log.exception("handling a disruption failed")


def make_repeats(app: FastAPI) -> None:
    """A failed visit or a "not solved" just recorded: its repeat visit booked at once
    (the scheduler's job makes any this misses)."""
    from dispatch.services.repeats import make_repeats as make

    buffer = timedelta(minutes=app.state.settings.repeat_buffer_min)
    try:
        made = make(SqlUnitOfWork(app.state.sessions), app.state.clock, _travel(app), buffer)
        log.info("repeat visits made: %d", made)
    except Exception:  # the scheduler's job tries again; the service stays up
        log.exception("making repeat visits failed")
