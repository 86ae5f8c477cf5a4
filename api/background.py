"""Re-optimise the day after a booking, in the background and at most one at a time.

A burst of bookings must not start a burst of solver runs: if one is already running,
the new request is dropped (the running one, or the periodic replan, will see the new
visit anyway).
"""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI

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
        )
        log.info("re-optimised after booking: %s", report)
    except Exception:  # a background improvement must never take the service down
        log.exception("re-optimisation after booking failed")
    finally:
        _RUNNING.release()


def after_disruption(app: FastAPI, technician_id: int) -> None:
    """A breakdown or an absence just recorded: his planned work to whoever keeps its
    window (``services.takeover``), at once; what nobody can take stays listed."""
    from dispatch.services.takeover import take_over

    try:
        done = take_over(SqlUnitOfWork(app.state.sessions), app.state.clock, _travel(app),
                         technician_id)  # fmt: skip
        log.info("technician %s out: %d visits taken over, %d stuck, %d started",
                 technician_id, len(done.moved), len(done.stuck), len(done.started))  # fmt: skip
    except Exception:  # the periodic replan tries again; the service stays up
        log.exception("taking over the work of technician %s failed", technician_id)
