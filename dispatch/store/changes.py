"""One cheap reading that changes whenever anything on the console would: a route, a
technician's event (positions included), a ticket, a message, a disruption, a day's
plan. The console's live stream compares it, instead of each console re-reading the
day every few seconds."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_STAMP = text(
    "SELECT (SELECT COALESCE(SUM(route_version), 0) FROM technicians),"
    " (SELECT COALESCE(MAX(id), 0) FROM field_events),"
    " (SELECT COALESCE(MAX(id), 0) FROM tickets),"
    " (SELECT COALESCE(MAX(id), 0) FROM outbox),"
    " (SELECT COALESCE(MAX(id), 0) FROM messages),"
    " (SELECT COUNT(*) FROM disruptions WHERE ended_at IS NULL),"
    " (SELECT COALESCE(SUM(version), 0) FROM day_routes)"
)


class ChangeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def stamp(self) -> tuple[int, ...]:
        row = self.session.execute(_STAMP).one()
        return tuple(int(x) for x in row)
