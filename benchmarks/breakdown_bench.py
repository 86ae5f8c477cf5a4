"""A breakdown on a busy live day, from the report to the customers' messages queued;
behind ``dispatch bench breakdown`` (issue 14).

A temporary SQLite database holds a synthetic live day (``benchmarks.synthetic_day``:
N - 1 technicians with ``others`` visits each, and one with ``visits``; every customer
with an e-mail address; everyone on a Monday-to-Friday calendar for later dates). That
one breaks down for three hours. Timed, one after the other as the service runs them:
recording the disruption, drawing its consequences (``services.force_majeure``: his
visits to whoever keeps their windows, the rest kept or offered new appointments with
the first held, the started one flagged), and planning the messages of the outbox (the
deliver job's first step; a message planned is a message queued for its channel).
Counted: visits per outcome, customers messaged.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.synthetic_day import seed_synthetic
from dispatch.clock import FakeClock
from dispatch.domain.calendar import Hours, WeeklyPattern
from dispatch.domain.disruption import DisruptionKind
from dispatch.domain.force_majeure import EffectKind
from dispatch.services.disruptions import NewDisruption, record_disruption
from dispatch.services.force_majeure import handle_pending
from dispatch.services.messages import Links, plan_messages
from dispatch.services.offers import OfferPolicy
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.migrate import upgrade
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes

MORNING = datetime.fromisoformat("2026-12-01T09:00:00+01:00")
ZONE = ZoneInfo("Europe/Brussels")
WEEK = WeeklyPattern(ZONE.key, {d: Hours(dt.time(7, 0), dt.time(18, 0)) for d in range(5)})
TOLD = {"technician_changed", "force_majeure"}


def with_calendars(uow: SqlUnitOfWork, clock: FakeClock) -> None:
    """Everyone works weekdays: force majeure offers later dates too."""
    with uow:
        for t in uow.technicians.all():
            uow.calendars.set_pattern(t.id, WEEK, clock.now())
        uow.commit()


@contextmanager
def scratch_day(prefix: str) -> Iterator[tuple[SqlUnitOfWork, FakeClock]]:
    """A fresh SQLite database in a temporary folder, at 09:00 of a Tuesday."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'day.sqlite3'}")
        upgrade(engine)
        try:
            yield SqlUnitOfWork(session_factory(engine)), FakeClock(MORNING)
        finally:
            engine.dispose()


def run(travel: TravelTimes, technicians: int, visits: int, others: int, seed: int,
        say: Any = print) -> dict[str, Any]:  # fmt: skip
    with scratch_day("fd-breakdown-") as (uow, clock):
        seed_synthetic(uow, clock, travel, technicians - 1, others, seed, emails=True)
        seed_synthetic(uow, clock, travel, 1, visits, seed + 10_000, emails=True)  # him
        with_calendars(uow, clock)
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
        [done] = handle_pending(uow, clock, lambda: travel, OfferPolicy(ZONE.key))
        t2 = time.perf_counter()
        plan_messages(uow, clock, Links("http://bench"), ZONE, batch=10**6)
        t3 = time.perf_counter()
        with uow:
            kinds = {t: [m.kind for m in uow.messages.for_ticket(t) if m.kind in TOLD]
                     for t in affected}  # fmt: skip
        told = [t for t, k in kinds.items() if k]
        twice = [t for t, k in kinds.items() if len(k) > 1]  # one e-mail each, or a bug
    return {
        "technicians": technicians, "visits": total, "affected": len(affected),
        "outcomes": {k.value: done.count(k) for k in EffectKind if done.count(k)},
        "customers_told": len(told), "customers_told_twice": len(twice),
        "seconds": {"record": round(t1 - t0, 3), "handle": round(t2 - t1, 3),
                    "messages": round(t3 - t2, 3), "total": round(t3 - t0, 3)},
        "target_total_s": 10,
    }  # fmt: skip
