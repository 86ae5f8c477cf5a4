"""Working calendars in memory, for the calendar use cases' tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from dispatch.domain.calendar import DateException, WeeklyPattern
from dispatch.store.ports import DuplicateKey

if TYPE_CHECKING:
    from fakes import FakeData


class FakeCalendars:
    def __init__(self, data: FakeData) -> None:
        self.d = data

    def pattern(self, technician_id: int) -> WeeklyPattern | None:
        return self.d.patterns.get(technician_id)

    def patterns_of(self, technician_ids: list[int]) -> dict[int, WeeklyPattern]:
        return {t: p for t in technician_ids if (p := self.d.patterns.get(t)) is not None}

    def set_pattern(self, technician_id: int, pattern: WeeklyPattern, now: datetime) -> None:
        self.d.patterns[technician_id] = pattern

    def exceptions(self, technician_id: int, first: date, last: date) -> dict[date, DateException]:
        return {
            e.day: e for k, e in self.d.exceptions.items()
            if self.d.exception_owner[k] == technician_id and first <= e.day <= last
        }  # fmt: skip

    def exceptions_of(self, technician_ids: list[int], first: date, last: date
                      ) -> dict[int, dict[date, DateException]]:  # fmt: skip
        return {t: self.exceptions(t, first, last) for t in technician_ids}

    def add_exception(self, technician_id: int, exc: DateException, now: datetime) -> DateException:
        if self.exceptions(technician_id, exc.day, exc.day):
            raise DuplicateKey(f"{exc.day} already has an exception")
        k = max(self.d.exceptions, default=0) + 1
        self.d.exceptions[k] = stored = replace(exc, id=k, created_at=now)
        self.d.exception_owner[k] = technician_id
        return stored

    def get_exception(self, technician_id: int, exception_id: int) -> DateException | None:
        if self.d.exception_owner.get(exception_id) != technician_id:
            return None
        return self.d.exceptions[exception_id]

    def delete_exception(self, technician_id: int, exception_id: int) -> bool:
        if self.get_exception(technician_id, exception_id) is None:
            return False
        del self.d.exceptions[exception_id], self.d.exception_owner[exception_id]
        return True
