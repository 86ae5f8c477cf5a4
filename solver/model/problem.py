"""The day to plan, in integer seconds on one time axis (any origin, e.g. midnight).

Locations are indices into the duration matrix, so the same model runs on road travel
times, haversine, an OSRM table or a benchmark's Euclidean distances. ``validate``
rejects nonsense before any solver sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

URGENT_PENALTY = 10**9  # never dropped while any feasible route exists


class ProblemError(ValueError):
    """The problem is malformed; the message says what and where."""


@dataclass(frozen=True)
class Window:
    start: int
    end: int


def joined(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) spans in time order, empty ones left out, overlapping or touching
    ones joined: the one shape of "several windows" both searches work on."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if a > b:
            continue
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


@dataclass(frozen=True)
class Break:
    """A break of ``duration`` seconds that must start inside ``window``."""

    duration: int
    window: Window


@dataclass(frozen=True)
class Vehicle:
    id: str
    start_location: int
    end_location: int
    start_time: int
    shift_end: int  # hard, unless overtime is allowed
    overtime: int = 0  # seconds allowed past shift_end
    overtime_cost_per_hour: int = 0
    breaks: tuple[Break, ...] = ()
    skills: frozenset[str] = frozenset()
    capacity: int | None = None


@dataclass(frozen=True)
class Pins:
    vehicle: str | None = None  # must be this technician
    started_on: str | None = None  # already started or en route with this vehicle
    started_at: int | None = None  # its real start time (arrival) when started
    promise: Window | None = None  # the window promised to the customer
    promise_hard: bool = True
    lateness_cost_per_minute: int = 0  # for a soft promise
    move_cost: int | None = None  # moving it off its previous vehicle; None: the search's


@dataclass(frozen=True)
class Visit:
    id: str
    location: int
    service: int
    windows: tuple[Window, ...] = ()
    skills: frozenset[str] = frozenset()
    penalty: int = 100_000  # cost of leaving it out; URGENT_PENALTY for urgent visits
    demand: int = 0
    pins: Pins = field(default_factory=Pins)

    @property
    def urgent(self) -> bool:
        return self.penalty >= URGENT_PENALTY


@dataclass(frozen=True)
class Problem:
    vehicles: Sequence[Vehicle]
    visits: Sequence[Visit]
    durations: npt.NDArray[np.int64]  # seconds, [from, to]
    distances: npt.NDArray[np.int64] | None = None  # metres; the objective if given
    minimise: str = "duration"  # or "distance"

    def cost_matrix(self) -> npt.NDArray[np.int64]:
        if self.minimise == "distance" and self.distances is not None:
            return self.distances
        return self.durations

    def validate(self) -> None:
        n = self.durations.shape[0] if self.durations.ndim == 2 else -1
        if self.durations.ndim != 2 or self.durations.shape[0] != self.durations.shape[1]:
            raise ProblemError(f"the duration matrix must be square, got {self.durations.shape}")
        if (self.durations < 0).any():
            raise ProblemError("the duration matrix has negative entries")
        if self.distances is not None and self.distances.shape != self.durations.shape:
            raise ProblemError(
                f"the distance matrix is {self.distances.shape}, the duration matrix "
                f"{self.durations.shape}: they must match"
            )
        if self.minimise not in ("duration", "distance"):
            raise ProblemError(f"minimise must be 'duration' or 'distance', not {self.minimise!r}")
        ids = [v.id for v in self.vehicles]
        if len(set(ids)) != len(ids):
            raise ProblemError("vehicle ids must be unique")
        visit_ids = [v.id for v in self.visits]
        if len(set(visit_ids)) != len(visit_ids):
            raise ProblemError("visit ids must be unique")
        for veh in self.vehicles:
            for loc in (veh.start_location, veh.end_location):
                if not 0 <= loc < n:
                    raise ProblemError(
                        f"vehicle {veh.id}: location {loc} is outside the matrix (size {n})"
                    )
            if veh.shift_end < veh.start_time:
                raise ProblemError(f"vehicle {veh.id}: the shift ends before it starts")
            if veh.overtime < 0:
                raise ProblemError(f"vehicle {veh.id}: negative overtime")
            for b in veh.breaks:
                if b.duration < 0:
                    raise ProblemError(f"vehicle {veh.id}: a break has a negative duration")
                if b.window.end < b.window.start:
                    raise ProblemError(f"vehicle {veh.id}: a break window ends before it starts")
        known = set(ids)
        for v in self.visits:
            if not 0 <= v.location < n:
                raise ProblemError(
                    f"visit {v.id}: location {v.location} is outside the matrix (size {n})"
                )
            if v.service < 0:
                raise ProblemError(f"visit {v.id}: negative service duration ({v.service} s)")
            if v.demand < 0:
                raise ProblemError(f"visit {v.id}: negative demand")
            for w in v.windows:
                if w.end < w.start:
                    raise ProblemError(f"visit {v.id}: a time window ends before it starts")
            p = v.pins.promise
            if p is not None and p.end < p.start:
                raise ProblemError(f"visit {v.id}: the promised window ends before it starts")
            if (p is not None and v.pins.promise_hard and v.windows and v.pins.started_at is None
                    and not any(w.start <= p.end and p.start <= w.end for w in v.windows)):
                raise ProblemError(f"visit {v.id}: the hard promise lies outside every window")
            for pin in (v.pins.vehicle, v.pins.started_on):
                if pin is not None and pin not in known:
                    raise ProblemError(
                        f"visit {v.id}: pinned to vehicle {pin!r}, which does not exist"
                    )
