"""The outbox: events waiting to reach customers, written in the transaction that
raised them. Rows are only ever added here; ``event_codec`` decides their shape."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from dispatch.store.ports import OutboxRecord
from dispatch.store.tables import OutboxRow


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, records: Sequence[OutboxRecord]) -> int:
        """Queue many events in one insert, skipping keys already queued."""
        if not records:
            return 0
        keys = [r.dedupe_key for r in records]
        taken: set[str] = set()
        for chunk in range(0, len(keys), 5000):
            part = keys[chunk : chunk + 5000]
            taken.update(
                self.session.scalars(
                    select(OutboxRow.dedupe_key).where(OutboxRow.dedupe_key.in_(part))
                )
            )
        fresh: dict[str, OutboxRecord] = {}
        for r in records:
            if r.dedupe_key not in taken:
                fresh.setdefault(r.dedupe_key, r)
        if fresh:
            self.session.execute(
                insert(cast(Table, OutboxRow.__table__)),
                [
                    {
                        "kind": r.kind,
                        "ticket_id": r.ticket_id,
                        "dedupe_key": r.dedupe_key,
                        "payload": dict(r.payload),
                        "created_at": r.created_at,
                    }
                    for r in fresh.values()
                ],
            )
        return len(fresh)

    def pending(self, limit: int) -> list[tuple[int, str, int | None, dict[str, Any]]]:
        """Events no message has been made from yet, oldest first."""
        stmt = (
            select(OutboxRow)
            .where(OutboxRow.delivered_at.is_(None))
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            # two planners (the scheduler's job and `dispatch deliver`) never take the
            # same event: the second would supersede the first one's held message
            stmt = stmt.with_for_update(skip_locked=True)
        rows = self.session.scalars(stmt)
        return [(r.id, r.kind, r.ticket_id, dict(r.payload)) for r in rows]

    def mark_planned(self, outbox_id: int, at: datetime) -> None:
        row = self.session.get(OutboxRow, outbox_id)
        if row is not None:
            row.delivered_at = at

    def for_ticket(self, ticket_id: int) -> list[tuple[str, dict[str, Any]]]:
        rows = self.session.scalars(
            select(OutboxRow).where(OutboxRow.ticket_id == ticket_id).order_by(OutboxRow.id)
        )
        return [(r.kind, dict(r.payload)) for r in rows]

    def numbered(self, ticket_id: int) -> dict[int, tuple[str, dict[str, Any]]]:
        """A ticket's events by outbox id: what each message was made from."""
        rows = self.session.scalars(select(OutboxRow).where(OutboxRow.ticket_id == ticket_id))
        return {r.id: (r.kind, dict(r.payload)) for r in rows}

    def all(self) -> list[tuple[str, int | None, dict[str, Any]]]:
        rows = self.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return [(r.kind, r.ticket_id, dict(r.payload)) for r in rows]
