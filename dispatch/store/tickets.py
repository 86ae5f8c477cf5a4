"""Tickets: what the customer asked for. Their visits are written by the route."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.model import Ticket, TicketStatus
from dispatch.store import mappers
from dispatch.store.ports import DuplicateKey
from dispatch.store.tables import TicketRow, VisitRow


class TicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _with_visits(self, rows: Sequence[TicketRow]) -> list[Ticket]:
        """Tickets with their visits, in two queries however many there are."""
        ids = [r.id for r in rows]
        visits: dict[int, VisitRow] = {}
        for chunk in range(0, len(ids), 5000):
            part = ids[chunk : chunk + 5000]
            for v in self.session.scalars(select(VisitRow).where(VisitRow.ticket_id.in_(part))):
                visits[v.ticket_id] = v
        return [mappers.ticket(r, visits.get(r.id)) for r in rows]

    def _one(self, row: TicketRow | None) -> Ticket | None:
        return None if row is None else self._with_visits([row])[0]

    def get(self, ticket_id: int) -> Ticket | None:
        return self._one(self.session.get(TicketRow, ticket_id))

    def by_token(self, token: str) -> Ticket | None:
        stmt = select(TicketRow).where(TicketRow.tracking_token == token)
        return self._one(self.session.scalars(stmt).first())

    def set_token(self, ticket_id: int, token: str) -> bool:
        row = self.session.get(TicketRow, ticket_id)
        if row is None:
            return False
        row.tracking_token = token
        return True

    def by_idempotency_key(self, key: str) -> tuple[Ticket, str | None] | None:
        row = self.session.scalars(
            select(TicketRow).where(TicketRow.idempotency_key == key)
        ).first()
        ticket = self._one(row)
        return None if row is None or ticket is None else (ticket, row.request_hash)

    def list(self, statuses: Sequence[TicketStatus] | None = None) -> list[Ticket]:
        stmt = select(TicketRow).order_by(TicketRow.id)
        if statuses:
            stmt = stmt.where(TicketRow.status.in_([s.value for s in statuses]))
        return self._with_visits(list(self.session.scalars(stmt)))

    def add(
        self, ticket: Ticket, idempotency_key: str | None = None, request_hash: str | None = None
    ) -> int:
        row = TicketRow(
            idempotency_key=idempotency_key,
            request_hash=request_hash,
            **mappers.ticket_values(ticket),
        )
        if ticket.repeat_of is not None:  # one case: the reports count it by its first ticket
            parent = self.session.get(TicketRow, ticket.repeat_of)
            row.case_of = (parent.case_of or parent.id) if parent else ticket.repeat_of
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise DuplicateKey(str(exc.orig)) from exc
        return row.id

    def set_status(self, ticket_id: int, status: TicketStatus, reason: str | None = None) -> None:
        row = self.session.get(TicketRow, ticket_id)
        if row is not None:
            row.status = status.value
            row.unassigned_reason = reason

    def problems(self, ticket_ids: Sequence[int]) -> dict[int, str]:
        """What went wrong before, for those of these tickets that are repeat visits."""
        if not ticket_ids:
            return {}
        rows = self.session.execute(
            select(TicketRow.id, TicketRow.problem)
            .where(TicketRow.id.in_(list(ticket_ids)), TicketRow.problem.is_not(None))
        )  # fmt: skip
        return {int(r.id): str(r.problem) for r in rows}

    def repeated(self, ticket_ids: Sequence[int]) -> dict[int, int]:
        """Those of these tickets that a repeat visit follows up, with the repeat's id (a
        cancelled repeat counts: the case was given up then)."""
        if not ticket_ids:
            return {}
        rows = self.session.execute(
            select(TicketRow.repeat_of, TicketRow.id)
            .where(TicketRow.repeat_of.in_(list(ticket_ids)))
        )  # fmt: skip
        return {int(r[0]): int(r[1]) for r in rows if r[0] is not None}

    def skills_and_kinds(self, ticket_ids: Sequence[int]) -> dict[int, tuple[frozenset[str], str]]:
        """What the replan and the phone's list need of many tickets, in one query."""
        if not ticket_ids:
            return {}
        rows = self.session.execute(
            select(TicketRow.id, TicketRow.skills, TicketRow.kind).where(
                TicketRow.id.in_(list(ticket_ids))
            )
        )
        return {r.id: (frozenset(r.skills), r.kind) for r in rows}
