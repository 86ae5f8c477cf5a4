"""The technicians' event log, stored once per event id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import GeoPoint
from dispatch.store.tables import FieldEventRow


def _event(r: FieldEventRow) -> FieldEvent:
    return FieldEvent(
        event_id=r.event_id,
        type=EventType(r.type),
        at=r.at,
        position=GeoPoint(r.lat, r.lon) if r.lat is not None and r.lon is not None else None,
        ticket_id=r.ticket_id,
        delay=timedelta(seconds=r.delay_s),
        note=r.note,
        snap_m=r.snap_m,
    )


class FieldEventRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_technician(self, technician_id: int) -> list[FieldEvent]:
        rows = self.session.scalars(
            select(FieldEventRow)
            .where(FieldEventRow.technician_id == technician_id)
            .order_by(FieldEventRow.at, FieldEventRow.event_id)
        )
        return [_event(r) for r in rows]

    def for_ticket(self, ticket_id: int) -> list[tuple[int, FieldEvent]]:
        """(technician id, event) of what the phones reported about this ticket."""
        rows = self.session.scalars(
            select(FieldEventRow).where(FieldEventRow.ticket_id == ticket_id)
            .order_by(FieldEventRow.at, FieldEventRow.event_id)
        )  # fmt: skip
        return [(r.technician_id, _event(r)) for r in rows]

    def known_ids(self, technician_id: int, event_ids: Sequence[str]) -> set[str]:
        if not event_ids:
            return set()
        return set(
            self.session.scalars(
                select(FieldEventRow.event_id)
                .where(FieldEventRow.technician_id == technician_id)
                .where(FieldEventRow.event_id.in_(list(event_ids)))
            )
        )

    def add(self, technician_id: int, e: FieldEvent, received_at: datetime) -> None:
        self.session.add(
            FieldEventRow(
                technician_id=technician_id,
                event_id=e.event_id,
                type=e.type.value,
                at=e.at,
                lat=e.position.lat if e.position else None,
                lon=e.position.lon if e.position else None,
                snap_m=e.snap_m,
                ticket_id=e.ticket_id,
                delay_s=int(e.delay.total_seconds()),
                note=e.note,
                received_at=received_at,
            )
        )
