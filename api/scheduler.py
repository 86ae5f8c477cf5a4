"""Clock-driven jobs, run in the serving process (APScheduler 3.x).

Jobs never overlap themselves (``max_instances=1``) and a missed run is coalesced into
one, so a slow cycle cannot pile up work.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from fastapi import FastAPI

from dispatch.services.backlog import assign_waiting
from dispatch.store.uow import SqlUnitOfWork

log = logging.getLogger(__name__)


def build_scheduler(app: FastAPI, backlog_interval_s: float) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")

    def backlog() -> None:
        booked = assign_waiting(
            SqlUnitOfWork(app.state.sessions), app.state.clock, app.state.travel
        )
        if booked:
            log.info("booked %d waiting ticket(s)", booked)

    scheduler.add_job(
        backlog,
        "interval",
        seconds=backlog_interval_s,
        id="assign_waiting",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
