"""Planned later dates in memory, with the same version claim as the SQL store."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from dispatch.domain.day_plan import Appointment, DayPlan
from dispatch.store.ports import DuplicateKey

if TYPE_CHECKING:
    from fakes import FakeData


class FakeDayPlans:
    def __init__(self, data: FakeData) -> None:
        self.d = data
        self._saved: list[DayPlan] = []

    def plans(self, technician_ids: Sequence[int], first: date, last: date
              ) -> dict[tuple[int, date], DayPlan]:  # fmt: skip
        return {
            (t, d): DayPlan(t, d, v, [a for a in self.d.appointments.values()
                                      if (a.technician_id, a.day) == (t, d)])
            for (t, d), v in self.d.day_versions.items()
            if t in technician_ids and first <= d <= last
        }  # fmt: skip

    def versions(self, technician_ids: Sequence[int], day: date) -> dict[int, int]:
        return {t: v for (t, d), v in self.d.day_versions.items()
                if d == day and t in technician_ids}  # fmt: skip

    def get(self, technician_id: int, day: date) -> DayPlan:
        found = self.plans([technician_id], day, day)
        return found.get((technician_id, day), DayPlan(technician_id, day, 0, []))

    def of_ticket(self, ticket_id: int) -> Appointment | None:
        return self.d.appointments.get(ticket_id)

    def save(self, plan: DayPlan) -> bool:
        key = (plan.technician_id, plan.day)
        if self.d.day_versions.get(key, 0) != plan.version:
            return False
        added, updated = plan.pending_writes()
        if any(a.ticket_id in self.d.appointments for a in added):
            raise DuplicateKey("the ticket is booked elsewhere")
        self.d.day_versions[key] = plan.version + 1
        self.remove(sorted(plan.cancelled))
        for a in [*added, *updated]:
            self.d.appointments[a.ticket_id] = copy.deepcopy(a)
        plan.mark_saved()
        self._saved.append(plan)
        return True

    def remove(self, ticket_ids: Sequence[int]) -> None:
        for t in ticket_ids:
            self.d.appointments.pop(t, None)

    def saved(self) -> list[DayPlan]:
        return list(self._saved)
