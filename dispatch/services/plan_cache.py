"""Planned days cached per process, keyed by each technician-day's version.

Every booking into a later date claims that technician-day's version in the same
transaction, so a cached plan whose version still matches the database is exactly what
a fresh read would return. Slots then read only the versions of the day (one small
query) and the plans that changed since, instead of a fleet's appointments every time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date

from dispatch.domain.day_plan import Appointment, DayPlan
from dispatch.store.ports import UnitOfWork

MAX_PLANS = 50_000  # 200 technicians x a quarter of working days


class PlanCache:
    def __init__(self, max_plans: int = MAX_PLANS) -> None:
        self._data: OrderedDict[tuple[str, int, date, int], tuple[Appointment, ...]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()
        self._max = max_plans

    def plans(
        self, uow: UnitOfWork, technician_ids: Sequence[int], day: date
    ) -> dict[int, DayPlan]:
        """Each technician's plan that day (an empty one at version 0 if never booked).
        Plans are built fresh from the cached appointments: callers may book into them."""
        versions = uow.day_plans.versions(technician_ids, day)
        out: dict[int, DayPlan] = {}
        stale: list[int] = []
        with self._lock:
            for tid in technician_ids:
                v = versions.get(tid, 0)
                items = () if v == 0 else self._data.get((uow.store_id, tid, day, v))
                if items is None:
                    stale.append(tid)
                else:
                    out[tid] = DayPlan(tid, day, v, items)
        if stale:
            loaded = uow.day_plans.plans(stale, day, day)
            with self._lock:
                for tid in stale:
                    plan = loaded.get((tid, day), DayPlan(tid, day, 0, []))
                    self._data[(uow.store_id, tid, day, plan.version)] = plan.appointments
                    out[tid] = DayPlan(tid, day, plan.version, plan.appointments)
                while len(self._data) > self._max:
                    self._data.popitem(last=False)
        return out


PLANS = PlanCache()
