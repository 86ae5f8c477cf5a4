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


State = tuple[Path | None, Path | None]  # (lunch still to come, lunch taken or none)


def first_state(start_s: int, lunch: LunchRule | None) -> State:
    return ((start_s, ()), None) if lunch is not None else (None, (start_s, ()))


def step(state: State, leg: int, stop: Stop, lunch: LunchRule | None,
         keep_windows: bool) -> State:  # fmt: skip
    """Both paths on to the next stop: each is reached as early as possible (on a tie,
    the path with lunch already behind, then lunch before the drive)."""
    before, after = state
    best = None if after is None else _serve(after, after[0] + leg, stop, keep_windows)
    if before is not None and lunch is not None:
        for door in (False, True):
            o = _serve(before, _lunch_then(before[0], lunch, leg, door), stop, keep_windows)
            if o is not None and (best is None or o[0] < best[0]):
                best = o
        before = _serve(before, before[0] + leg, stop, keep_windows)
    return before, best


def finish(state: State, lunch: LunchRule | None, end_s: int) -> list[int] | None:
    """The arrivals of the day so timed, lunch after the last stop if still to come."""
    before, after = state
    if before is not None and lunch is not None:  # lunch after the last stop
        done = _lunch_then(before[0], lunch, 0, False)
        if done < NEVER and (after is None or done < after[0]):
            after = (done, before[1])
    if after is None or after[0] > end_s:
        return None
    return list(after[1])


def schedule_with_lunch(start_s: int, end_s: int, lunch: LunchRule | None, legs: Sequence[int],
                        stops: Sequence[Stop], keep_windows: bool) -> list[int] | None:  # fmt: skip
    """Arrivals, or None. ``keep_windows``: a path arriving after a window is dropped."""
    state = first_state(start_s, lunch)
    for leg, stop in zip(legs, stops, strict=True):
        state = step(state, leg, stop, lunch, keep_windows)
    return finish(state, lunch, end_s)


@dataclass(frozen=True)
class Door:
    """A stop as the live route times it: service starts at the later of the arrival
    and ``open_s``; ``close_s`` is the latest arrival the customer was told."""

    service_s: int
    open_s: int = 0
    close_s: int = NEVER


def arrivals_with_lunch(start_s: int, end_s: int, lunch: LunchRule, legs: Sequence[int],
                        stops: Sequence[Stop]) -> list[int] | None:  # fmt: skip
    """Arrivals keeping every window if any lunch placement does, else the earliest
    (some late); None only when the lunch or the day's end cannot be kept at all."""
    kept = schedule_with_lunch(start_s, end_s, lunch, legs, stops, keep_windows=True)
    return kept or schedule_with_lunch(start_s, end_s, lunch, legs, stops, keep_windows=False)
