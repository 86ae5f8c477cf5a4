"""The travel times a use case runs on, with today's declared slowdowns applied.

Every request and every scheduled job asks for its travel times through ``travel_at``:
the configured source, slowed inside the areas of the slowdowns that count within the
next day (``solver.traveltime.slowed``), so the quote, the slots, the ETA refresh and
the replan all see the same snow. The slowdowns are read at most once per ``TTL`` per
database: a declared one is in force within two seconds.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from dispatch.domain.disruption import Disruption, DisruptionKind
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes
from solver.traveltime.slowed import Slowed, Zone

TTL = 2.0  # seconds a read of the slowdowns is reused
AHEAD = timedelta(days=1)  # slowdowns that count from now to this far ahead

_cache: dict[str, tuple[float, datetime, tuple[Zone, ...]]] = {}
_lock = threading.Lock()


def _zones(found: list[Disruption]) -> tuple[Zone, ...]:
    return tuple(Zone(d.area.corners, d.factor, d.start, d.end) for d in found
                 if d.kind == DisruptionKind.SLOWDOWN and d.area is not None)  # fmt: skip


def zones_at(uow: UnitOfWork, now: datetime) -> tuple[Zone, ...]:
    key = uow.store_id
    with _lock:
        hit = _cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < TTL and hit[1] <= now < hit[1] + AHEAD:
        return hit[2]
    with uow:
        zones = _zones(uow.disruptions.overlapping(now, now + AHEAD))
    with _lock:
        _cache[key] = (time.monotonic(), now, zones)
    return zones


def forget() -> None:
    """A slowdown was just declared or ended here: read them again at the next ask."""
    with _lock:
        _cache.clear()


def travel_at(uow: UnitOfWork, base: TravelTimes, now: datetime) -> TravelTimes:
    zones = zones_at(uow, now)
    return Slowed(base, zones, now) if zones else base
