"""Case histories and courtesy calls in the database (``CaseStore``, ``FollowUpStore``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.case import CaseEvent, CaseEventKind, columns
from dispatch.domain.followup import FollowUp, Outcome
from dispatch.domain.model import TicketStatus
from dispatch.store.case_table import CaseEventRow, FollowUpRow
from dispatch.store.tables import TicketRow


def _event(r: CaseEventRow) -> CaseEvent:
    return CaseEvent(r.ticket_id, r.at, CaseEventKind(r.kind), r.actor, dict(r.detail))


def _followup(r: FollowUpRow) -> FollowUp:
    return FollowUp(r.id, r.ticket_id, r.due_at, r.created_at, r.attempt,
                    Outcome(r.outcome) if r.outcome else None, r.done_at, r.note)  # fmt: skip


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, e: CaseEvent) -> None:
        self.session.add(CaseEventRow(ticket_id=e.ticket_id, at=e.at, kind=e.kind.value,
                                      actor=e.actor, detail=dict(e.detail),
                                      **columns(e.detail)))  # fmt: skip

    def of(self, ticket_id: int) -> list[CaseEvent]:
        rows = self.session.scalars(
            select(CaseEventRow).where(CaseEventRow.ticket_id == ticket_id)
            .order_by(CaseEventRow.at, CaseEventRow.id)
        )  # fmt: skip
        return [_event(r) for r in rows]

    def completed_before(self, before: datetime, limit: int = 1000) -> list[tuple[int, datetime]]:
        """Cases still waiting for the customer (completed), with when the visit ended,
        for those that ended before ``before``."""
        done = (
            select(CaseEventRow.ticket_id, func.max(CaseEventRow.at).label("at"))
            .where(CaseEventRow.kind == CaseEventKind.VISIT_COMPLETED.value)
            .group_by(CaseEventRow.ticket_id).subquery()
        )  # fmt: skip
        rows = self.session.execute(
            select(TicketRow.id, done.c.at).join(done, done.c.ticket_id == TicketRow.id)
            .where(TicketRow.status == TicketStatus.COMPLETED.value, done.c.at < before)
            .order_by(done.c.at).limit(limit)
        )  # fmt: skip
        return [(int(r.id), r.at) for r in rows]


class FollowUpRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, f: FollowUp) -> int | None:
        """None when this attempt exists already (a rerun of the job)."""
        row = FollowUpRow(ticket_id=f.ticket_id, attempt=f.attempt, due_at=f.due_at,
                          created_at=f.created_at, note=f.note)  # fmt: skip
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            return None
        return int(row.id)

    def get(self, followup_id: int) -> FollowUp | None:
        row = self.session.get(FollowUpRow, followup_id)
        return _followup(row) if row else None

    def of(self, ticket_id: int) -> list[FollowUp]:
        rows = self.session.scalars(
            select(FollowUpRow).where(FollowUpRow.ticket_id == ticket_id)
            .order_by(FollowUpRow.attempt)
        )  # fmt: skip
        return [_followup(r) for r in rows]

    def open_due(self, until: datetime, limit: int = 200) -> list[FollowUp]:
        rows = self.session.scalars(
            select(FollowUpRow).where(FollowUpRow.done_at.is_(None), FollowUpRow.due_at <= until)
            .order_by(FollowUpRow.due_at).limit(limit)
        )  # fmt: skip
        return [_followup(r) for r in rows]

    def finish(self, followup_id: int, outcome: Outcome, at: datetime, note: str) -> bool:
        """False when it was finished already (by another agent)."""
        result = self.session.execute(
            update(FollowUpRow).where(FollowUpRow.id == followup_id, FollowUpRow.done_at.is_(None))
            .values(outcome=outcome.value, done_at=at, note=note)
        )  # fmt: skip
        return bool(getattr(result, "rowcount", 0) == 1)

