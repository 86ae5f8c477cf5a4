"""Planned later dates: load a technician-day, claim its version, store its appointments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.day_plan import Appointment, DayPlan
from dispatch.domain.model import GeoPoint, TimeWindow
from dispatch.store.plan_tables import AppointmentRow, DayRouteRow
from dispatch.store.ports import DuplicateKey


def _appointment(r: Any) -> Appointment:  # an ORM row or a plain one
    return Appointment(
        r.ticket_id, r.technician_id, r.day, GeoPoint(r.lat, r.lon),
        timedelta(seconds=r.service_s), TimeWindow(r.window_start, r.window_end), r.eta,
        r.leg_s, r.sequence, r.promise_version,
    )  # fmt: skip


def _values(a: Appointment) -> dict[str, object]:
    return dict(ticket_id=a.ticket_id, technician_id=a.technician_id, day=a.day,
                sequence=a.sequence, lat=a.location.lat, lon=a.location.lon,
                service_s=int(a.service.total_seconds()), window_start=a.window.start,
                window_end=a.window.end, eta=a.eta, leg_s=a.leg_s,
                promise_version=a.promise_version)  # fmt: skip


class DayPlanRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._saved: list[DayPlan] = []

    def plans(self, technician_ids: Sequence[int], first: date, last: date
              ) -> dict[tuple[int, date], DayPlan]:  # fmt: skip
        """Every technician-day in the range that has a version (booked at least once)."""
        ids = list(technician_ids)
        versions = self.session.execute(
            select(DayRouteRow.technician_id, DayRouteRow.day, DayRouteRow.version)
            .where(DayRouteRow.technician_id.in_(ids))
            .where(DayRouteRow.day >= first, DayRouteRow.day <= last)
        ).all()
        items: dict[tuple[int, date], list[Appointment]] = defaultdict(list)
        table = AppointmentRow.__table__
        for row in self.session.execute(  # plain rows: a fleet's fortnight is 28,000 of them
            select(table)
            .where(table.c.technician_id.in_(ids))
            .where(table.c.day >= first, table.c.day <= last)
        ):
            items[(row.technician_id, row.day)].append(_appointment(row))
        return {(t, d): DayPlan(t, d, v, items[(t, d)]) for t, d, v in versions}

    def versions(self, technician_ids: Sequence[int], day: date) -> dict[int, int]:
        """The version of each technician-day that has one (a cache asks this first)."""
        return {
            t: v for t, v in self.session.execute(
                select(DayRouteRow.technician_id, DayRouteRow.version)
                .where(DayRouteRow.technician_id.in_(list(technician_ids)), DayRouteRow.day == day)
            )
        }  # fmt: skip

    def get(self, technician_id: int, day: date) -> DayPlan:
        """The plan, or an empty one at version 0 when nothing was booked that day."""
        found = self.plans([technician_id], day, day)
        return found.get((technician_id, day), DayPlan(technician_id, day, 0, []))

    def of_ticket(self, ticket_id: int) -> Appointment | None:
        row = self.session.get(AppointmentRow, ticket_id)
        return _appointment(row) if row else None

    def save(self, plan: DayPlan) -> bool:
        """Claim the plan's version and store what changed; False when another booking
        claimed it first (nothing is written then)."""
        if not self._claim(plan):
            return False
        added, updated = plan.pending_writes()
        if plan.cancelled:
            self.remove(sorted(plan.cancelled))
        for a in updated:
            self.session.execute(
                update(AppointmentRow).where(AppointmentRow.ticket_id == a.ticket_id)
                .values(**_values(a))
            )  # fmt: skip
        if added:
            self.session.add_all([AppointmentRow(**_values(a)) for a in added])
            try:
                self.session.flush()
            except IntegrityError as exc:  # the ticket was booked elsewhere meanwhile
                raise DuplicateKey(str(exc.orig)) from exc
        plan.mark_saved()
        self._saved.append(plan)
        return True

    def remove(self, ticket_ids: Sequence[int]) -> None:
        """The day went live: these appointments are visits on the live route now (only
        these: a booking committed after they were read stays for the next run)."""
        gone = delete(AppointmentRow).where(AppointmentRow.ticket_id.in_(list(ticket_ids)))
        self.session.execute(gone)

    def saved(self) -> list[DayPlan]:
        return list(self._saved)

    def _claim(self, plan: DayPlan) -> bool:
        if plan.version == 0:  # the first booking that day creates its version
            dialect = self.session.get_bind().dialect.name
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            stmt = insert(DayRouteRow).values(technician_id=plan.technician_id, day=plan.day,
                                              version=1).on_conflict_do_nothing()  # fmt: skip
            return self.session.execute(stmt.returning(DayRouteRow.version)).first() is not None
        result = self.session.execute(
            update(DayRouteRow)
            .where(DayRouteRow.technician_id == plan.technician_id, DayRouteRow.day == plan.day)
            .where(DayRouteRow.version == plan.version)
            .values(version=plan.version + 1)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
