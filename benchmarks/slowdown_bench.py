"""Snow over the whole service area on a busy live day, from the declaration to every
affected customer's message queued; behind ``dispatch bench slowdown`` (issue 14).

A temporary SQLite database holds a synthetic live day (``benchmarks.synthetic_day``:
N technicians with ``visits`` each, every customer with an e-mail address). A slowdown
with ``factor`` is declared over the bounding box of every visit, for the rest of the
day (so every visit is inside its area and period). Timed, one after the
other as the service runs them: recording it, drawing its consequences
(``services.weather``: every route re-timed on the slowed roads, every customer inside
told once, a broken window carried in that notice), and planning the outbox's messages.

The peer, in the same run and on the same database: the periodic ETA refresh of the
whole fleet on the slowed roads (``services.refresh``), which the service runs every
minute anyway and which re-times the same routes without telling anyone anything.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from benchmarks.breakdown_bench import ZONE, scratch_day
from benchmarks.synthetic_day import seed_synthetic
from dispatch.domain.disruption import Area, DisruptionKind
from dispatch.domain.force_majeure import EffectKind
from dispatch.services.disruptions import NewDisruption, record_disruption
from dispatch.services.force_majeure import handle_pending
from dispatch.services.messages import Links, plan_messages
from dispatch.services.offers import OfferPolicy
from dispatch.services.refresh import refresh_etas
from dispatch.services.slowdowns import forget, travel_at
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes

MARGIN = 0.002  # degrees around the outermost visits


def _whole_area(uow: SqlUnitOfWork) -> Area:
    with uow:
        pts = [v.location for r in uow.routes.get_many([t.id for t in uow.technicians.all()])
               .values() for v in r.open_visits]  # fmt: skip
    return Area.box(min(p.lat for p in pts) - MARGIN, min(p.lon for p in pts) - MARGIN,
                    max(p.lat for p in pts) + MARGIN, max(p.lon for p in pts) + MARGIN)  # fmt: skip


def run(travel: TravelTimes, technicians: int, visits: int, factor: float, seed: int,
        say: Any = print) -> dict[str, Any]:  # fmt: skip
    with scratch_day("fd-slowdown-") as (uow, clock):
        seed_synthetic(uow, clock, travel, technicians, visits, seed, emails=True)
        plan_messages(uow, clock, Links("http://bench"), ZONE, batch=10**6)
        area = _whole_area(uow)
        say(f"{technicians} technicians, {technicians * visits} visits; snow x{factor} over "
            f"the whole area")  # fmt: skip
        clock.advance(timedelta(minutes=1))
        t0 = time.perf_counter()
        record_disruption(uow, clock, NewDisruption(
            DisruptionKind.SLOWDOWN, clock.now() + timedelta(hours=12), "snow and ice",
            area=area, factor=factor))  # fmt: skip
        forget()
        t1 = time.perf_counter()
        [done] = handle_pending(uow, clock, lambda: travel_at(uow, travel, clock.now()),
                                OfferPolicy(ZONE.key))  # fmt: skip
        t2 = time.perf_counter()
        made = plan_messages(uow, clock, Links("http://bench"), ZONE, batch=10**6)
        t3 = time.perf_counter()
        peer = refresh_etas(uow, clock, travel_at(uow, travel, clock.now()))
        t4 = time.perf_counter()
    total = t3 - t0
    return {
        "technicians": technicians, "visits": technicians * visits, "factor": factor,
        "outcomes": {k.value: done.count(k) for k in EffectKind if done.count(k)},
        "customers_told": len(done.effects), "messages_planned": made,
        "seconds": {"record": round(t1 - t0, 3), "handle": round(t2 - t1, 3),
                    "messages": round(t3 - t2, 3), "total": round(total, 3)},
        "peer_refresh_s": round(t4 - t3, 3), "peer_routes": peer.technicians,
        "ratio_to_refresh": round((t2 - t1) / max(t4 - t3, 1e-9), 2),
        "target_total_s": 60,
    }  # fmt: skip
