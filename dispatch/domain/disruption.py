"""Disruptions: what stops a technician or slows the roads, as first-class records.

A breakdown or an unavailable technician (sick, called away) takes one technician out
of the plan from its start until it ends; a slowdown (snow, ice, storm, a closed
road) multiplies travel times inside an area over a period. Each carries a reason in
plain words, for the customers it touches. A disruption ends at its expected end, or
earlier when someone ends it (the repair was quicker, the snow stopped).

The rules here are the ones every use case asks: is it active now, does it take this
technician out, does its area hold this point.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from dispatch.domain.errors import InvalidInput
from dispatch.domain.model import GeoPoint

MAX_FACTOR = 5.0  # a slowdown beyond five times the usual drive is a closed road: say so
MAX_SPAN = timedelta(days=62)  # longer than two months is a calendar matter, not a disruption


class DisruptionKind(enum.StrEnum):
    BREAKDOWN = "breakdown"
    UNAVAILABLE = "unavailable"
    SLOWDOWN = "slowdown"


MAX_CORNERS = 500


def _area2(pts: Sequence[tuple[float, float]]) -> float:
    """Twice the signed area (shoelace); zero for corners on one line."""
    ring = zip(pts, (*pts[1:], pts[0]), strict=True)
    return sum(y1 * x2 - y2 * x1 for (y1, x1), (y2, x2) in ring)


def _crosses_itself(pts: Sequence[tuple[float, float]]) -> bool:
    """Two edges that are not neighbours properly cross (a bow tie)."""
    def turn(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    edges = list(zip(pts, (*pts[1:], pts[0]), strict=True))
    n = len(edges)
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through the closing corner
            (a, b), (c, d) = edges[i], edges[j]
            if turn(a, b, c) * turn(a, b, d) < 0 and turn(c, d, a) * turn(c, d, b) < 0:
                return True
    return False


@dataclass(frozen=True)
class Area:
    """A polygon of (lat, lon) corners, closed implicitly; a bounding box is four."""

    corners: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        if len(self.corners) < 3:
            raise InvalidInput("an area needs at least three corners")
        for lat, lon in self.corners:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise InvalidInput(f"corner ({lat}, {lon}) is not a place on earth")
        if len(self.corners) > MAX_CORNERS:
            raise InvalidInput(f"an area has at most {MAX_CORNERS} corners")
        if _crosses_itself(self.corners):
            raise InvalidInput("the area's border crosses itself; give its corners in order")
        if _area2(self.corners) == 0:
            raise InvalidInput("the area has no surface: its corners lie on one line")

    @classmethod
    def box(cls, south: float, west: float, north: float, east: float) -> Area:
        if north <= south or east <= west:
            raise InvalidInput("a box runs from south-west to north-east")
        return cls(((south, west), (south, east), (north, east), (north, west)))

    def contains(self, p: GeoPoint) -> bool:
        """Even-odd ray casting; an area this size is flat enough for it."""
        inside, pts = False, self.corners
        for (y1, x1), (y2, x2) in zip(pts, (*pts[1:], pts[0]), strict=True):
            if (y1 > p.lat) != (y2 > p.lat):
                x = x1 + (p.lat - y1) * (x2 - x1) / (y2 - y1)
                if p.lon < x:
                    inside = not inside
        return inside


@dataclass(frozen=True)
class Disruption:
    id: int
    kind: DisruptionKind
    start: datetime
    expected_end: datetime
    reason: str  # in plain words, for customers: "our van broke down on the A12"
    technician_id: int | None = None  # breakdown, unavailable
    area: Area | None = None  # slowdown
    factor: float = 1.0  # slowdown: travel times inside the area are multiplied by it
    ended_at: datetime | None = None
    source: str = "dispatcher"  # or "phone"
    created_at: datetime | None = None
    handled_at: datetime | None = None  # its consequences drawn (``services.force_majeure``)

    def __post_init__(self) -> None:
        if self.expected_end <= self.start:
            raise InvalidInput("a disruption ends after it starts")
        if self.expected_end - self.start > MAX_SPAN:
            raise InvalidInput("a disruption lasts at most 62 days; use the calendar beyond")
        if not self.reason.strip():
            raise InvalidInput("give the reason in plain words: customers will read it")
        personal = self.kind in (DisruptionKind.BREAKDOWN, DisruptionKind.UNAVAILABLE)
        if personal and (self.technician_id is None or self.area is not None):
            raise InvalidInput(f"a {self.kind.value} names one technician and no area")
        if self.kind == DisruptionKind.SLOWDOWN:
            if self.area is None or self.technician_id is not None:
                raise InvalidInput("a slowdown names an area and no technician")
            if not 1.0 < self.factor <= MAX_FACTOR:
                raise InvalidInput(f"a slowdown's factor is above 1 and at most {MAX_FACTOR:g}")

    @property
    def end(self) -> datetime:
        """When it stops counting: ended early, or its expected end."""
        return self.ended_at if self.ended_at is not None else self.expected_end

    def active(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end

    def takes_out(self, technician_id: int, at: datetime) -> bool:
        return self.technician_id == technician_id and self.active(at)

    def ended(self, at: datetime) -> Disruption:
        """Ended now (early); a disruption already over stays as it was."""
        if at >= self.end:
            raise InvalidInput("this disruption is over already")
        return replace(self, ended_at=max(at, self.start))


def out_of_service(disruptions: Sequence[Disruption], at: datetime) -> set[int]:
    """Technicians a breakdown or an absence takes out at ``at``."""
    return {d.technician_id for d in disruptions
            if d.technician_id is not None and d.active(at)}  # fmt: skip


def back_at(disruptions: Sequence[Disruption], technician_id: int) -> datetime | None:
    """When the last disruption of this technician ends (None: none of his)."""
    ends = [d.end for d in disruptions if d.technician_id == technician_id]
    return max(ends, default=None)
