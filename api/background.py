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
from dispatch.store.uow import SqlUnitOfWork

log = logging.getLogger("dispatch.reoptimise")
_RUNNING = threading.Lock()
AFTER_BOOKING_TIME_LIMIT_S = 2.0


def reoptimise(app: FastAPI) -> None:
    if not _RUNNING.acquire(blocking=False):
        return
    try:
        report = replan(
            SqlUnitOfWork(app.state.sessions),
            app.state.clock,
            app.state.travel,
            time_limit_s=AFTER_BOOKING_TIME_LIMIT_S,
        )
        log.info("re-optimised after booking: %s", report)
    except Exception:  # a background improvement must never take the service down
        log.exception("re-optimisation after booking failed")
    finally:
        _RUNNING.release()
