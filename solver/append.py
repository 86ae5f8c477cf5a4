"""Walking-skeleton assignment: append a job to the nearest free technician's route.

This is the simplest policy that closes the loop (nearest free technician by travel
time). The quote engine replaces it with cheapest insertion into live routes; both take
the same travel-time protocol, so swapping haversine for the road network changes
nothing here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from solver.geo import LatLon
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class RouteEnd:
    """Where and when a vehicle becomes free, and when its shift ends (hard)."""

    vehicle_id: int
    location: LatLon
    free_at: datetime  # whole seconds keep ETAs readable
    shift_end: datetime


@dataclass(frozen=True)
class Job:
    location: LatLon
    service: timedelta
    earliest_start: datetime | None = None
    latest_start: datetime | None = None


@dataclass(frozen=True)
class Placement:
    vehicle_id: int
    travel: timedelta
    eta: datetime


@dataclass(frozen=True)
class NoPlacement:
    reason: str


NEAR_TIE = timedelta(minutes=15)


def place_nearest(
    job: Job, ends: Sequence[RouteEnd], travel: TravelTimes, near_tie: timedelta = NEAR_TIE
) -> Placement | NoPlacement:
    """The nearest *free* technician: earliest arrival first, then the shortest drive.

    Pure distance would send a technician who lives next door but starts work tonight;
    pure arrival time would send someone across the region to save two minutes. So all
    placements arriving within ``near_tie`` of the earliest are equally good for the
    customer, and among them the shortest drive wins (ties: earlier arrival).
    """
    if not ends:
        return NoPlacement("no technician with the required skills is on shift today")
    seconds = travel.matrix([e.location for e in ends], [job.location])[:, 0]
    feasible: list[Placement] = []
    too_late_for_shift = 0
    too_late_for_window = 0
    for end, secs in zip(ends, seconds, strict=True):
        leg = timedelta(seconds=round(float(secs)))
        eta = end.free_at + leg
        if job.earliest_start is not None and eta < job.earliest_start:
            eta = job.earliest_start
        if job.latest_start is not None and eta > job.latest_start:
            too_late_for_window += 1
            continue
        if eta + job.service > end.shift_end:
            too_late_for_shift += 1
            continue
        feasible.append(Placement(end.vehicle_id, leg, eta))
    if feasible:
        earliest = min(p.eta for p in feasible)
        pool = [p for p in feasible if p.eta <= earliest + near_tie]
        return min(pool, key=lambda p: (p.travel, p.eta, p.vehicle_id))
    parts = []
    if too_late_for_shift:
        parts.append(
            f"{too_late_for_shift} technician(s) with the skills cannot finish "
            f"{job.service.total_seconds() / 60:g} min of work before their shift ends"
        )
    if too_late_for_window:
        parts.append(f"{too_late_for_window} technician(s) cannot arrive before the window closes")
    return NoPlacement("; ".join(parts))
