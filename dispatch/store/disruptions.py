"""Disruptions in the database: the ``DisruptionStore`` port on SQLAlchemy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from dispatch.domain.disruption import Area, Disruption, DisruptionKind
from dispatch.store.disruption_table import DisruptionRow


def _domain(r: DisruptionRow) -> Disruption:
    return Disruption(
        r.id, DisruptionKind(r.kind), r.start, r.expected_end, r.reason, r.technician_id,
        Area(tuple((float(a), float(b)) for a, b in r.area)) if r.area else None, r.factor,
        r.ended_at, r.source, r.created_at, r.handled_at,
    )  # fmt: skip


class DisruptionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, d: Disruption, now: datetime) -> int:
        row = DisruptionRow(
            kind=d.kind.value, technician_id=d.technician_id,
            area=[list(c) for c in d.area.corners] if d.area else None, factor=d.factor,
            start=d.start, expected_end=d.expected_end, ended_at=d.ended_at, reason=d.reason,
            source=d.source, created_at=now,
        )  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return int(row.id)

    def get(self, disruption_id: int) -> Disruption | None:
        row = self.session.get(DisruptionRow, disruption_id)
        return _domain(row) if row else None

    def overlapping(self, start: datetime, end: datetime) -> list[Disruption]:
        """Every disruption that counts at some moment of [start, end)."""
        rows = self.session.scalars(
            select(DisruptionRow)
            .where(DisruptionRow.start < end)
            .where(or_(DisruptionRow.ended_at.is_(None), DisruptionRow.ended_at > start))
            .where(DisruptionRow.expected_end > start)
            .order_by(DisruptionRow.start, DisruptionRow.id)
        )
        return [d for d in map(_domain, rows) if d.overlaps(start, end)]

    def recent(self, limit: int) -> list[Disruption]:
        rows = self.session.scalars(
            select(DisruptionRow).order_by(DisruptionRow.id.desc()).limit(limit)
        )
        return [_domain(r) for r in rows]

    def end(self, disruption_id: int, at: datetime) -> None:
        self.session.execute(
            update(DisruptionRow).where(DisruptionRow.id == disruption_id).values(ended_at=at)
        )

    def mark_handled(self, disruption_id: int, at: datetime) -> None:
        self.session.execute(
            update(DisruptionRow).where(DisruptionRow.id == disruption_id).values(handled_at=at)
        )

    def unhandled(self, now: datetime) -> list[Disruption]:
        """In force now, or still to come, with their consequences not yet drawn (a crash
        between recording one and handling it)."""
        rows = self.session.scalars(
            select(DisruptionRow).where(DisruptionRow.handled_at.is_(None))
            .where(DisruptionRow.expected_end > now)
            .where(or_(DisruptionRow.ended_at.is_(None), DisruptionRow.ended_at > now))
            .order_by(DisruptionRow.id)
        )  # fmt: skip
        return [_domain(r) for r in rows]
