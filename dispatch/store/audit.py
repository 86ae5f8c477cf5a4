"""The audit log in the database (``AuditStore``): appended to, read newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.domain.audit import AuditEntry
from dispatch.store.security_tables import AuditRow


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, entries: list[AuditEntry]) -> None:
        self.session.add_all(AuditRow(at=e.at, actor=e.actor[:80], action=e.action,
                                      subject=e.subject, detail=e.detail[:400])
                             for e in entries)  # fmt: skip

    def recent(self, limit: int, before_id: int | None = None,
               subject: str | None = None) -> list[AuditEntry]:  # fmt: skip
        q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if before_id is not None:
            q = q.where(AuditRow.id < before_id)
        if subject is not None:
            q = q.where(AuditRow.subject == subject)
        return [AuditEntry(r.at, r.actor, r.action, r.subject, r.detail, r.id)
                for r in self.session.scalars(q)]  # fmt: skip
