"""ETA predictions per horizon and what really happened, to learn honest intervals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from dispatch.store.tables import EtaPredictionRow


class PredictionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record_many(self, rows: Sequence[tuple[int, int, int, datetime, datetime, int]]) -> None:
        """(ticket, technician, horizon, computed at, eta, default half-width s); the
        first prediction per horizon wins."""
        if not rows:
            return
        tickets = sorted({r[0] for r in rows})
        existing: set[tuple[int, int]] = set()
        for chunk in range(0, len(tickets), 5000):
            part = tickets[chunk : chunk + 5000]
            existing.update(
                (r.ticket_id, r.horizon)
                for r in self.session.execute(
                    select(EtaPredictionRow.ticket_id, EtaPredictionRow.horizon).where(
                        EtaPredictionRow.ticket_id.in_(part)
                    )
                )
            )
        fresh = [r for r in rows if (r[0], r[2]) not in existing]
        if fresh:
            self.session.execute(
                insert(cast(Table, EtaPredictionRow.__table__)),
                [
                    {
                        "ticket_id": t,
                        "technician_id": tech,
                        "horizon": h,
                        "computed_at": at,
                        "predicted": eta,
                        "scale_s": scale,
                    }
                    for t, tech, h, at, eta, scale in fresh
                ],
            )

    def settle(self, ticket_id: int, actual: datetime) -> None:
        self.session.execute(
            update(EtaPredictionRow)
            .where(EtaPredictionRow.ticket_id == ticket_id)
            .where(EtaPredictionRow.actual.is_(None))
            .values(actual=actual)
        )

    def errors_since(
        self, since: datetime, tickets: Sequence[int] | None = None
    ) -> list[tuple[int, int, float, float | None, float]]:
        """(ticket, horizon, actual - predicted s, its default half-width s or None,
        lead s) of each settled prediction (of these ``tickets`` only, when given)."""
        row = EtaPredictionRow
        query = (
            select(row.ticket_id, row.horizon, row.computed_at, row.predicted, row.actual,
                   row.scale_s)
            .where(row.computed_at >= since)
            .where(row.actual.is_not(None))
        )
        if tickets is not None:
            query = query.where(row.ticket_id.in_(list(tickets)))
        rows = self.session.execute(query)
        return [(r.ticket_id, r.horizon, (r.actual - r.predicted).total_seconds(),
                 None if r.scale_s is None else float(r.scale_s),
                 (r.predicted - r.computed_at).total_seconds())
                for r in rows]  # fmt: skip
