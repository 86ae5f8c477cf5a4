"""Unit of work: one transaction per use case, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dispatch.store.engine import store_id
from dispatch.store.repository import (
    DuplicateKey,
    FieldEventRepository,
    OutboxRepository,
    PredictionRepository,
    SkillRepository,
    TechnicianRepository,
    TicketRepository,
)


class UnitOfWork(Protocol):
    skills: SkillRepository
    technicians: TechnicianRepository
    tickets: TicketRepository
    outbox: OutboxRepository
    events: FieldEventRepository
    predictions: PredictionRepository

    @property
    def store_id(self) -> str:
        """Identifies the database, for process-local caches."""
        ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class SqlUnitOfWork:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        bind = sessions.kw.get("bind")
        self._store_id = store_id(bind) if isinstance(bind, Engine) else f"session:{id(sessions)}"

    @property
    def store_id(self) -> str:
        return self._store_id

    def __enter__(self) -> Self:
        self.session = self._sessions()
        self.skills = SkillRepository(self.session)
        self.technicians = TechnicianRepository(self.session)
        self.tickets = TicketRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.events = FieldEventRepository(self.session)
        self.predictions = PredictionRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        try:
            self.session.commit()
        except IntegrityError as exc:
            raise DuplicateKey(str(exc.orig)) from exc

    def rollback(self) -> None:
        self.session.rollback()
