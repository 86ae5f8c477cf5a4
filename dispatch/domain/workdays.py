"""From a calendar to instants: the shift and lunch of each date, daylight saving included.

A wall-clock time on a date is resolved in the technician's zone. On the last Sunday of
March a time the clocks skip (02:30 in Brussels) is read as the same wall time after
the jump (03:30); on the last Sunday of October a time that happens twice is its first
occurrence. Shifts rarely touch those hours, but a calendar must not crash on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dispatch.domain.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    DateException,
    DayKind,
    Hours,
    WeeklyPattern,
)
from dispatch.domain.errors import InvalidInput
from dispatch.domain.model import LunchBreak, TimeWindow

MAX_DAYS = 366  # one request's range: a year of calendar is plenty to look at


@lru_cache(maxsize=8192)  # a fleet shares a few patterns: slots ask the same instants
def instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time on a date."""
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone)
    return local.astimezone(UTC)


@dataclass(frozen=True)
class Workday:
    """A date on the calendar: its shift in instants, or why there is none."""

    day: date
    shift: TimeWindow | None
    lunch: LunchBreak | None
    source: str  # "pattern", or the exception's kind
    note: str = ""
    exception_id: int | None = None

    @property
    def working(self) -> bool:
        return self.shift is not None


def _day(day: date, hours: Hours | None, zone: ZoneInfo, source: str,
         exc: DateException | None) -> Workday:  # fmt: skip
    note, eid = (exc.note, exc.id) if exc else ("", None)
    if hours is None:
        return Workday(day, None, None, source, note, eid)
    start, end = instant(day, hours.start, zone), instant(day, hours.end, zone)
    if end <= start:  # hours inside the hour the clocks skip (02:30-03:15 in March)
        return Workday(day, None, None, "clock change", note, eid)
    shift = TimeWindow(start, end)
    lunch = None
    if hours.lunch is not None:
        lunch = LunchBreak(
            instant(day, hours.lunch.earliest, zone),
            instant(day, hours.lunch.latest, zone),
            timedelta(minutes=hours.lunch.minutes),
        )
    return Workday(day, shift, lunch, source, note, eid)


def workday(pattern: WeeklyPattern, exceptions: Mapping[date, DateException],
            day: date) -> Workday:  # fmt: skip
    """One date: an exception for it wins over the pattern."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(f"{day} is outside the calendar ({FIRST_YEAR} to {LAST_YEAR})")
    zone = ZoneInfo(pattern.zone)
    exc = exceptions.get(day)
    if exc is None:
        return _day(day, pattern.hours_on(day), zone, "pattern", None)
    if exc.kind in (DayKind.OFF, DayKind.SICK):
        return _day(day, None, zone, exc.kind.value, exc)
    return _day(day, exc.hours, zone, exc.kind.value, exc)


def workdays(pattern: WeeklyPattern, exceptions: Mapping[date, DateException],
             first: date, last: date) -> list[Workday]:  # fmt: skip
    """Every date from ``first`` to ``last`` (both included), working or not."""
    if last < first:
        raise InvalidInput(f"the range ends ({last}) before it starts ({first})")
    if not (first.year >= FIRST_YEAR and last.year <= LAST_YEAR):
        raise InvalidInput(f"dates run from {FIRST_YEAR} to {LAST_YEAR}")
    span = (last - first).days + 1
    if span > MAX_DAYS:
        raise InvalidInput(f"{span} days asked; at most {MAX_DAYS} at a time")
    return [workday(pattern, exceptions, first + timedelta(days=k)) for k in range(span)]


def local_date(moment: datetime, zone: str) -> date:
    """The date it is at ``moment`` where the technician works."""
    return moment.astimezone(ZoneInfo(zone)).date()


_WHY_OFF = {DayKind.OFF.value: "is off today", DayKind.SICK.value: "is off sick today"}


def shift_to_store(work: Workday, zone: str) -> TimeWindow:
    """The shift a date gives the technician: its own, or an ended one at its midnight
    (off that day), so the quote, the refresh and the replan pass him by."""
    if work.shift is not None:
        return work.shift
    midnight = instant(work.day, time(0, 0), ZoneInfo(zone))
    return TimeWindow(midnight, midnight)


def why_off(work: Workday) -> str:
    """Why a technician does not work that date, in words for the unassigned ticket."""
    return _WHY_OFF.get(work.source, "has no shift today")
