"""What each disruption did to whom (``domain.force_majeure.Effect``), one row per visit."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from dispatch.domain.force_majeure import Effect, EffectKind
from dispatch.domain.model import TimeWindow
from dispatch.store.disruption_table import EffectRow


def _domain(r: EffectRow) -> Effect:
    window = TimeWindow(r.window_start, r.window_end) if r.window_start and r.window_end else None
    return Effect(r.disruption_id, r.ticket_id, EffectKind(r.kind), r.at, r.from_technician_id,
                  r.to_technician_id, window, r.told)  # fmt: skip


class EffectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, e: Effect) -> bool:
        """False when this visit already has its line for this disruption (a rerun)."""
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(EffectRow).values(
            disruption_id=e.disruption_id, ticket_id=e.ticket_id, kind=e.kind.value, at=e.at,
            from_technician_id=e.from_technician_id, to_technician_id=e.to_technician_id,
            window_start=e.window.start if e.window else None,
            window_end=e.window.end if e.window else None, told=e.told,
        ).on_conflict_do_nothing()  # fmt: skip
        return self.session.execute(stmt.returning(EffectRow.id)).first() is not None

    def of(self, disruption_id: int) -> list[Effect]:
        rows = self.session.scalars(
            select(EffectRow).where(EffectRow.disruption_id == disruption_id).order_by(EffectRow.id)
        )
        return [_domain(r) for r in rows]

    def of_tickets(self, ticket_ids: list[int]) -> list[Effect]:
        """Every line about these visits, whichever disruption wrote it."""
        found: list[Effect] = []
        for k in range(0, len(ticket_ids), 5000):
            rows = self.session.scalars(
                select(EffectRow).where(EffectRow.ticket_id.in_(ticket_ids[k : k + 5000]))
            )
            found.extend(_domain(r) for r in rows)
        return found

    def rehome(self, disruption_id: int, ticket_id: int, technician_id: int,
               window: TimeWindow) -> None:  # fmt: skip
        """The customer chose another appointment than the one held: the audit follows."""
        self.session.execute(
            update(EffectRow)
            .where(EffectRow.disruption_id == disruption_id, EffectRow.ticket_id == ticket_id)
            .values(to_technician_id=technician_id, window_start=window.start,
                    window_end=window.end)
        )  # fmt: skip
