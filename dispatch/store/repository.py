"""Repositories: the only place that turns rows into domain objects and back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.fieldstate import EventType, FieldEvent, FieldState, from_summary, summary
from dispatch.domain.model import (
    Customer,
    GeoPoint,
    Priority,
    Technician,
    Ticket,
    TicketStatus,
    TimeWindow,
    Visit,
    VisitStatus,
)
from dispatch.domain.urgency import UrgencyFactors
from dispatch.store.tables import (
    EtaPredictionRow,
    FieldEventRow,
    OutboxRow,
    SkillRow,
    TechnicianRow,
    TicketRow,
    VisitRow,
)


class DuplicateKey(Exception):
    """A unique key (idempotency key, one visit per ticket) is already taken."""


def _visit(row: VisitRow) -> Visit:
    return Visit(
        ticket_id=row.ticket_id,
        technician_id=row.technician_id,
        sequence=row.sequence,
        location=GeoPoint(row.lat, row.lon),
        eta=row.eta,
        service=timedelta(seconds=row.service_s),
        window=TimeWindow(row.window_start, row.window_end),
        status=VisitStatus(row.status),
        leg_s=row.leg_s,
    )


def _technician(row: TechnicianRow) -> Technician:
    return Technician(
        id=row.id,
        code=row.code,
        name=row.name,
        home=GeoPoint(row.home_lat, row.home_lon),
        shift=TimeWindow(row.shift_start, row.shift_end),
        skills=frozenset(row.skills),
        rated_for=frozenset(row.rated_for or ()),
        position=(
            GeoPoint(row.last_lat, row.last_lon)
            if row.last_lat is not None and row.last_lon is not None
            else None
        ),
        seen_at=row.last_seen_at,
    )


class SkillRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def codes(self) -> set[str]:
        return set(self.session.scalars(select(SkillRow.code)))

    def upsert(self, code: str, label: str) -> None:
        row = self.session.get(SkillRow, code)
        if row is None:
            self.session.add(SkillRow(code=code, label=label))
        else:
            row.label = label


class TechnicianRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, technician_id: int) -> Technician | None:
        row = self.session.get(TechnicianRow, technician_id)
        return None if row is None else _technician(row)

    def all(self) -> list[Technician]:
        rows = self.session.scalars(select(TechnicianRow).order_by(TechnicianRow.id))
        return [_technician(r) for r in rows]

    def by_code(self, code: str) -> Technician | None:
        row = self.session.scalars(select(TechnicianRow).where(TechnicianRow.code == code)).first()
        return None if row is None else _technician(row)

    def add(self, tech: Technician) -> int:
        row = TechnicianRow(
            code=tech.code,
            name=tech.name,
            home_lat=tech.home.lat,
            home_lon=tech.home.lon,
            shift_start=tech.shift.start,
            shift_end=tech.shift.end,
            skills=sorted(tech.skills),
            route_version=0,
            rated_for=sorted(tech.rated_for),
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def update_shift(self, technician_id: int, shift: TimeWindow) -> None:
        row = self.session.get(TechnicianRow, technician_id)
        if row is not None:
            row.shift_start, row.shift_end = shift.start, shift.end

    def route_version(self, technician_id: int) -> int:
        """Read from the database, never from the session's cache."""
        version = self.session.scalar(
            select(TechnicianRow.route_version).where(TechnicianRow.id == technician_id)
        )
        return 0 if version is None else int(version)

    def set_field_state(self, technician_id: int, state: FieldState) -> None:
        row = self.session.get(TechnicianRow, technician_id)
        if row is not None:
            row.activity, row.activity_ticket = state.activity.value, state.ticket_id
            row.field_state = summary(state)

    def field_states(self, technician_ids: Sequence[int]) -> dict[int, FieldState]:
        if not technician_ids:
            return {}
        rows = self.session.execute(
            select(TechnicianRow.id, TechnicianRow.field_state).where(
                TechnicianRow.id.in_(list(technician_ids))
            )
        )
        return {r.id: from_summary(r.field_state) for r in rows}

    def activity(self, technician_id: int) -> tuple[str, int | None]:
        row = self.session.get(TechnicianRow, technician_id)
        return ("idle", None) if row is None else (row.activity, row.activity_ticket)

    def set_position(self, technician_id: int, where: GeoPoint, at: datetime) -> None:
        row = self.session.get(TechnicianRow, technician_id)
        if row is not None:
            row.last_lat, row.last_lon, row.last_seen_at = where.lat, where.lon, at

    def route_versions(self, technician_ids: Sequence[int]) -> dict[int, int]:
        """Fresh from the database, in one query (the quote reads hundreds at once)."""
        if not technician_ids:
            return {}
        rows = self.session.execute(
            select(TechnicianRow.id, TechnicianRow.route_version).where(
                TechnicianRow.id.in_(list(technician_ids))
            )
        )
        return {r.id: int(r.route_version) for r in rows}

    def claim_route(self, technician_id: int, expected_version: int) -> bool:
        """Bump the route version only if nobody else changed the route meanwhile.

        Two bookings computed on the same stale route cannot both succeed: the second
        one's conditional UPDATE matches no row.
        """
        result = self.session.execute(
            update(TechnicianRow)
            .where(TechnicianRow.id == technician_id)
            .where(TechnicianRow.route_version == expected_version)
            .values(route_version=expected_version + 1)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def open_routes(
        self, technician_ids: Sequence[int]
    ) -> dict[int, list[tuple[Visit, UrgencyFactors, bool]]]:
        """Open visits of these technicians in route order, each with its ticket's
        urgency factors and whether it was marked urgent: one Core query, no ORM
        objects, because the quote reads thousands of them."""
        out: dict[int, list[tuple[Visit, UrgencyFactors, bool]]] = {t: [] for t in technician_ids}
        if not technician_ids:
            return out
        v, t = VisitRow, TicketRow
        rows = self.session.execute(
            select(
                v.ticket_id,
                v.technician_id,
                v.sequence,
                v.lat,
                v.lon,
                v.eta,
                v.service_s,
                v.window_start,
                v.window_end,
                v.status,
                v.leg_s,
                t.priority,
                t.customer_on_site,
                t.property_at_risk,
                t.repeat_of,
                t.sla_deadline,
            )
            .join(t, t.id == v.ticket_id)
            .where(v.technician_id.in_(list(technician_ids)))
            .where(v.status.in_(["planned", "en_route", "arrived", "started"]))
            .order_by(v.technician_id, v.sequence)
        )
        for r in rows:
            visit = Visit(
                ticket_id=r.ticket_id,
                technician_id=r.technician_id,
                sequence=r.sequence,
                location=GeoPoint(r.lat, r.lon),
                eta=r.eta,
                service=timedelta(seconds=r.service_s),
                window=TimeWindow(r.window_start, r.window_end),
                status=VisitStatus(r.status),
                leg_s=r.leg_s,
            )
            factors = UrgencyFactors(
                r.customer_on_site, r.property_at_risk, r.repeat_of is not None, r.sla_deadline
            )
            out[r.technician_id].append((visit, factors, r.priority == Priority.URGENT.value))
        return out

    def route(self, technician_id: int) -> list[Visit]:
        rows = self.session.scalars(
            select(VisitRow)
            .where(VisitRow.technician_id == technician_id)
            .order_by(VisitRow.sequence)
        )
        return [_visit(r) for r in rows]


class TicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _to_domain(self, row: TicketRow) -> Ticket:
        window = (
            TimeWindow(row.window_start, row.window_end)
            if row.window_start is not None and row.window_end is not None
            else None
        )
        visit_row = self.session.scalars(
            select(VisitRow).where(VisitRow.ticket_id == row.id)
        ).first()
        return Ticket(
            id=row.id,
            customer=Customer(
                name=row.customer_name,
                phone=row.customer_phone,
                email=row.customer_email,
                locale=row.customer_locale,
            ),
            location=GeoPoint(row.lat, row.lon),
            kind=row.kind,
            skills=frozenset(row.skills),
            service=timedelta(seconds=row.service_s),
            priority=Priority(row.priority),
            tracking_token=row.tracking_token,
            created_at=row.created_at,
            window=window,
            status=TicketStatus(row.status),
            unassigned_reason=row.unassigned_reason,
            visit=None if visit_row is None else _visit(visit_row),
            factors=UrgencyFactors(
                customer_on_site=row.customer_on_site,
                property_at_risk=row.property_at_risk,
                repeat_visit=row.repeat_of is not None,
                sla_deadline=row.sla_deadline,
            ),
            repeat_of=row.repeat_of,
        )

    def get(self, ticket_id: int) -> Ticket | None:
        row = self.session.get(TicketRow, ticket_id)
        return None if row is None else self._to_domain(row)

    def by_token(self, token: str) -> Ticket | None:
        row = self.session.scalars(
            select(TicketRow).where(TicketRow.tracking_token == token)
        ).first()
        return None if row is None else self._to_domain(row)

    def by_idempotency_key(self, key: str) -> tuple[Ticket, str | None] | None:
        row = self.session.scalars(
            select(TicketRow).where(TicketRow.idempotency_key == key)
        ).first()
        return None if row is None else (self._to_domain(row), row.request_hash)

    def list(self, statuses: Sequence[TicketStatus] | None = None) -> list[Ticket]:
        stmt = select(TicketRow).order_by(TicketRow.id)
        if statuses:
            stmt = stmt.where(TicketRow.status.in_([s.value for s in statuses]))
        return [self._to_domain(r) for r in self.session.scalars(stmt)]

    def add(
        self, ticket: Ticket, idempotency_key: str | None = None, request_hash: str | None = None
    ) -> int:
        row = TicketRow(
            idempotency_key=idempotency_key,
            request_hash=request_hash,
            customer_name=ticket.customer.name,
            customer_phone=ticket.customer.phone,
            customer_email=ticket.customer.email,
            customer_locale=ticket.customer.locale,
            lat=ticket.location.lat,
            lon=ticket.location.lon,
            kind=ticket.kind,
            skills=sorted(ticket.skills),
            service_s=int(ticket.service.total_seconds()),
            priority=ticket.priority.value,
            window_start=ticket.window.start if ticket.window else None,
            window_end=ticket.window.end if ticket.window else None,
            status=ticket.status.value,
            unassigned_reason=ticket.unassigned_reason,
            tracking_token=ticket.tracking_token,
            created_at=ticket.created_at,
            customer_on_site=ticket.factors.customer_on_site,
            property_at_risk=ticket.factors.property_at_risk,
            repeat_of=ticket.repeat_of,
            sla_deadline=ticket.factors.sla_deadline,
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:
            raise DuplicateKey(str(exc.orig)) from exc
        return row.id

    def urgency_inputs(self, ticket_ids: Sequence[int]) -> dict[int, tuple[UrgencyFactors, bool]]:
        """Per ticket: its urgency factors and whether the agent marked it urgent."""
        if not ticket_ids:
            return {}
        rows = self.session.execute(
            select(
                TicketRow.id,
                TicketRow.priority,
                TicketRow.customer_on_site,
                TicketRow.property_at_risk,
                TicketRow.repeat_of,
                TicketRow.sla_deadline,
            ).where(TicketRow.id.in_(list(ticket_ids)))
        )
        return {
            r.id: (
                UrgencyFactors(
                    r.customer_on_site, r.property_at_risk, r.repeat_of is not None, r.sla_deadline
                ),
                r.priority == Priority.URGENT.value,
            )
            for r in rows
        }

    def update_visit(
        self,
        ticket_id: int,
        *,
        status: VisitStatus | None = None,
        eta: datetime | None = None,
        leg_s: int | None = None,
        window: TimeWindow | None = None,
    ) -> None:
        row = self.session.scalars(select(VisitRow).where(VisitRow.ticket_id == ticket_id)).one()
        if status is not None:
            row.status = status.value
        if eta is not None:
            row.eta = eta
        if leg_s is not None:
            row.leg_s = leg_s
        if window is not None:
            row.window_start, row.window_end = window.start, window.end

    def bulk_retime(self, rows: Sequence[tuple[int, datetime, int, TimeWindow]]) -> None:
        """(ticket id, eta, leg, window) for many visits in one executemany."""
        if not rows:
            return
        table = cast(Table, VisitRow.__table__)
        stmt = (
            update(table)
            .where(table.c.ticket_id == bindparam("b_ticket"))
            .values(
                eta=bindparam("b_eta"),
                leg_s=bindparam("b_leg"),
                window_start=bindparam("b_ws"),
                window_end=bindparam("b_we"),
            )
        )
        self.session.execute(
            stmt,
            [
                {"b_ticket": t, "b_eta": eta, "b_leg": leg, "b_ws": w.start, "b_we": w.end}
                for t, eta, leg, w in rows
            ],
        )

    def reassign_visit(
        self, ticket_id: int, technician_id: int, sequence: int, eta: datetime, leg_s: int
    ) -> None:
        row = self.session.scalars(select(VisitRow).where(VisitRow.ticket_id == ticket_id)).one()
        row.technician_id, row.sequence, row.eta, row.leg_s = technician_id, sequence, eta, leg_s

    def move_visit(self, ticket_id: int, sequence: int, eta: datetime, leg_s: int) -> None:
        row = self.session.scalars(select(VisitRow).where(VisitRow.ticket_id == ticket_id)).one()
        row.sequence, row.eta, row.leg_s = sequence, eta, leg_s

    def set_status(self, ticket_id: int, status: TicketStatus, reason: str | None = None) -> None:
        row = self.session.get(TicketRow, ticket_id)
        if row is not None:
            row.status = status.value
            row.unassigned_reason = reason

    def add_visit(self, visit: Visit) -> None:
        self.session.add(
            VisitRow(
                ticket_id=visit.ticket_id,
                technician_id=visit.technician_id,
                sequence=visit.sequence,
                lat=visit.location.lat,
                lon=visit.location.lon,
                eta=visit.eta,
                service_s=int(visit.service.total_seconds()),
                window_start=visit.window.start,
                window_end=visit.window.end,
                status=visit.status.value,
                leg_s=visit.leg_s,
            )
        )
        self.session.flush()


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        kind: str,
        ticket_id: int | None,
        dedupe_key: str,
        payload: Mapping[str, Any],
        now: datetime,
    ) -> bool:
        """Queue an event once; a second add with the same key is a no-op (False)."""
        exists = self.session.scalar(select(OutboxRow.id).where(OutboxRow.dedupe_key == dedupe_key))
        if exists is not None:
            return False
        self.session.add(
            OutboxRow(
                kind=kind,
                ticket_id=ticket_id,
                dedupe_key=dedupe_key,
                payload=dict(payload),
                created_at=now,
            )
        )
        self.session.flush()
        return True

    def for_ticket(self, ticket_id: int) -> list[tuple[str, dict[str, Any]]]:
        rows = self.session.scalars(
            select(OutboxRow).where(OutboxRow.ticket_id == ticket_id).order_by(OutboxRow.id)
        )
        return [(r.kind, dict(r.payload)) for r in rows]

    def all(self) -> list[tuple[str, int | None, dict[str, Any]]]:
        rows = self.session.scalars(select(OutboxRow).order_by(OutboxRow.id))
        return [(r.kind, r.ticket_id, dict(r.payload)) for r in rows]


class FieldEventRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_technician(self, technician_id: int) -> list[FieldEvent]:
        rows = self.session.scalars(
            select(FieldEventRow)
            .where(FieldEventRow.technician_id == technician_id)
            .order_by(FieldEventRow.at, FieldEventRow.event_id)
        )
        return [
            FieldEvent(
                event_id=r.event_id,
                type=EventType(r.type),
                at=r.at,
                position=(
                    GeoPoint(r.lat, r.lon) if r.lat is not None and r.lon is not None else None
                ),
                ticket_id=r.ticket_id,
                delay=timedelta(seconds=r.delay_s),
                note=r.note,
                snap_m=r.snap_m,
            )
            for r in rows
        ]

    def known_ids(self, technician_id: int, event_ids: Sequence[str]) -> set[str]:
        if not event_ids:
            return set()
        return set(
            self.session.scalars(
                select(FieldEventRow.event_id)
                .where(FieldEventRow.technician_id == technician_id)
                .where(FieldEventRow.event_id.in_(list(event_ids)))
            )
        )

    def add(self, technician_id: int, e: FieldEvent, received_at: datetime) -> None:
        self.session.add(
            FieldEventRow(
                technician_id=technician_id,
                event_id=e.event_id,
                type=e.type.value,
                at=e.at,
                lat=e.position.lat if e.position else None,
                lon=e.position.lon if e.position else None,
                snap_m=e.snap_m,
                ticket_id=e.ticket_id,
                delay_s=int(e.delay.total_seconds()),
                note=e.note,
                received_at=received_at,
            )
        )


class PredictionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self, ticket_id: int, technician_id: int, horizon: int, at: datetime, eta: datetime
    ) -> None:
        """Keep the first prediction per horizon: that is the one to judge it by."""
        exists = self.session.scalar(
            select(EtaPredictionRow.id)
            .where(EtaPredictionRow.ticket_id == ticket_id)
            .where(EtaPredictionRow.horizon == horizon)
        )
        if exists is None:
            self.session.add(
                EtaPredictionRow(
                    ticket_id=ticket_id,
                    technician_id=technician_id,
                    horizon=horizon,
                    computed_at=at,
                    predicted=eta,
                )
            )

    def record_many(self, rows: Sequence[tuple[int, int, int, datetime, datetime]]) -> None:
        """(ticket, technician, horizon, computed at, eta); first prediction per horizon wins."""
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
                    }
                    for t, tech, h, at, eta in fresh
                ],
            )

    def settle(self, ticket_id: int, actual: datetime) -> None:
        self.session.execute(
            update(EtaPredictionRow)
            .where(EtaPredictionRow.ticket_id == ticket_id)
            .where(EtaPredictionRow.actual.is_(None))
            .values(actual=actual)
        )

    def errors_since(self, since: datetime) -> list[tuple[int, float]]:
        rows = self.session.execute(
            select(EtaPredictionRow.horizon, EtaPredictionRow.predicted, EtaPredictionRow.actual)
            .where(EtaPredictionRow.computed_at >= since)
            .where(EtaPredictionRow.actual.is_not(None))
        )
        return [(r.horizon, (r.actual - r.predicted).total_seconds()) for r in rows]
