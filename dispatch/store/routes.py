"""Routes: the aggregate's visits and version, loaded and stored together.

``save`` claims the version with ``UPDATE … WHERE route_version = v``: a route two
writers computed from the same snapshot is stored by the first and refused to the
second, who re-reads and tries again (``dispatch.services.retry``). The routes saved in
this transaction are remembered, so the unit of work can write their events.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.errors import NotFound, StaleRoute
from dispatch.domain.model import Priority, Visit
from dispatch.domain.route import Route
from dispatch.domain.urgency import UrgencyFactors
from dispatch.store import mappers
from dispatch.store.ports import DuplicateKey, OpenRoute
from dispatch.store.tables import TechnicianRow, TicketRow, VisitRow
from dispatch.store.technicians import TechnicianRepository

log = logging.getLogger(__name__)
_VISITS = cast(Table, VisitRow.__table__)
_MUTABLE = (
    "technician_id", "sequence", "eta", "window_start", "window_end", "status", "leg_s",
    "promise_version", "told_start", "told_end", "soon_told_version",
)  # fmt: skip
# One executemany for every changed visit of every route saved together.
_UPDATE = (
    update(_VISITS)
    .where(_VISITS.c.ticket_id == bindparam("b_ticket"))
    .values({c: bindparam(f"b_{c}") for c in _MUTABLE})
)


_TECHNICIANS = cast(Table, TechnicianRow.__table__)
# Built once: a refresh claims a thousand routes, and building the statement each time
# cost more than running it.
_CLAIM = (
    update(_TECHNICIANS)
    .where(_TECHNICIANS.c.id == bindparam("b_id"))
    .where(_TECHNICIANS.c.route_version == bindparam("b_version"))
    .values(route_version=bindparam("b_next"))
)


# Renumbered visits step aside first (a negative sequence no open visit holds), so the
# one-number-per-open-visit index never sees two rows swap places mid-statement.
_PARK = (
    update(_VISITS)
    .where(_VISITS.c.ticket_id == bindparam("b_ticket"))
    .values(sequence=-_VISITS.c.ticket_id)
)


def _update_params(values: dict[str, object]) -> dict[str, object]:
    return {f"b_{c}": values[c] for c in _MUTABLE} | {"b_ticket": values["ticket_id"]}


class RouteRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._saved: list[Route] = []

    def get(self, technician_id: int) -> Route:
        return self.get_many([technician_id])[technician_id]

    def get_many(self, technician_ids: Sequence[int]) -> dict[int, Route]:
        """Whole routes, closed visits included, in two queries."""
        ids = list(technician_ids)
        versions = TechnicianRepository(self.session).route_versions(ids)
        missing = sorted(set(ids) - set(versions))
        if missing:
            raise NotFound(f"technician {missing[0]} does not exist")
        rows = self.session.execute(
            select(*mappers.VISIT_COLUMNS)
            .where(VisitRow.technician_id.in_(ids))
            .order_by(VisitRow.technician_id, VisitRow.sequence)
        )
        visits: dict[int, list[Visit]] = {t: [] for t in ids}
        for r in rows:
            visits[r.technician_id].append(mappers.visit(r))
        return {t: Route(t, versions[t], visits[t]) for t in ids}

    def open_routes(self, technician_ids: Sequence[int]) -> dict[int, OpenRoute]:
        """Open visits in route order with their tickets' urgency: Core queries, no ORM
        objects, because the quote and the refresh read thousands of them."""
        ids = list(technician_ids)
        if not ids:
            return {}
        t = TicketRow
        rows = self.session.execute(
            select(
                *mappers.VISIT_COLUMNS,
                t.priority,
                t.customer_on_site,
                t.property_at_risk,
                t.repeat_of,
                t.sla_deadline,
            )
            .join(t, t.id == VisitRow.ticket_id)
            .where(VisitRow.technician_id.in_(ids))
            .where(VisitRow.status.in_(mappers.OPEN_STATUSES))
            .order_by(VisitRow.technician_id, VisitRow.sequence)
        )
        found: dict[int, list[tuple[Visit, UrgencyFactors, bool]]] = {tid: [] for tid in ids}
        for r in rows:
            factors = mappers.factors(
                r.customer_on_site, r.property_at_risk, r.repeat_of, r.sla_deadline
            )
            found[r.technician_id].append(
                (mappers.visit(r), factors, r.priority == Priority.URGENT.value)
            )
        closed: dict[int, int] = {
            tid: int(top or 0)
            for tid, top in self.session.execute(
                select(VisitRow.technician_id, func.max(VisitRow.sequence))
                .where(VisitRow.technician_id.in_(ids))
                .where(VisitRow.status.not_in(mappers.OPEN_STATUSES))
                .group_by(VisitRow.technician_id)
            )
        }
        return {tid: OpenRoute(found[tid], closed.get(tid, 0)) for tid in ids}

    def save(self, route: Route) -> bool:
        """Claim the route's version and store its changed visits; False when someone
        else changed the route since it was read (nothing is written then)."""
        return bool(self.save_all([route]))

    def save_all(self, routes: Sequence[Route]) -> list[Route]:
        """Save many routes with one write of all their visits; returns those claimed."""
        claimed = [r for r in routes if self._claim(r)]
        writes = [r.pending_writes() for r in claimed]
        added = [mappers.visit_values(v) for new, _ in writes for v in new]
        updated = [_update_params(mappers.visit_values(v)) for _, old in writes for v in old]
        gone = [t for r in claimed for t in r.released]
        if gone:  # first: a visit booked in a released one's place may take its number
            self.session.execute(delete(VisitRow).where(VisitRow.ticket_id.in_(gone)))
        parked = [{"b_ticket": t} for r in claimed for t in r.renumbered]
        try:
            if parked:
                self.session.execute(_PARK, parked)
            if updated:
                self.session.execute(_UPDATE, updated)
        except IntegrityError as exc:  # two open visits, one number: never stored
            log.warning("route %s: a stale view would number two open visits alike",
                        [r.technician_id for r in claimed])  # fmt: skip
            raise StaleRoute(f"the stored route disagrees with this one ({exc.orig}); "
                             "read it again") from exc  # fmt: skip
        if added:  # a ticket another request put on a route meanwhile: its key is taken
            try:
                self.session.execute(insert(_VISITS), added)
            except IntegrityError as exc:
                if "sequence" in str(exc.orig):
                    log.warning("route %s: a new visit would share an open visit's number",
                                [r.technician_id for r in claimed])  # fmt: skip
                    raise StaleRoute("the stored route disagrees with this one; read it again"
                                     ) from exc  # fmt: skip
                raise DuplicateKey(str(exc.orig)) from exc
        for r in claimed:
            r.mark_saved()
        self._saved.extend(claimed)
        return claimed

    def drop_closed(self, ticket_id: int) -> None:
        """A failed visit's row, before the ticket is booked again (its story stays in
        the outbox and the case's history)."""
        closed = VisitRow.status.not_in(mappers.OPEN_STATUSES)
        self.session.execute(delete(VisitRow).where(VisitRow.ticket_id == ticket_id, closed))

    def saved(self) -> list[Route]:
        return list(self._saved)

    def _claim(self, route: Route) -> bool:
        result = self.session.connection().execute(
            _CLAIM,
            {"b_id": route.technician_id, "b_version": route.version, "b_next": route.version + 1},
        )
        return bool(result.rowcount == 1)
