"""A breakdown on a busy live day, from the report to the customers' messages queued;
behind ``dispatch bench breakdown`` (issue 14).

A temporary SQLite database holds a synthetic live day (``benchmarks.synthetic_day``:
N - 1 technicians with ``others`` visits each, and one with ``visits``; every customer
with an e-mail address). That one breaks down for three hours. Timed, one after the
other as the service runs them: recording the disruption, handing his planned visits
to whoever keeps their windows (``services.takeover``), and planning the messages of
the outbox (the deliver job's first step; a message planned is a message queued for
its channel). Counted: visits moved, visits nobody could take, customers messaged.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.synthetic_day import seed_synthetic
from dispatch.clock import FakeClock
from dispatch.domain.disruption import DisruptionKind
from dispatch.services.disruptions import NewDisruption, record_disruption
from dispatch.services.messages import Links, plan_messages
from dispatch.services.takeover import take_over
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.migrate import upgrade
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes

MORNING = datetime.fromisoformat("2026-12-01T09:00:00+01:00")
ZONE = ZoneInfo("Europe/Brussels")


def run(travel: TravelTimes, technicians: int, visits: int, others: int, seed: int,
        say: Any = print) -> dict[str, Any]:  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="fd-breakdown-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'day.sqlite3'}")
        upgrade(engine)
        uow, clock = SqlUnitOfWork(session_factory(engine)), FakeClock(MORNING)
        seed_synthetic(uow, clock, travel, technicians - 1, others, seed, emails=True)
        seed_synthetic(uow, clock, travel, 1, visits, seed + 10_000, emails=True)  # him
        plan_messages(uow, clock, Links("http://bench"), ZONE, batch=10**6)
        with uow:
            tech = uow.technicians.by_code(f"syn{seed + 10_000}-0001")
            assert tech is not None
            affected = [v.ticket_id for v in uow.routes.get(tech.id).open_visits]
        total = (technicians - 1) * others + visits
        say(f"{technicians} technicians, {total} visits; technician "
            f"{tech.id} breaks down with {len(affected)} visits ahead")  # fmt: skip
        t0 = time.perf_counter()
        record_disruption(uow, clock, NewDisruption(
            DisruptionKind.BREAKDOWN, clock.now() + timedelta(hours=3), "our van broke down",
            tech.id))  # fmt: skip
        t1 = time.perf_counter()
        done = take_over(uow, clock, travel, tech.id)
        t2 = time.perf_counter()
        plan_messages(uow, clock, Links("http://bench"), ZONE, batch=10**6)
        t3 = time.perf_counter()
        with uow:
            kinds = {t: {m.kind for m in uow.messages.for_ticket(t)} for t in affected}
        told = {t for t, k in kinds.items() if "technician_changed" in k}
        engine.dispose()
    return {
        "technicians": technicians, "visits": total, "affected": len(affected),
        "moved": len(done.moved), "stuck": len(done.stuck), "started": len(done.started),
        "customers_told": len(told),
        "seconds": {"record": round(t1 - t0, 3), "take_over": round(t2 - t1, 3),
                    "messages": round(t3 - t2, 3), "total": round(t3 - t0, 3)},
        "target_total_s": 10,
    }  # fmt: skip
