"""One customer's day judged against the truth: was a slip announced, was a warning false?

Kept apart from the simulation so the judgement itself is tested
(``tests/unit/test_message_scoring.py``): a benchmark whose yardstick is wrong measures
nothing.

A message *tells a new time* when the time it gives lies outside the first told window:
the new window of a ``running_late`` / ``window_changed``, the window of an
``on_the_way`` or ``technician_changed`` sent after the promise moved, or the ETA of an
``arriving_soon`` ("about 10 minutes, around 08:43" is news when the window said 08:45).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dispatch.domain.events import (
    Event,
    PromiseChanged,
    VisitArrivingSoon,
    VisitOnTheWay,
    VisitReassigned,
)
from dispatch.domain.model import TimeWindow

CHANGE_KINDS = frozenset({"running_late", "window_changed"})


@dataclass(frozen=True)
class Told:
    """A message the customer received: its kind, when, and the time it gave."""

    kind: str
    sent_at: datetime
    time: TimeWindow | None  # an ETA is a window of one instant


def time_told(event: Event) -> TimeWindow | None:
    """The arrival time a message made from this event gives the customer."""
    match event:
        case PromiseChanged():
            return event.new_window
        case VisitOnTheWay() | VisitReassigned():
            return event.window
        case VisitArrivingSoon():
            return TimeWindow(event.eta, event.eta)
    return None


@dataclass(frozen=True)
class Verdict:
    changes: int  # change messages received
    false_alarm: bool  # got a change message, yet the technician came inside the first window
    new_time: bool  # told a time outside the first window, by any message
    new_time_false: bool  # ... yet the technician came inside the first window
    outside: bool  # the technician came outside the first window
    announced: bool  # ... and a new time on that side was told by the deadline
    announced_by_change: bool  # ... by a change message (the stricter reading)
    kept: bool  # came inside the first window


def _beyond(first: TimeWindow, told: TimeWindow, late: bool) -> bool:
    return told.end > first.end if late else told.start < first.start


def score(first: TimeWindow, arrived: datetime | None, received: list[Told]) -> Verdict:
    """The deadline is the first window's end, or the arrival if that came first (an
    early technician must be announced before standing at the door)."""
    changes = [m for m in received if m.kind in CHANGE_KINDS]
    moved = [m for m in received if m.time is not None and not m.time.within(first)]
    kept = arrived is not None and first.start <= arrived <= first.end
    outside = arrived is not None and not kept
    announced = by_change = False
    if arrived is not None and outside:
        late = arrived > first.end
        deadline = min(first.end, arrived)
        on_time = [
            m for m in moved
            if m.sent_at <= deadline and m.time is not None and _beyond(first, m.time, late)
        ]  # fmt: skip
        announced = bool(on_time)
        by_change = any(m.kind in CHANGE_KINDS for m in on_time)
    return Verdict(
        changes=len(changes),
        false_alarm=bool(changes) and kept,
        new_time=bool(moved),
        new_time_false=bool(moved) and kept,
        outside=outside,
        announced=announced,
        announced_by_change=by_change,
        kept=kept,
    )
