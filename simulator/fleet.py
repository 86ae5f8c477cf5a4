"""The technicians as the truth knows them: where each really is, what they are doing
until when, and what their phones report, through the technician events use case
(``services.field_events``), each event at its own moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dispatch.clock import FakeClock
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import GeoPoint, LunchBreak, Visit, VisitStatus
from dispatch.services.field_events import record_events
from dispatch.services.routes import get_route
from dispatch.services.simulate import road_line
from dispatch.store.uow import SqlUnitOfWork
from simulator.scenario import DisruptionSpec
from solver.geo import LatLon, along
from solver.traveltime.haversine import great_circle_m
from solver.traveltime.protocol import TravelTimes

COMING = (VisitStatus.PLANNED, VisitStatus.EN_ROUTE)


@dataclass
class Tech:
    id: int
    index: int  # 1-based, as scenarios name technicians
    position: GeoPoint
    shift_start: datetime
    shift_end: datetime
    doing: str = "idle"  # idle | driving | waiting (at the door, early) | working | lunch | out
    visit: Visit | None = None
    until: datetime | None = None  # when the current drive or job really ends
    left: datetime | None = None
    path: list[LatLon] = field(default_factory=list)
    failure: str | None = None  # this visit will fail, and why
    arrived_at: datetime | None = None
    out_until: datetime | None = None  # a breakdown's real repair end; sick: the day's end
    out_after_job: DisruptionSpec | None = None  # taking effect when the job ends
    counter: int = 0
    drive_s: float = 0.0
    work_s: float = 0.0
    km: float = 0.0
    done: datetime | None = None
    lunch: LunchBreak | None = None  # from the calendar (``simulator/lunch.py``)
    ate: bool = False

    def where(self, now: datetime) -> GeoPoint:
        """On the road between two stops while driving, as the phone would say."""
        if self.doing != "driving" or not (self.left and self.until and self.path):
            return self.position
        share = min(1.0, max(0.0, (now - self.left) / (self.until - self.left or
                                                        timedelta(seconds=1))))  # fmt: skip
        return GeoPoint(*along(self.path, share))


def post(uow: SqlUnitOfWork, clock: FakeClock, travel: TravelTimes, t: Tech, kind: EventType,
         at: datetime, visit: Visit | None = None, delay: timedelta = timedelta(0),
         note: str | None = None) -> None:  # fmt: skip
    t.counter += 1
    position = t.where(at) if kind in (EventType.POSITION, EventType.BREAKDOWN) else None
    event = FieldEvent(f"sim-{t.id}-{t.counter:06d}", kind, at, position=position,
                       ticket_id=visit.ticket_id if visit else None, delay=delay,
                       note=note)  # fmt: skip
    record_events(uow, clock, travel, t.id, [event])


def next_stop(uow: SqlUnitOfWork, t: Tech) -> Visit | None:
    """What the phone shows next: the first open visit not yet reached."""
    return next((v for v in get_route(uow, t.id).stops if v.open and v.status in COMING), None)


def road(travel: TravelTimes, a: GeoPoint, b: GeoPoint) -> tuple[list[LatLon], float]:
    """The road a drive follows (straight where the source cannot draw it), and its km."""
    path = road_line(travel, a.latlon, b.latlon)
    km = float(great_circle_m(path[:-1], path[1:]).diagonal().sum()) / 1000
    return path, km
