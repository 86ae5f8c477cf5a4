"""A technician's working calendar: a weekly pattern and exceptions per date.

Hours are wall-clock times in the technician's zone ("08:00-17:00, Monday to Friday"),
because that is how people agree them: the Monday after the clocks go forward still
starts at 08:00, which is an hour earlier in UTC. ``dispatch.domain.workdays`` turns a
date and these hours into instants; everything else in the system works in instants.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dispatch.domain.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
FIRST_YEAR, LAST_YEAR = 1970, 2200  # far enough; beyond, date arithmetic overflows


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class Lunch:
    """A break of ``minutes`` taken somewhere between ``earliest`` and ``latest``
    ("30 min between 12:00 and 13:30"): the planner places it where the route has room."""

    earliest: time
    latest: time
    minutes: int

    def __post_init__(self) -> None:
        if not 0 < self.minutes <= 180:
            raise InvalidInput(f"a lunch break of {self.minutes} min: give 1 to 180 minutes")
        room = _minutes(self.latest) - _minutes(self.earliest)
        if room < self.minutes:
            raise InvalidInput(
                f"a {self.minutes}-minute lunch does not fit between "
                f"{self.earliest:%H:%M} and {self.latest:%H:%M}"
            )


@dataclass(frozen=True)
class Hours:
    """One day's shift in local wall-clock time, with an optional lunch inside it."""

    start: time
    end: time
    lunch: Lunch | None = None

    def __post_init__(self) -> None:
        if _minutes(self.end) <= _minutes(self.start):
            raise InvalidInput(
                f"a shift from {self.start:%H:%M} to {self.end:%H:%M} ends before it starts "
                "(shifts that cross midnight are not supported)"
            )
        if self.lunch and not (self.start <= self.lunch.earliest and self.lunch.latest <= self.end):
            raise InvalidInput(
                f"the lunch window {self.lunch.earliest:%H:%M}-{self.lunch.latest:%H:%M} "
                f"is not inside the shift {self.start:%H:%M}-{self.end:%H:%M}"
            )

    @property
    def working(self) -> timedelta:
        lunch = self.lunch.minutes if self.lunch else 0
        return timedelta(minutes=_minutes(self.end) - _minutes(self.start) - lunch)


@dataclass(frozen=True)
class WeeklyPattern:
    """The usual week: hours per weekday (0 = Monday); a missing weekday is a day off."""

    zone: str
    days: Mapping[int, Hours] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if any(d not in range(7) for d in self.days):
            raise InvalidInput(f"weekdays are 0 (Monday) to 6 (Sunday), not {sorted(self.days)}")

    def hours_on(self, day: date) -> Hours | None:
        return self.days.get(day.weekday())


class DayKind(enum.StrEnum):
    OFF = "off"  # a day off: holiday, leave
    SICK = "sick"
    HOURS = "hours"  # different hours that day
    EXTRA = "extra"  # an extra shift on a day the pattern has none


REPLACES_HOURS = frozenset({DayKind.HOURS, DayKind.EXTRA})


@dataclass(frozen=True)
class DateException:
    """One date that differs from the pattern; at most one per technician and date."""

    day: date
    kind: DayKind
    hours: Hours | None = None
    note: str = ""
    id: int | None = None
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.day.year <= LAST_YEAR:
            raise InvalidInput(f"{self.day} is outside the calendar ({FIRST_YEAR} to {LAST_YEAR})")
        if self.kind in REPLACES_HOURS and self.hours is None:
            raise InvalidInput(f"an exception of kind {self.kind.value!r} needs its hours")
        if self.kind not in REPLACES_HOURS and self.hours is not None:
            raise InvalidInput(f"a {self.kind.value!r} day has no hours; leave them out")
