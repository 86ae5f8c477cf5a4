"""Request and response bodies of ``/api/disruptions``."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    model_validator,
)

from api.presenters import Presenter
from api.schemas import MAX_ID, WindowOut
from dispatch.domain.disruption import MAX_FACTOR, Area, Disruption, DisruptionKind
from dispatch.domain.errors import InvalidInput
from dispatch.services.disruptions import Audit, NewDisruption

AHEAD = timedelta(days=366)  # a start further from now than this is a typo, not a plan


class BoxIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    south: StrictFloat = Field(ge=-90, le=90)
    west: StrictFloat = Field(ge=-180, le=180)
    north: StrictFloat = Field(ge=-90, le=90)
    east: StrictFloat = Field(ge=-180, le=180)


class PolygonIn(BaseModel):
    """GeoJSON: one ring of [lon, lat] positions (closing it is optional)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["Polygon"]
    coordinates: list[list[tuple[float, float]]] = Field(min_length=1, max_length=1)


class DisruptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["breakdown", "unavailable", "slowdown"]
    reason: str = Field(min_length=1, max_length=300, examples=["our van broke down on the A12"],
                        description="in plain words: customers will read it")  # fmt: skip
    technician_id: StrictInt | None = Field(None, ge=1, le=MAX_ID,
                                      description="breakdown, unavailable")  # fmt: skip
    box: BoxIn | None = Field(None, description="slowdown: a bounding box ...")
    polygon: PolygonIn | None = Field(None, description="... or a GeoJSON polygon")
    factor: StrictFloat | None = Field(None, gt=1.0, le=MAX_FACTOR,
                                 description="slowdown: travel times x this")  # fmt: skip
    start: AwareDatetime | None = Field(None, description="default: now")
    expected_end: AwareDatetime | None = Field(None, description="or repair_min from the start")
    repair_min: StrictInt | None = Field(None, ge=1, le=62 * 24 * 60)

    @model_validator(mode="after")
    def _one_end(self) -> DisruptionIn:
        if (self.expected_end is None) == (self.repair_min is None):
            raise ValueError("give either expected_end or repair_min")
        if self.box is not None and self.polygon is not None:
            raise ValueError("give a box or a polygon, not both")
        return self

    def domain(self, now: datetime) -> NewDisruption:
        area = None
        if self.box is not None:
            b = self.box
            area = Area.box(b.south, b.west, b.north, b.east)
        elif self.polygon is not None:
            ring = self.polygon.coordinates[0]
            if len(ring) > 1 and ring[0] == ring[-1]:
                ring = ring[:-1]
            area = Area(tuple((lat, lon) for lon, lat in ring))
        start = self.start or now
        if not now - AHEAD <= start <= now + AHEAD:
            raise InvalidInput("start is more than a year away from now; check the date")
        end = self.expected_end or start + timedelta(minutes=self.repair_min or 0)
        if self.factor is not None and self.kind != "slowdown":
            raise InvalidInput(f"a factor is for a slowdown, not a {self.kind}")
        factor = self.factor or 1.0
        return NewDisruption(DisruptionKind(self.kind), end, self.reason, self.technician_id,
                             area, factor, start)  # fmt: skip


class DisruptionOut(BaseModel):
    id: int
    kind: str
    reason: str
    technician_id: int | None
    area: list[tuple[float, float]] | None = Field(description="[lat, lon] corners")
    factor: float
    start: datetime
    expected_end: datetime
    ended_at: datetime | None
    active: bool
    source: str
    handled_at: datetime | None = Field(None, description="when its consequences were drawn")

    @classmethod
    def of(cls, d: Disruption, now: datetime, zone: ZoneInfo) -> DisruptionOut:
        """Times in the service's zone, as everywhere else in the API."""
        return cls(id=d.id, kind=d.kind.value, reason=d.reason, technician_id=d.technician_id,
                   area=list(d.area.corners) if d.area else None, factor=d.factor,
                   start=d.start.astimezone(zone), expected_end=d.expected_end.astimezone(zone),
                   ended_at=d.ended_at.astimezone(zone) if d.ended_at else None,
                   active=d.active(now), source=d.source,
                   handled_at=d.handled_at.astimezone(zone) if d.handled_at else None)  # fmt: skip


class ToldOut(BaseModel):
    kind: str
    channel: str
    status: str = Field(description="pending, sent, held back, suppressed or dead")
    send_after: datetime
    sent_at: datetime | None


class EffectOut(BaseModel):
    ticket_id: int
    outcome: str = Field(description="moved, kept, offered, started, unplaced, warned, retimed")
    needs_attention: bool = Field(description="started or unplaced: the dispatcher decides")
    from_technician_id: int | None
    to_technician_id: int | None
    window: WindowOut | None = Field(description="the window the customer holds afterwards")
    told: str | None = Field(description="the message kind the customer gets; null: none")
    messages: list[ToldOut] = Field(description="those messages, per channel, once planned")
    at: datetime


class DisruptionAuditOut(DisruptionOut):
    summary: dict[str, int] = Field(description="visits per outcome")
    effects: list[EffectOut]

    @classmethod
    def of_audit(cls, a: Audit, now: datetime, zone: ZoneInfo) -> DisruptionAuditOut:
        p, base = Presenter(zone), DisruptionOut.of(a.disruption, now, zone)
        effects = [EffectOut(
            ticket_id=e.ticket_id, outcome=e.kind.value, needs_attention=e.needs_attention,
            from_technician_id=e.from_technician_id, to_technician_id=e.to_technician_id,
            window=p.window(e.window) if e.window else None, told=e.told, at=p.t(e.at),
            messages=[ToldOut(kind=m.kind, channel=m.channel, status=m.status.value,
                              send_after=p.t(m.send_after),
                              sent_at=p.t(m.sent_at) if m.sent_at else None)
                      for m in a.messages.get(e.ticket_id, [])],
        ) for e in a.effects]  # fmt: skip
        summary = Counter(e.kind.value for e in a.effects)
        return cls(**base.model_dump(), summary=dict(summary), effects=effects)
