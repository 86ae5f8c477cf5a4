"""What a solver returns: routes with times, and dropped visits with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StopTime:
    visit: str
    arrival: int
    start: int  # service start (after waiting)
    lateness: int = 0  # seconds past a soft promise


@dataclass(frozen=True)
class Route:
    vehicle: str
    stops: tuple[StopTime, ...]
    end_time: int
    breaks: tuple[int, ...] = ()  # break start times
    overtime: int = 0


@dataclass(frozen=True)
class Dropped:
    visit: str
    reason: str


@dataclass(frozen=True)
class Solution:
    routes: tuple[Route, ...]
    dropped: tuple[Dropped, ...] = ()
    cost: int = 0
    travel: int = 0  # sum of the objective matrix over driven legs
    seconds: float = 0.0
    status: str = ""
    log: tuple[str, ...] = field(default_factory=tuple)

    def route_of(self, vehicle: str) -> Route | None:
        return next((r for r in self.routes if r.vehicle == vehicle), None)

    def assignment(self) -> dict[str, str]:
        return {s.visit: r.vehicle for r in self.routes for s in r.stops}

    def order(self) -> dict[str, list[str]]:
        """Vehicle id -> its visits in driving order: the shape of a warm start."""
        return {r.vehicle: [s.visit for s in r.stops] for r in self.routes}
