"""Working calendars: the weekly pattern and the per-date exceptions of each technician."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.calendar import DateException, DayKind, Hours, Lunch, WeeklyPattern
from dispatch.store.plan_tables import CalendarExceptionRow, WorkPatternRow
from dispatch.store.ports import DuplicateKey


def hours_json(h: Hours) -> dict[str, Any]:
    out: dict[str, Any] = {"start": f"{h.start:%H:%M}", "end": f"{h.end:%H:%M}"}
    if h.lunch:
        lunch = h.lunch
        out["lunch"] = {"earliest": f"{lunch.earliest:%H:%M}", "latest": f"{lunch.latest:%H:%M}",
                        "minutes": lunch.minutes}  # fmt: skip
    return out


def hours_of(j: dict[str, Any]) -> Hours:
    lunch = j.get("lunch")
    return Hours(
        time.fromisoformat(j["start"]),
        time.fromisoformat(j["end"]),
        Lunch(time.fromisoformat(lunch["earliest"]), time.fromisoformat(lunch["latest"]),
              int(lunch["minutes"])) if lunch else None,
    )  # fmt: skip


def _exception(row: CalendarExceptionRow) -> DateException:
    hours = hours_of(row.hours) if row.hours else None
    return DateException(row.day, DayKind(row.kind), hours, row.note, row.id, row.created_at)


class CalendarRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def pattern(self, technician_id: int) -> WeeklyPattern | None:
        row = self.session.get(WorkPatternRow, technician_id)
        if row is None:
            return None
        return WeeklyPattern(row.zone, {int(d): hours_of(h) for d, h in row.days.items()})

    def patterns_of(self, technician_ids: list[int]) -> dict[int, WeeklyPattern]:
        """The patterns of many technicians in one query (those without one are left out)."""
        rows = self.session.scalars(
            select(WorkPatternRow).where(WorkPatternRow.technician_id.in_(technician_ids))
        )
        return {r.technician_id: WeeklyPattern(r.zone, {int(d): hours_of(h)
                                                        for d, h in r.days.items()})
                for r in rows}  # fmt: skip

    def set_pattern(self, technician_id: int, pattern: WeeklyPattern, now: datetime) -> None:
        days = {str(d): hours_json(h) for d, h in sorted(pattern.days.items())}
        row = self.session.get(WorkPatternRow, technician_id)
        if row is None:
            self.session.add(WorkPatternRow(technician_id=technician_id, zone=pattern.zone,
                                            days=days, updated_at=now))  # fmt: skip
        else:
            row.zone, row.days, row.updated_at = pattern.zone, days, now
        self._flush()

    def exceptions(self, technician_id: int, first: date, last: date) -> dict[date, DateException]:
        rows = self.session.scalars(
            select(CalendarExceptionRow)
            .where(CalendarExceptionRow.technician_id == technician_id)
            .where(CalendarExceptionRow.day >= first, CalendarExceptionRow.day <= last)
        )
        return {r.day: _exception(r) for r in rows}

    def exceptions_of(self, technician_ids: list[int], first: date, last: date
                      ) -> dict[int, dict[date, DateException]]:  # fmt: skip
        """Many technicians' exceptions in one query (slots look at a whole fleet)."""
        out: dict[int, dict[date, DateException]] = {t: {} for t in technician_ids}
        for r in self.session.scalars(
            select(CalendarExceptionRow)
            .where(CalendarExceptionRow.technician_id.in_(technician_ids))
            .where(CalendarExceptionRow.day >= first, CalendarExceptionRow.day <= last)
        ):
            out[r.technician_id][r.day] = _exception(r)
        return out

    def add_exception(self, technician_id: int, exc: DateException, now: datetime) -> DateException:
        """Store one; a date that already has one raises ``DuplicateKey`` (delete it first)."""
        taken = self.exceptions(technician_id, exc.day, exc.day)
        if taken:
            raise DuplicateKey(f"{exc.day} already has an exception (id {taken[exc.day].id})")
        row = CalendarExceptionRow(
            technician_id=technician_id, day=exc.day, kind=exc.kind.value,
            hours=hours_json(exc.hours) if exc.hours else None, note=exc.note, created_at=now,
        )  # fmt: skip
        self.session.add(row)
        self._flush()
        return _exception(row)

    def _flush(self) -> None:
        """A parallel request took the same key first (PostgreSQL sees it here)."""
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise DuplicateKey(str(exc.orig)) from exc

    def get_exception(self, technician_id: int, exception_id: int) -> DateException | None:
        row = self.session.get(CalendarExceptionRow, exception_id)
        return _exception(row) if row and row.technician_id == technician_id else None

    def delete_exception(self, technician_id: int, exception_id: int) -> bool:
        result = self.session.execute(
            delete(CalendarExceptionRow)
            .where(CalendarExceptionRow.id == exception_id)
            .where(CalendarExceptionRow.technician_id == technician_id)
        )
        return bool(getattr(result, "rowcount", 0))
