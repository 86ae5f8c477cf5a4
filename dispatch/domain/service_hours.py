"""When a service works with customers: the hours visits may be planned in, and (set
apart) the hours customers may be contacted in.

Written the way a service publishes them, "mon-fri 08:00-20:00, sat 09:00-13:00", in
the service's zone; a weekday not named is closed. Technicians' own calendars say who
works when; service hours say when the service opens its doors at all (the Polestar
team in our story opens on Saturday mornings, never in the evening).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dispatch.domain.calendar import WEEKDAYS
from dispatch.domain.errors import InvalidInput
from dispatch.domain.model import TimeWindow
from dispatch.domain.workdays import instant

_PART = re.compile(
    r"^(?P<days>[a-z]{3}(?:-[a-z]{3})?)\s+(?P<start>\d{2}:\d{2})-(?P<end>\d{2}:\d{2})$"
)


@dataclass(frozen=True)
class ServiceHours:
    zone: str
    week: Mapping[int, tuple[time, time]] = field(default_factory=dict)  # weekday -> open

    @classmethod
    def parse(cls, text: str, zone: str) -> ServiceHours:
        """ "mon-fri 08:00-20:00, sat 09:00-13:00" -> hours per weekday."""
        week: dict[int, tuple[time, time]] = {}
        for part in filter(None, (p.strip().lower() for p in text.split(","))):
            m = _PART.match(part)
            if m is None:
                raise InvalidInput(
                    f"service hours {part!r}: write them as 'mon-fri 08:00-20:00, sat 09:00-13:00'"
                )
            first, _, last = m["days"].partition("-")
            if first not in WEEKDAYS or (last and last not in WEEKDAYS):
                raise InvalidInput(f"service hours {part!r}: days are {', '.join(WEEKDAYS)}")
            a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
            start, end = time.fromisoformat(m["start"]), time.fromisoformat(m["end"])
            if end <= start:
                raise InvalidInput(f"service hours {part!r} end before they start")
            for d in range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]:
                week[d] = (start, end)
        return cls(zone, week)

    def on(self, day: date) -> TimeWindow | None:
        """The open hours on a date, as instants; None when closed."""
        hours = self.week.get(day.weekday())
        if hours is None:
            return None
        zone = ZoneInfo(self.zone)
        return TimeWindow(instant(day, hours[0], zone), instant(day, hours[1], zone))

    def is_open(self, moment: datetime) -> bool:
        today = self.on(moment.astimezone(ZoneInfo(self.zone)).date())
        return today is not None and today.start <= moment < today.end

    def next_open(self, moment: datetime, horizon_days: int = 14) -> datetime | None:
        """``moment`` if open, else when the doors next open (None: not within the horizon)."""
        day = moment.astimezone(ZoneInfo(self.zone)).date()
        for k in range(horizon_days + 1):
            hours = self.on(day + timedelta(days=k))
            if hours is not None and moment < hours.end:
                return max(moment, hours.start)
        return None
