"""Where a new job fits into a planned day, for a given appointment window.

A planned day starts at home at the shift's start and must be over by its end. Every
booked stop was promised a window: the technician arrives inside it (arriving early, he
waits for it to open). A lunch break of ``duration`` is taken somewhere between
``earliest`` and ``latest``, wherever it keeps the day (``solver.day_schedule``).

Times are integer seconds on any common scale. The search tries every position, so it
is O(n²) per day and window; n is a day's visits (about ten).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from solver.day_schedule import LunchRule, schedule_with_lunch

Lunch = LunchRule  # the day's lunch rule, as the slot search builds it


@dataclass(frozen=True)
class Booked:
    id: int
    service_s: int
    open_s: int  # the window promised to its customer
    close_s: int


@dataclass(frozen=True)
class PlannedDay:
    vehicle_id: int
    start_s: int
    end_s: int
    lunch: Lunch | None
    stops: Sequence[Booked]
    legs_s: Sequence[int]  # legs_s[i]: drive into stops[i], from home or stops[i-1]


@dataclass(frozen=True)
class Fit:
    vehicle_id: int
    position: int
    arrival_s: int  # at the new job (before any wait for its window)
    travel_s: int
    added_travel_s: int
    arrivals_after_s: tuple[int, ...]  # the stops after it, re-timed
    legs_after_s: tuple[int, ...]
    keeps_promises: bool


def schedule(day: PlannedDay, legs: Sequence[int], stops: Sequence[Booked]) -> list[int] | None:
    """Arrival at each stop (``solver.day_schedule``: keeping every window if lunch can
    go anywhere that does), or None when the shift end or the lunch cannot be kept."""
    return schedule_with_lunch(day.start_s, day.end_s, day.lunch, legs, stops, True) or (
        schedule_with_lunch(day.start_s, day.end_s, day.lunch, legs, stops, False)
    )


@dataclass(frozen=True)
class Timing:
    """The day as booked, without lunch (which only ever delays): the departure from
    home and from each stop, each arrival, and how much later each arrival may slip with
    every window from there on and the shift end still kept (None when the day already
    breaks one: then nothing can be ruled out this way). Once per day, not per window."""

    deps: list[int]
    arr: list[int]
    over: bool  # past the shift end even without lunch
    slack: list[int] | None


def timing(day: PlannedDay) -> Timing:
    t, deps, arr = day.start_s, [day.start_s], []
    for leg, stop in zip(day.legs_s, day.stops, strict=True):
        arr.append(t + leg)
        t = max(t + leg, stop.open_s) + stop.service_s
        deps.append(t)
    over = t > day.end_s
    if over or any(a > s.close_s for a, s in zip(arr, day.stops, strict=True)):
        return Timing(deps, arr, over, None)
    slack = [day.end_s - t]
    for a, stop in zip(reversed(arr), reversed(day.stops), strict=True):
        slack.append(min(stop.close_s - a, max(0, stop.open_s - a) + slack[-1]))
    return Timing(deps, arr, over, slack[::-1])


def _reachable(day: PlannedDay, job: Booked, to_job_s: Sequence[int], tm: Timing) -> int:
    """Positions 0 to this one (excluded) can reach the job by its window's close:
    leaving stop pos-1 later than that, every later position leaves later still."""
    if not tm.over:
        for pos in range(1, len(day.stops) + 1):
            if tm.deps[pos] + to_job_s[pos] > job.close_s:
                return pos
    return len(day.stops) + 1


def _added(day: PlannedDay, to_job_s: Sequence[int], from_job_s: Sequence[int], pos: int) -> int:
    n = len(day.stops)
    return to_job_s[pos] + (from_job_s[pos] - day.legs_s[pos] if pos < n else 0)


def _fit_at(day: PlannedDay, job: Booked, to_job_s: Sequence[int], from_job_s: Sequence[int],
            pos: int) -> Fit | None:  # fmt: skip
    stops, n = day.stops, len(day.stops)
    legs = [*day.legs_s[:pos], to_job_s[pos]]
    if pos < n:
        legs += [from_job_s[pos], *day.legs_s[pos + 1 :]]
    arrivals = schedule(day, legs, [*stops[:pos], job, *stops[pos:]])
    if arrivals is None or arrivals[pos] > job.close_s:
        return None
    after = tuple(arrivals[pos + 1 :])
    keeps = all(a <= s.close_s for a, s in zip(after, stops[pos:], strict=True))
    return Fit(day.vehicle_id, pos, arrivals[pos], to_job_s[pos],
               _added(day, to_job_s, from_job_s, pos), after, tuple(legs[pos + 1 :]),
               keeps)  # fmt: skip


def fits(day: PlannedDay, job: Booked, to_job_s: Sequence[int],
         from_job_s: Sequence[int]) -> list[Fit]:  # fmt: skip
    """Every position where ``job`` arrives by its window's close and the day still
    holds. ``to_job_s[0]`` is from home, ``to_job_s[i + 1]`` from ``stops[i]``;
    ``from_job_s[i]`` is from the job to ``stops[i]``."""
    found = (_fit_at(day, job, to_job_s, from_job_s, pos)
             for pos in range(_reachable(day, job, to_job_s, timing(day))))  # fmt: skip
    return [f for f in found if f is not None]


def best_fit(day: PlannedDay, job: Booked, to_job_s: Sequence[int],
             from_job_s: Sequence[int]) -> Fit | None:  # fmt: skip
    """Keeping every promise first, then the least added driving, then the earliest."""
    options = fits(day, job, to_job_s, from_job_s)
    return min(options, key=lambda f: (not f.keeps_promises, f.added_travel_s, f.arrival_s),
               default=None)  # fmt: skip


def _may_fit(day: PlannedDay, job: Booked, to_job_s: Sequence[int], from_job_s: Sequence[int],
             pos: int, tm: Timing) -> bool:  # fmt: skip
    """A necessary condition, in O(1): the insertion holds when lunch is left out.
    Lunch only ever delays, so a position failing this fails with lunch too."""
    if tm.slack is None:
        return True
    reach = tm.deps[pos] + to_job_s[pos]
    if reach > job.close_s:
        return False
    leave = max(reach, job.open_s) + job.service_s
    if pos == len(day.stops):
        return leave <= day.end_s
    return leave + from_job_s[pos] - tm.arr[pos] <= tm.slack[pos]


def cheapest_keeping(day: PlannedDay, job: Booked, to_job_s: Sequence[int],
                     from_job_s: Sequence[int], below_s: int | None = None,
                     tm: Timing | None = None) -> Fit | None:  # fmt: skip
    """The fit that keeps every promise with the least added driving (then the
    earliest), adding less than ``below_s`` if given; None when there is none.

    Same answer as ``best_fit`` restricted to fits that keep promises, but positions
    are tried cheapest detour first, each screened in O(1) before the O(n) schedule,
    and the scan stops at the first that holds."""
    tm = tm or timing(day)
    reach = _reachable(day, job, to_job_s, tm)
    order = sorted(range(reach), key=lambda p: _added(day, to_job_s, from_job_s, p))
    best: Fit | None = None
    for pos in order:
        added = _added(day, to_job_s, from_job_s, pos)
        if (below_s is not None and added >= below_s) or (
            best is not None and added > best.added_travel_s
        ):
            break
        if not _may_fit(day, job, to_job_s, from_job_s, pos, tm):
            continue
        fit = _fit_at(day, job, to_job_s, from_job_s, pos)
        if (fit is not None and fit.keeps_promises
                and (best is None or fit.arrival_s < best.arrival_s)):  # fmt: skip
            best = fit
    return best
