"""The nightly plan of one booked date at fleet scale; behind ``dispatch bench nightly``
(issue 13).

A temporary SQLite database holds one booked working day (``benchmarks.fortnight``:
N technicians, V appointments each, booked one after another in driving order inside
two-hour windows). The nightly plan re-optimises it with a time limit; every promise is
then checked apart from the plan's own code, on the stored days (``_day_holds``). The
peer is the same date, booked again in a database of its own, planned by OR-Tools'
guided local search alone (same groups, model and budget), in the same run.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.fortnight import seed_fortnight, working_days
from dispatch.services.nightly_plan import load_date, plan_date
from dispatch.services.replan import KERNEL_SHARE
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.migrate import upgrade
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes

FRIDAY_EVENING = datetime.fromisoformat("2026-11-27T18:00:00+01:00")


def _day_holds(travel: TravelTimes, home: Any, work: Any, items: Any) -> int:
    """Broken promises in one stored day, replayed from its ETAs with fresh road times:
    each ETA inside its window and reachable from the stop before, done by the shift
    end, and 30 idle minutes (before a drive or at the door) that fit the lunch window
    (1 if lunch cannot)."""
    points = [home.latlon, *(a.location.latlon for a in items)]
    legs = travel.matrix(points, points)
    broken, free = 0, []
    t = int(work.shift.start.timestamp())
    for k, a in enumerate(items):
        eta = int(a.eta.timestamp())
        leg = round(float(legs[k, k + 1]))
        broken += not a.window.contains(a.eta) or eta < t + leg
        free += [(t, eta - leg), (t + leg, eta)]  # idle before the drive, or at the door
        t = max(eta, int(a.window.start.timestamp())) + int(a.service.total_seconds())
    broken += t > int(work.shift.end.timestamp())
    free.append((t, int(work.shift.end.timestamp())))
    lunch = work.lunch
    if lunch is not None:
        lo, hi = int(lunch.earliest.timestamp()), int(lunch.latest.timestamp())
        need = int(lunch.duration.total_seconds())
        broken += not any(max(x, lo) + need <= min(y, hi) for x, y in free)
    return int(broken)


def broken_promises(uow: SqlUnitOfWork, travel: TravelTimes, day: Any) -> int:
    """Checked apart from the plan's own code (``_day_holds``), on every stored day."""
    with uow:
        state = load_date(uow, day)
    return sum(_day_holds(travel, state.technicians[t].home, state.work[t], p.appointments)
               for t, p in state.plans.items() if t in state.work)  # fmt: skip


def _date(travel: TravelTimes, tmp: str, name: str, technicians: int, visits: int,
          seed: int) -> tuple[Any, SqlUnitOfWork, int]:  # fmt: skip
    engine = make_engine(f"sqlite:///{Path(tmp) / name}")
    upgrade(engine)
    uow = SqlUnitOfWork(session_factory(engine))
    booked = seed_fortnight(uow, FRIDAY_EVENING, travel, technicians, 1, visits, seed)
    return engine, uow, booked


def _planned(uow: SqlUnitOfWork, travel: TravelTimes, day: Any, time_limit_s: float,
             seed: int, share: float) -> dict[str, Any]:  # fmt: skip
    t = time.perf_counter()
    report = plan_date(uow, travel, day, FRIDAY_EVENING, time_limit_s, seed, share)
    before, after = report.travel_before_s, report.travel_after_s
    return {"seconds": round(time.perf_counter() - t, 1), "applied": report.applied,
            "reason": report.reason, "travel_before_s": before, "travel_after_s": after,
            "travel_saved_pct": round(100 - 100 * after / before, 1), "moved": report.moved,
            "broken_promises": broken_promises(uow, travel, day)}  # fmt: skip


def run(travel: TravelTimes, technicians: int, visits: int, time_limit_s: float, seed: int,
        peer: bool = True, say: Any = print) -> dict[str, Any]:  # fmt: skip
    day = working_days(FRIDAY_EVENING.date(), 1)[0]
    with tempfile.TemporaryDirectory(prefix="fd-nightly-") as tmp:
        engine, uow, booked = _date(travel, tmp, "ours.sqlite3", technicians, visits, seed)
        say(f"booked {booked} appointments on {day}; planning with {time_limit_s:.0f} s")
        result: dict[str, Any] = {"technicians": technicians, "appointments": booked,
                                  "time_limit_s": time_limit_s}  # fmt: skip
        result.update(_planned(uow, travel, day, time_limit_s, seed, KERNEL_SHARE))
        engine.dispose()
        if peer:  # the same date booked again, planned by OR-Tools alone in the same groups
            engine, uow, _ = _date(travel, tmp, "peer.sqlite3", technicians, visits, seed)
            say("the peer: OR-Tools' guided local search alone, same groups, same budget")
            result["peer_ortools"] = _planned(uow, travel, day, time_limit_s, seed, 0.0)
            result["travel_over_peer"] = round(
                result["travel_after_s"] / result["peer_ortools"]["travel_after_s"], 3)
            engine.dispose()
    return result
