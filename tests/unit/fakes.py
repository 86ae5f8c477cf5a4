"""Every port of ``dispatch.store.ports`` in memory: no database file, engine or session.

The unit of work keeps a committed copy of the data and a working copy; ``commit`` writes
the saved routes' events to the outbox exactly as ``SqlUnitOfWork.commit`` does, and
``rollback`` (or leaving ``with`` without a commit) throws the working copy away."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Self

from fake_calendars import FakeCalendars
from fake_cases import FakeCases, FakeFollowUps
from fake_day_plans import FakeDayPlans
from fake_disruptions import FakeDisruptions, FakeEffects, FakeOffers
from fake_reports import FakeReports
from fake_users import FakeApiKeys, FakeAudit, FakeUsers

from dispatch.domain.audit import SYSTEM
from dispatch.domain.calendar import DateException, WeeklyPattern
from dispatch.domain.case import CaseEvent
from dispatch.domain.day_plan import Appointment
from dispatch.domain.disruption import Disruption
from dispatch.domain.errors import NotFound, StaleRoute
from dispatch.domain.fieldstate import FieldEvent, FieldState, from_summary, summary
from dispatch.domain.followup import FollowUp
from dispatch.domain.force_majeure import Effect, Offer
from dispatch.domain.model import (
    GeoPoint,
    LunchBreak,
    Technician,
    Ticket,
    TicketStatus,
    TimeWindow,
    Visit,
)
from dispatch.domain.route import Route
from dispatch.domain.urgency import UrgencyFactors
from dispatch.store import ports
from dispatch.store.event_codec import to_record
from dispatch.store.ports import DuplicateKey, OpenRoute, OutboxRecord
from dispatch.store.uow import audit_lines


@dataclass
class Prediction:
    computed_at: datetime
    predicted: datetime
    scale_s: int | None = None
    actual: datetime | None = None


@dataclass
class FakeData:
    """Everything the database would hold, as plain Python values."""

    skills: dict[str, str] = field(default_factory=dict)
    technicians: dict[int, Technician] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)  # technician -> route version
    states: dict[int, dict[str, object]] = field(default_factory=dict)  # field-state summary
    tickets: dict[int, Ticket] = field(default_factory=dict)  # stored without their visit
    keys: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # idempotency
    visits: dict[int, Visit] = field(default_factory=dict)  # ticket id -> its visit
    outbox: dict[str, OutboxRecord] = field(default_factory=dict)  # dedupe key -> row
    field_events: dict[int, dict[str, FieldEvent]] = field(default_factory=dict)
    predictions: dict[tuple[int, int], Prediction] = field(default_factory=dict)  # by horizon
    patterns: dict[int, WeeklyPattern] = field(default_factory=dict)
    disruptions: dict[int, Disruption] = field(default_factory=dict)
    exceptions: dict[int, DateException] = field(default_factory=dict)  # by id
    exception_owner: dict[int, int] = field(default_factory=dict)  # exception id -> technician
    day_versions: dict[tuple[int, date], int] = field(default_factory=dict)
    appointments: dict[int, Appointment] = field(default_factory=dict)  # by ticket
    effects: dict[tuple[int, int], Effect] = field(default_factory=dict)  # (disruption, ticket)
    offers: dict[int, Offer] = field(default_factory=dict)  # by id
    case_events: list[CaseEvent] = field(default_factory=list)
    followups: dict[int, FollowUp] = field(default_factory=dict)  # by id
    users: FakeUsers = field(default_factory=FakeUsers)
    api_keys: FakeApiKeys = field(default_factory=FakeApiKeys)
    audit: FakeAudit = field(default_factory=FakeAudit)


class _Repo:
    def __init__(self, data: FakeData) -> None:
        self.d = data  # the unit of work's working copy


class FakeSkills(_Repo):
    def codes(self) -> set[str]:
        return set(self.d.skills)

    def upsert(self, code: str, label: str) -> None:
        self.d.skills[code] = label


class FakeTechnicians(_Repo):
    def get(self, technician_id: int) -> Technician | None:
        return copy.deepcopy(self.d.technicians.get(technician_id))

    def all(self) -> list[Technician]:
        return [copy.deepcopy(t) for _, t in sorted(self.d.technicians.items())]

    def by_code(self, code: str) -> Technician | None:
        return next((t for t in self.all() if t.code == code), None)

    def add(self, tech: Technician) -> int:
        new_id = max(self.d.technicians, default=0) + 1
        self.d.technicians[new_id] = replace(tech, id=new_id)
        self.d.versions[new_id] = 0
        return new_id

    def update_shift(self, technician_id: int, shift: TimeWindow,
                     lunch: LunchBreak | None = None) -> None:  # fmt: skip
        self.d.technicians[technician_id].shift = shift
        self.d.technicians[technician_id].lunch = lunch

    def route_versions(self, technician_ids: Sequence[int]) -> dict[int, int]:
        return {t: self.d.versions[t] for t in technician_ids if t in self.d.versions}

    def set_field_state(self, technician_id: int, state: FieldState) -> None:
        self.d.states[technician_id] = summary(state)  # as the SQL column keeps it

    def field_states(self, technician_ids: Sequence[int]) -> dict[int, FieldState]:
        ids = [t for t in technician_ids if t in self.d.technicians]
        return {t: from_summary(self.d.states.get(t)) for t in ids}

    def activity(self, technician_id: int) -> tuple[str, int | None]:
        state = from_summary(self.d.states.get(technician_id))
        return state.activity.value, state.ticket_id

    def set_position(self, technician_id: int, where: GeoPoint, at: datetime) -> None:
        self.d.technicians[technician_id].position = where
        self.d.technicians[technician_id].seen_at = at


class FakeTickets(_Repo):
    def _with_visit(self, ticket: Ticket) -> Ticket:
        return replace(copy.deepcopy(ticket), visit=copy.deepcopy(self.d.visits.get(ticket.id)))

    def get(self, ticket_id: int) -> Ticket | None:
        found = self.d.tickets.get(ticket_id)
        return None if found is None else self._with_visit(found)

    def by_token(self, token: str) -> Ticket | None:
        return next((t for t in self.list() if t.tracking_token == token), None)

    def set_token(self, ticket_id: int, token: str) -> bool:
        ticket = self.d.tickets.get(ticket_id)
        if ticket is not None:
            self.d.tickets[ticket_id] = replace(ticket, tracking_token=token)
        return ticket is not None

    def by_idempotency_key(self, key: str) -> tuple[Ticket, str | None] | None:
        ticket_id, request_hash = self.d.keys.get(key, (0, None))
        ticket = self.get(ticket_id)
        return None if ticket is None else (ticket, request_hash)

    def list(self, statuses: Sequence[TicketStatus] | None = None) -> list[Ticket]:
        found = [t for _, t in sorted(self.d.tickets.items())]
        return [self._with_visit(t) for t in found if not statuses or t.status in statuses]

    def add(
        self, ticket: Ticket, idempotency_key: str | None = None, request_hash: str | None = None
    ) -> int:
        if idempotency_key is not None and idempotency_key in self.d.keys:
            raise DuplicateKey(f"idempotency key {idempotency_key!r} is taken")
        new_id = max(self.d.tickets, default=0) + 1
        read_back = replace(ticket.factors, repeat_visit=ticket.repeat_of is not None)
        self.d.tickets[new_id] = replace(copy.deepcopy(ticket), id=new_id, factors=read_back)
        if idempotency_key is not None:
            self.d.keys[idempotency_key] = (new_id, request_hash)
        return new_id

    def set_status(self, ticket_id: int, status: TicketStatus, reason: str | None = None) -> None:
        self.d.tickets[ticket_id].status = status
        self.d.tickets[ticket_id].unassigned_reason = reason

    def problems(self, ticket_ids: Sequence[int]) -> dict[int, str]:
        return {t: self.d.tickets[t].problem for t in ticket_ids
                if t in self.d.tickets and self.d.tickets[t].problem}  # fmt: skip

    def repeated(self, ticket_ids: Sequence[int]) -> dict[int, int]:
        return {t.repeat_of: t.id for t in self.d.tickets.values()
                if t.repeat_of is not None and t.repeat_of in ticket_ids}  # fmt: skip

    def skills_and_kinds(self, ticket_ids: Sequence[int]) -> dict[int, tuple[frozenset[str], str]]:
        found = [self.d.tickets[t] for t in ticket_ids if t in self.d.tickets]
        return {t.id: (frozenset(t.skills), t.kind) for t in found}


class FakeRoutes(_Repo):
    """``save`` claims the version the route was read with, or writes nothing (False)."""

    def __init__(self, data: FakeData) -> None:
        super().__init__(data)
        self._saved: list[Route] = []

    def _visits_of(self, technician_id: int) -> list[Visit]:
        mine = [v for v in self.d.visits.values() if v.technician_id == technician_id]
        return copy.deepcopy(sorted(mine, key=lambda v: v.sequence))

    def get(self, technician_id: int) -> Route:
        return self.get_many([technician_id])[technician_id]

    def get_many(self, technician_ids: Sequence[int]) -> dict[int, Route]:
        missing = sorted(set(technician_ids) - set(self.d.versions))
        if missing:
            raise NotFound(f"technician {missing[0]} does not exist")
        return {t: Route(t, self.d.versions[t], self._visits_of(t)) for t in technician_ids}

    def open_routes(self, technician_ids: Sequence[int]) -> dict[int, OpenRoute]:
        out: dict[int, OpenRoute] = {}
        for t in technician_ids:
            visits = self._visits_of(t)
            closed_through = max((v.sequence for v in visits if not v.open), default=0)
            out[t] = OpenRoute([self._urgency(v) for v in visits if v.open], closed_through)
        return out

    def _urgency(self, visit: Visit) -> tuple[Visit, UrgencyFactors, bool]:
        ticket = self.d.tickets[visit.ticket_id]
        return visit, ticket.factors, ticket.priority.value == "urgent"

    def save(self, route: Route) -> bool:
        return bool(self.save_all([route]))

    def save_all(self, routes: Sequence[Route]) -> list[Route]:
        """Store the changed visits of every route still at the version it was read with."""
        claimed = [r for r in routes if self.d.versions.get(r.technician_id) == r.version]
        for r in claimed:
            self.d.versions[r.technician_id] = r.version + 1
            added, updated = r.pending_writes()
            if any(v.ticket_id in self.d.visits for v in added):  # one visit per ticket
                raise DuplicateKey(f"a ticket on route {r.technician_id} already has a visit")
            for v in [*added, *updated]:
                self.d.visits[v.ticket_id] = copy.deepcopy(v)
            for ticket_id in r.released:
                del self.d.visits[ticket_id]
            numbers = [(v.technician_id, v.sequence) for v in self.d.visits.values() if v.open]
            if len(numbers) != len(set(numbers)):  # the database's uq_visits_open_sequence
                raise StaleRoute(f"two open visits share a number on route {r.technician_id}")
            r.mark_saved()
        self._saved.extend(claimed)
        return claimed

    def drop_closed(self, ticket_id: int) -> None:
        v = self.d.visits.get(ticket_id)
        if v is not None and not v.open:
            del self.d.visits[ticket_id]

    def saved(self) -> list[Route]:
        return list(self._saved)


class FakeOutbox(_Repo):
    """One row per dedupe key; payloads go through JSON as the SQL column does."""

    def add_many(self, records: Sequence[OutboxRecord]) -> int:
        fresh = 0
        for r in records:
            if r.dedupe_key not in self.d.outbox:
                payload = json.loads(json.dumps(dict(r.payload)))
                self.d.outbox[r.dedupe_key] = replace(r, payload=payload)
                fresh += 1
        return fresh

    def for_ticket(self, ticket_id: int) -> list[tuple[str, dict[str, Any]]]:
        return [(kind, payload) for kind, t, payload in self.all() if t == ticket_id]

    def numbered(self, ticket_id: int) -> dict[int, tuple[str, dict[str, Any]]]:
        rows = enumerate(self.d.outbox.values(), start=1)  # ids in the order written
        return {k: (r.kind, dict(r.payload)) for k, r in rows if r.ticket_id == ticket_id}

    def all(self) -> list[tuple[str, int | None, dict[str, Any]]]:
        return [(r.kind, r.ticket_id, dict(r.payload)) for r in self.d.outbox.values()]


class FakeFieldEvents(_Repo):
    def for_technician(self, technician_id: int) -> list[FieldEvent]:
        return sorted(self.d.field_events.get(technician_id, {}).values(), key=lambda e: e.order)

    def for_ticket(self, ticket_id: int) -> list[tuple[int, FieldEvent]]:
        found = [(tech, e) for tech, events in self.d.field_events.items()
                 for e in events.values() if e.ticket_id == ticket_id]  # fmt: skip
        return sorted(found, key=lambda x: x[1].order)

    def known_ids(self, technician_id: int, event_ids: Sequence[str]) -> set[str]:
        return set(event_ids) & set(self.d.field_events.get(technician_id, {}))

    def add(self, technician_id: int, e: FieldEvent, received_at: datetime) -> None:
        self.d.field_events.setdefault(technician_id, {})[e.event_id] = e


class FakePredictions(_Repo):
    def record_many(self, rows: Sequence[tuple[int, int, int, datetime, datetime, int]]) -> None:
        """First prediction per (ticket, horizon) wins."""
        for ticket, _tech, horizon, at, eta, scale in rows:
            self.d.predictions.setdefault((ticket, horizon), Prediction(at, eta, scale))

    def settle(self, ticket_id: int, actual: datetime) -> None:
        for (ticket, _), p in self.d.predictions.items():
            if ticket == ticket_id and p.actual is None:
                p.actual = actual

    def errors_since(self, since: datetime, tickets: Sequence[int] | None = None
                     ) -> list[tuple[int, int, float, float | None, float]]:  # fmt: skip
        return [(ticket, horizon, (p.actual - p.predicted).total_seconds(),
                 None if p.scale_s is None else float(p.scale_s),
                 (p.predicted - p.computed_at).total_seconds())
                for (ticket, horizon), p in self.d.predictions.items()
                if p.computed_at >= since and p.actual is not None
                and (tickets is None or ticket in tickets)]  # fmt: skip


class FakeMessages(_Repo):
    """Messages are planned and sent against the real database (tests/integration); in
    the use cases' tests nothing plans them, so every visit's list is empty."""

    def for_ticket(self, ticket_id: int) -> list[Any]:
        return []


class FakeChanges(_Repo):
    def stamp(self) -> tuple[int, ...]:
        return (sum(self.d.versions.values()), len(self.d.tickets), len(self.d.outbox),
                sum(len(e) for e in self.d.field_events.values()), len(self.d.disruptions))


class FakeUnitOfWork:
    def __init__(self, data: FakeData | None = None) -> None:
        self.committed = data or FakeData()
        self.store_id = f"fake:{uuid.uuid4().hex}"  # the route cache keys on it
        self.actor = SYSTEM
        self.rollback()

    def __enter__(self) -> Self:
        self.rollback()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.rollback()

    def rollback(self) -> None:
        """Start again from the committed data."""
        self.working = data = copy.deepcopy(self.committed)
        # typed as the ports (Protocol attributes are invariant), as in SqlUnitOfWork
        self.skills: ports.SkillStore = FakeSkills(data)
        self.technicians: ports.TechnicianStore = FakeTechnicians(data)
        self.tickets: ports.TicketStore = FakeTickets(data)
        self.routes: ports.RouteStore = FakeRoutes(data)
        self.outbox: ports.OutboxStore = FakeOutbox(data)
        self.events: ports.FieldEventStore = FakeFieldEvents(data)
        self.predictions: ports.PredictionStore = FakePredictions(data)
        self.calendars: ports.CalendarStore = FakeCalendars(data)
        self.day_plans: ports.DayPlanStore = FakeDayPlans(data)
        self.disruptions: ports.DisruptionStore = FakeDisruptions(data)
        self.effects: ports.EffectStore = FakeEffects(data)
        self.offers: ports.OfferStore = FakeOffers(data)
        self.messages = FakeMessages(data)
        self.cases: ports.CaseStore = FakeCases(data)
        self.followups: ports.FollowUpStore = FakeFollowUps(data)
        self.reports: ports.ReportStore = FakeReports(data)
        self.users: ports.UserStore = data.users
        self.keys: ports.ApiKeyStore = data.api_keys
        self.audit: ports.AuditStore = data.audit
        self.changes: ports.ChangeStore = FakeChanges(data)

    def commit(self) -> None:
        outgoing = [r.outgoing for r in self.routes.saved()]
        outgoing += [p.outgoing for p in self.day_plans.saved()]
        self.outbox.add_many([to_record(e) for events in outgoing for e in events])
        self.audit.add_many(audit_lines(outgoing, self.actor))
        for events in outgoing:
            events.clear()
        self.committed = copy.deepcopy(self.working)
        self.routes = FakeRoutes(self.working)
        self.day_plans = FakeDayPlans(self.working)
