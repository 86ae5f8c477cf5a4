"""Unit of work: one transaction per use case, rolled back unless committed.

On commit it writes the events of every route saved in the transaction to the outbox,
through the one serializer, before the database commit: the events and the change
that raised them land together or not at all.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dispatch.domain.audit import SYSTEM, AuditEntry, audited
from dispatch.domain.events import Event
from dispatch.store.access_ports import ApiKeyStore, AuditStore, UserStore
from dispatch.store.api_keys import ApiKeyRepository
from dispatch.store.audit import AuditRepository
from dispatch.store.calendars import CalendarRepository
from dispatch.store.case_reports import ReportRepository
from dispatch.store.cases import CaseRepository, FollowUpRepository
from dispatch.store.changes import ChangeRepository
from dispatch.store.day_plans import DayPlanRepository
from dispatch.store.disruptions import DisruptionRepository
from dispatch.store.effects import EffectRepository
from dispatch.store.engine import store_id
from dispatch.store.event_codec import to_record
from dispatch.store.field_events import FieldEventRepository
from dispatch.store.messages import MessageRepository
from dispatch.store.offers import OfferRepository
from dispatch.store.outbox import OutboxRepository
from dispatch.store.ports import (
    CalendarStore,
    CaseStore,
    ChangeStore,
    DayPlanStore,
    DisruptionStore,
    DuplicateKey,
    EffectStore,
    FieldEventStore,
    FollowUpStore,
    MessageStore,
    OfferStore,
    OutboxStore,
    PredictionStore,
    ReportStore,
    RouteStore,
    SkillStore,
    TechnicianStore,
    TicketStore,
    UnitOfWork,
    WebhookStore,
)
from dispatch.store.predictions import PredictionRepository
from dispatch.store.routes import RouteRepository
from dispatch.store.skills import SkillRepository
from dispatch.store.technicians import TechnicianRepository
from dispatch.store.tickets import TicketRepository
from dispatch.store.users import UserRepository
from dispatch.store.webhooks import WebhookRepository

__all__ = ["DuplicateKey", "SqlUnitOfWork", "UnitOfWork"]


def audit_lines(outgoing: list[list[Event]], actor: str) -> list[AuditEntry]:
    """What a person would ask about (bookings, moves, cancellations), in the transaction
    that made them, with who asked for them."""
    lines = (audited(e, actor) for events in outgoing for e in events)
    return [line for line in lines if line is not None]


class SqlUnitOfWork:
    # Typed as the ports, so this class is a ``UnitOfWork`` (Protocol attributes are
    # invariant).
    skills: SkillStore
    technicians: TechnicianStore
    tickets: TicketStore
    routes: RouteStore
    outbox: OutboxStore
    events: FieldEventStore
    predictions: PredictionStore
    messages: MessageStore
    webhooks: WebhookStore
    calendars: CalendarStore
    day_plans: DayPlanStore
    disruptions: DisruptionStore
    effects: EffectStore
    offers: OfferStore
    cases: CaseStore
    followups: FollowUpStore
    reports: ReportStore
    users: UserStore
    keys: ApiKeyStore
    audit: AuditStore
    changes: ChangeStore

    def __init__(self, sessions: sessionmaker[Session], actor: str = SYSTEM) -> None:
        self._sessions = sessions
        self.actor = actor
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
        self.routes = RouteRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.events = FieldEventRepository(self.session)
        self.predictions = PredictionRepository(self.session)
        self.messages = MessageRepository(self.session)
        self.webhooks = WebhookRepository(self.session)
        self.calendars = CalendarRepository(self.session)
        self.day_plans = DayPlanRepository(self.session)
        self.disruptions = DisruptionRepository(self.session)
        self.effects = EffectRepository(self.session)
        self.offers = OfferRepository(self.session)
        self.cases = CaseRepository(self.session)
        self.followups = FollowUpRepository(self.session)
        self.reports = ReportRepository(self.session)
        self.users = UserRepository(self.session)
        self.keys = ApiKeyRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.changes = ChangeRepository(self.session)
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
        outgoing = [r.outgoing for r in self.routes.saved()]
        outgoing += [p.outgoing for p in self.day_plans.saved()]
        self.outbox.add_many([to_record(e) for events in outgoing for e in events])
        self.audit.add_many(audit_lines(outgoing, self.actor))
        for events in outgoing:
            events.clear()
        try:
            self.session.commit()
        except IntegrityError as exc:
            raise DuplicateKey(str(exc.orig)) from exc
        self.routes = RouteRepository(self.session)
        self.day_plans = DayPlanRepository(self.session)

    def rollback(self) -> None:
        self.session.rollback()
        self.routes = RouteRepository(self.session)
        self.day_plans = DayPlanRepository(self.session)
