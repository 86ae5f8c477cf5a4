"""Writing and reading the audit log (``domain.audit``).

``note`` is called inside a use case's transaction, so the line commits with the change
it describes; the actor is the unit of work's, set once by whoever opened it.
"""

from __future__ import annotations

from datetime import datetime

from dispatch.domain.audit import AuditEntry
from dispatch.store.ports import UnitOfWork

MAX_PAGE = 500


def note(uow: UnitOfWork, at: datetime, action: str, subject: str, detail: str = "") -> None:
    uow.audit.add_many([AuditEntry(at, uow.actor, action, subject, detail)])


def read_log(uow: UnitOfWork, limit: int = 100, before_id: int | None = None,
             subject: str | None = None) -> list[AuditEntry]:  # fmt: skip
    with uow:
        return uow.audit.recent(min(limit, MAX_PAGE), before_id, subject)
