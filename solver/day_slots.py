"""Where a new job fits into a planned day, for a given appointment window.

A planned day starts at home at the shift's start and must be over by its end. Every
booked stop was promised a window: the technician arrives inside it (arriving early, he
waits for it to open). A lunch break of ``duration`` is taken somewhere between
``earliest`` and ``latest``, where the day has room: at the first stop boundary (or
wait) once the window is open, never later than it allows.

Times are integer seconds on any common scale. The search tries every position, so it
is O(n²) per day and window; n is a day's visits (about ten).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Lunch:
    earliest_s: int
    latest_s: int  # the break is over by then
    duration_s: int


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
    """Arrival at each stop, or None when the shift end or the lunch cannot be kept."""
    t, lunch, out = day.start_s, day.lunch, []
    for leg, stop in zip(legs, stops, strict=True):
        if lunch is not None and max(t + leg, stop.open_s) > lunch.earliest_s:
            # this stop begins after lunch opens: lunch first (in any wait) ...
            begin = max(t, lunch.earliest_s)
            after = max(t + leg, stop.open_s) + stop.service_s  # ... or after this stop
            later = max(after, lunch.earliest_s) + lunch.duration_s <= lunch.latest_s
            if begin + lunch.duration_s + leg > stop.close_s and later:
                pass  # lunch before would make this customer late; there is room after
            elif begin + lunch.duration_s > lunch.latest_s:
                return None
            else:
                t, lunch = begin + lunch.duration_s, None
        arrive = t + leg
        out.append(arrive)
        t = max(arrive, stop.open_s) + stop.service_s
    if lunch is not None:
        begin = max(t, lunch.earliest_s)
        if begin + lunch.duration_s > lunch.latest_s:
            return None
        t = begin + lunch.duration_s
    return out if t <= day.end_s else None


def fits(day: PlannedDay, job: Booked, to_job_s: Sequence[int],
         from_job_s: Sequence[int]) -> list[Fit]:  # fmt: skip
    """Every position where ``job`` arrives by its window's close and the day still
    holds. ``to_job_s[0]`` is from home, ``to_job_s[i + 1]`` from ``stops[i]``;
    ``from_job_s[i]`` is from the job to ``stops[i]``."""
    stops, n, out = list(day.stops), len(day.stops), []
    base = schedule(replace(day, lunch=None), day.legs_s, stops) or []
    for pos in range(n + 1):
        if 0 < pos <= len(base):  # leaving stop pos-1 too late to reach the job in time:
            prev = stops[pos - 1]  # every later position leaves even later
            if max(base[pos - 1], prev.open_s) + prev.service_s + to_job_s[pos] > job.close_s:
                break
        legs = [*day.legs_s[:pos], to_job_s[pos]]
        if pos < n:
            legs += [from_job_s[pos], *day.legs_s[pos + 1 :]]
        arrivals = schedule(day, legs, [*stops[:pos], job, *stops[pos:]])
        if arrivals is None or arrivals[pos] > job.close_s:
            continue
        after = tuple(arrivals[pos + 1 :])
        added = to_job_s[pos] + (from_job_s[pos] - day.legs_s[pos] if pos < n else 0)
        keeps = all(a <= s.close_s for a, s in zip(after, stops[pos:], strict=True))
        out.append(Fit(day.vehicle_id, pos, arrivals[pos], to_job_s[pos], added, after,
                       tuple(legs[pos + 1 :]), keeps))  # fmt: skip
    return out


def best_fit(day: PlannedDay, job: Booked, to_job_s: Sequence[int],
             from_job_s: Sequence[int]) -> Fit | None:  # fmt: skip
    """Keeping every promise first, then the least added driving, then the earliest."""
    options = fits(day, job, to_job_s, from_job_s)
    return min(options, key=lambda f: (not f.keeps_promises, f.added_travel_s, f.arrival_s),
               default=None)  # fmt: skip
