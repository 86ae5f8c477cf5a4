"""What the live insertion reads and answers: a technician's remaining day, a new job,
and where it could go with what that does to the customers already there.

Times are integer seconds on any common scale (the caller uses Unix time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from solver.day_schedule import LunchRule
from solver.geo import LatLon

URGENT_PUSH_GAIN_S = 15 * 60  # an urgent job breaks promises only to gain more than this


@dataclass(frozen=True)
class Stop:
    """A visit already on a route. ``promise_end`` is the latest arrival promised."""

    id: int
    location: LatLon
    service_s: int
    earliest_s: int | None = None
    promise_end_s: int | None = None
    locked: bool = False  # started or en route: nothing may be inserted before it
    pushable: bool = True  # may this customer's promise be broken for an urgent job?
    # the latest arrival that still leaves the promise a margin against the day's noise:
    # pushing a stop past it keeps the promise but makes it likely to break later
    comfort_end_s: int | None = None


@dataclass(frozen=True)
class LiveRoute:
    """A technician's remaining day: where they are (or will be free) and what is left."""

    vehicle_id: int
    start: LatLon
    start_s: int
    shift_end_s: int
    stops: Sequence[Stop]
    legs_s: Sequence[int]  # legs_s[i]: travel into stops[i] (from start, or stops[i-1])
    lunch: LunchRule | None = None  # still to take today: placed by ``insertion_lunch``

    @property
    def first_free(self) -> int:
        """The first position a new job may take: behind work begun or driven to."""
        k = 0
        while k < len(self.stops) and self.stops[k].locked:
            k += 1
        return k


@dataclass(frozen=True)
class NewJob:
    location: LatLon
    service_s: int
    earliest_s: int | None = None
    latest_s: int | None = None  # latest start of service
    # several windows ("before ten or after two"), (opening, latest start) in time
    # order; when given, earliest_s and latest_s are not read
    windows: tuple[tuple[int, int], ...] = ()

    def start_for(self, arrival_s: int) -> int | None:
        """Service starts in the first window not yet closed, waiting for it to open, so a
        technician arriving between two windows waits for the second; None: all closed."""
        spans = self.windows or ((self.earliest_s, self.latest_s),)
        for lo, hi in spans:
            if hi is None or arrival_s <= hi:
                return arrival_s if lo is None else max(arrival_s, lo)
        return None


@dataclass(frozen=True)
class Shift:
    """How an existing stop moves when the new job goes in before it: when the
    technician is there, waiting for the stop's earliest start (its told window) if
    he would be early, so a push that only eats a wait moves nobody."""

    stop_id: int
    old_arrival_s: int
    new_arrival_s: int
    breaks_promise: bool
    squeezed_s: int = 0  # how far this push takes it past its comfortable end


@dataclass(frozen=True)
class Insertion:
    vehicle_id: int
    position: int  # index in the route's stops the job is inserted before
    arrival_s: int
    start_s: int  # arrival, or the window opening if that is later
    travel_s: int  # drive into the new job
    added_travel_s: int
    stops_ahead: int
    shifted: tuple[Shift, ...] = field(default_factory=tuple)
    leg_after_s: int | None = None  # drive from the job to the stop that now follows it
    after_lunch: bool = False  # the technician's lunch comes before the job

    @property
    def broken_promises(self) -> tuple[Shift, ...]:
        return tuple(s for s in self.shifted if s.breaks_promise)

    @property
    def keeps_promises(self) -> bool:
        return not self.broken_promises

    @property
    def squeezed_s(self) -> int:
        """The margin this insertion takes from other customers' windows, in seconds."""
        return sum(s.squeezed_s for s in self.shifted)


def begin_at(stop: Stop, arrive: int) -> int:
    """Service starts at the arrival, or the told window's start if that is later."""
    return arrive if stop.earliest_s is None else max(arrive, stop.earliest_s)


def squeezed_by(stop: Stop, before: int, after: int) -> int:
    """How far a push from ``before`` to ``after`` takes a stop past its comfortable end."""
    if stop.comfort_end_s is None:
        return 0
    return max(0, after - max(stop.comfort_end_s, before))
