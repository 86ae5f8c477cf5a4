"""When a technician reaches each stop of a planned day, lunch included.

Lunch (``duration`` seconds, over by ``latest``, not begun before ``earliest``) is taken
at a stop boundary: before driving on, or at the next door while waiting for its
window (the same, for the clock, as a break on the road). Each stop is reached as
early as possible both with lunch still to come and with lunch taken; earlier is
never worse for what follows, so trying every place for lunch this way is exact:
a day is refused only if no place for lunch keeps it. The day optimiser's break
model (``solver.routing``) is the same or stricter, so every plan it makes holds here.

Promises first: the answer keeps every window if any placement of lunch does; only
when none does are the (late) earliest arrivals returned, for callers that report a
slot as breaking a promise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

NEVER = 1 << 62


class Stop(Protocol):
    @property
    def service_s(self) -> int: ...
    @property
    def open_s(self) -> int: ...
    @property
    def close_s(self) -> int: ...


@dataclass(frozen=True)
class LunchRule:
    earliest_s: int
    latest_s: int
    duration_s: int


Path = tuple[int, tuple[int, ...]]  # (time the last stop is done, arrivals so far)


def _lunch_then(t: int, lunch: LunchRule, leg: int, door: bool) -> int:
    """Arrival with lunch taken now (before the drive) or at the door; NEVER if late."""
    begin = max(t + leg if door else t, lunch.earliest_s)
    if begin + lunch.duration_s > lunch.latest_s:
        return NEVER
    return begin + lunch.duration_s + (0 if door else leg)


def _serve(path: Path | None, arrive: int, stop: Stop, keep_windows: bool) -> Path | None:
    """The path on, having reached ``stop`` at ``arrive``; None if that breaks its window."""
    if path is None or arrive >= NEVER or (keep_windows and arrive > stop.close_s):
        return None
    return max(arrive, stop.open_s) + stop.service_s, (*path[1], arrive)


def schedule_with_lunch(start_s: int, end_s: int, lunch: LunchRule | None, legs: Sequence[int],
                        stops: Sequence[Stop], keep_windows: bool) -> list[int] | None:  # fmt: skip
    """Arrivals, or None. ``keep_windows``: a path arriving after a window is dropped."""
    before: Path | None = (start_s, ()) if lunch is not None else None  # lunch to come
    after: Path | None = None if lunch is not None else (start_s, ())  # lunch taken (or none)
    for leg, stop in zip(legs, stops, strict=True):
        options = [] if after is None else [_serve(after, after[0] + leg, stop, keep_windows)]
        if before is not None and lunch is not None:
            options += [_serve(before, _lunch_then(before[0], lunch, leg, door), stop, keep_windows)
                        for door in (False, True)]  # fmt: skip
            before = _serve(before, before[0] + leg, stop, keep_windows)
        after = min((o for o in options if o is not None), key=lambda o: o[0], default=None)
    if before is not None and lunch is not None:  # lunch after the last stop
        done = _lunch_then(before[0], lunch, 0, False)
        if done < NEVER and (after is None or done < after[0]):
            after = (done, before[1])
    if after is None or after[0] > end_s:
        return None
    return list(after[1])
