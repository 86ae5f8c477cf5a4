"""Technicians: who they are, their shift, their live state and where they were seen.

The route itself (its visits and version) belongs to ``RouteRepository``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.domain.fieldstate import FieldState, from_summary, summary
from dispatch.domain.model import GeoPoint, LunchBreak, Technician, TimeWindow
from dispatch.store import mappers
from dispatch.store.tables import TechnicianRow


class TechnicianRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, technician_id: int) -> Technician | None:
        row = self.session.get(TechnicianRow, technician_id)
        return None if row is None else mappers.technician(row)

    def all(self) -> list[Technician]:
        rows = self.session.scalars(select(TechnicianRow).order_by(TechnicianRow.id))
        return [mappers.technician(r) for r in rows]

    def by_code(self, code: str) -> Technician | None:
        row = self.session.scalars(select(TechnicianRow).where(TechnicianRow.code == code)).first()
        return None if row is None else mappers.technician(row)

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

    def update_shift(self, technician_id: int, shift: TimeWindow,
                     lunch: LunchBreak | None = None) -> None:  # fmt: skip
        row = self.session.get(TechnicianRow, technician_id)
        if row is not None:
            row.shift_start, row.shift_end = shift.start, shift.end
            row.lunch_earliest = lunch.earliest if lunch else None
            row.lunch_latest = lunch.latest if lunch else None
            row.lunch_s = int(lunch.duration.total_seconds()) if lunch else None

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
