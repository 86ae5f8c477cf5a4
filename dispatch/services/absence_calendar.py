"""The sick days an absence writes into a technician's calendar, and taking them back.

Each exception an absence writes carries its id in the note, so ending the absence
early returns exactly the days it wrote, and no day a dispatcher entered by hand.
"""

from __future__ import annotations

from datetime import datetime

from dispatch.domain.disruption import Disruption, DisruptionKind
from dispatch.domain.workdays import local_date, workday
from dispatch.store.ports import UnitOfWork


def note_of(d: Disruption) -> str:
    """The calendar exception's note: the reason, and the disruption it came from (ending
    the disruption early takes back the days it no longer covers)."""
    return f"{d.reason} (disruption {d.id})"


def release_days(uow: UnitOfWork, d: Disruption, now: datetime) -> int:
    """An absence ended early: the sick days it wrote that start after now are working
    days again (inside the caller's unit of work); how many."""
    if d.kind != DisruptionKind.UNAVAILABLE or d.technician_id is None:
        return 0
    pattern = uow.calendars.pattern(d.technician_id)
    if pattern is None:
        return 0
    first = local_date(now, pattern.zone)
    last = local_date(d.expected_end, pattern.zone)
    freed = 0
    for day, exc in uow.calendars.exceptions(d.technician_id, first, last).items():
        shift = workday(pattern, {}, day).shift
        if exc.note == note_of(d) and exc.id is not None and shift and now < shift.start:
            freed += uow.calendars.delete_exception(d.technician_id, exc.id)
    return freed
