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
from solver.day_slots import Booked

Stops = tuple[tuple[Booked, ...], tuple[int, ...]]  # the solver's view: stops, legs into them

MAX_PLANS = 50_000  # 200 technicians x a quarter of working days


class PlanCache:
    def __init__(self, max_plans: int = MAX_PLANS) -> None:
        self._data: OrderedDict[tuple[str, int, date, int], tuple[Appointment, ...]] = OrderedDict()
        self._stops: OrderedDict[tuple[str, int, date, int], Stops] = OrderedDict()
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

    def stops(self, store_id: str, plan: DayPlan) -> Stops:
        """The plan as the slot search reads it, converted once per version: at fleet
        scale the conversion cost more than the search itself."""
        key = (store_id, plan.technician_id, plan.day, plan.version)
        with self._lock:
            found = self._stops.get(key)
        if found is not None:
            return found
        made = (tuple(Booked(a.ticket_id, int(a.service.total_seconds()),
                             int(a.window.start.timestamp()), int(a.window.end.timestamp()))
                      for a in plan.appointments),
                tuple(a.leg_s for a in plan.appointments))  # fmt: skip
        with self._lock:
            self._stops[key] = made
            while len(self._stops) > self._max:
                self._stops.popitem(last=False)
        return made


PLANS = PlanCache()
