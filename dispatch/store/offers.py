"""New appointments offered after force majeure (``domain.force_majeure.Offer``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.force_majeure import Offer, OfferedSlot, OfferStatus
from dispatch.domain.model import TimeWindow
from dispatch.store.disruption_table import OfferRow
from dispatch.store.ports import DuplicateKey


def _slot_json(s: OfferedSlot) -> dict[str, Any]:
    return {"technician_id": s.technician_id, "day": s.day.isoformat(), "today": s.today,
            "start": s.window.start.isoformat(), "end": s.window.end.isoformat()}  # fmt: skip


def _slot(j: dict[str, Any]) -> OfferedSlot:
    window = TimeWindow(datetime.fromisoformat(j["start"]), datetime.fromisoformat(j["end"]))
    return OfferedSlot(int(j["technician_id"]), date.fromisoformat(j["day"]), window,
                       bool(j["today"]))  # fmt: skip


def _domain(r: OfferRow) -> Offer:
    slots = tuple(_slot(j) for j in r.slots)
    return Offer(r.id, r.ticket_id, r.disruption_id, slots, r.hold_until, r.created_at,
                 OfferStatus(r.status), r.chosen, r.decided_at)  # fmt: skip


class OfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, o: Offer) -> int:
        row = OfferRow(ticket_id=o.ticket_id, disruption_id=o.disruption_id,
                       slots=[_slot_json(s) for s in o.slots], hold_until=o.hold_until,
                       status=o.status.value, chosen=o.chosen, created_at=o.created_at,
                       decided_at=o.decided_at)  # fmt: skip
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:  # this disruption already offered this visit
            raise DuplicateKey(str(exc.orig)) from exc
        return int(row.id)

    def save(self, o: Offer) -> None:
        self.session.execute(
            update(OfferRow).where(OfferRow.id == o.id).values(
                slots=[_slot_json(s) for s in o.slots], status=o.status.value, chosen=o.chosen,
                decided_at=o.decided_at)
        )  # fmt: skip

    def latest(self, ticket_id: int) -> Offer | None:
        """The newest offer made to this visit's customer, answered or not."""
        row = self.session.scalars(
            select(OfferRow).where(OfferRow.ticket_id == ticket_id).order_by(OfferRow.id.desc())
        ).first()
        return _domain(row) if row else None

    def expired(self, now: datetime, limit: int = 500) -> list[Offer]:
        rows = self.session.scalars(
            select(OfferRow).where(OfferRow.status == OfferStatus.HELD.value)
            .where(OfferRow.hold_until <= now).order_by(OfferRow.hold_until).limit(limit)
        )  # fmt: skip
        return [_domain(r) for r in rows]
