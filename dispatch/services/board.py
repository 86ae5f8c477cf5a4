"""The day at a glance for the console's board: every technician's shift, position,
disruption and visits, read in a handful of queries (200 technicians, 2,000 visits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dispatch.domain import lunch
from dispatch.domain.fieldstate import FieldState
from dispatch.domain.model import Technician, Visit
from dispatch.services.disruptions import busy_until
from dispatch.store.ports import UnitOfWork


@dataclass(frozen=True)
class BoardRow:
    technician: Technician
    visits: list[Visit]
    kinds: dict[int, str]
    out_until: datetime | None  # a breakdown or an absence takes them out until then
    version: int  # the route's, for a move to claim
    lunch: lunch.Shown | None = None  # today's, as the phone shows it
    break_since: datetime | None = None


def day_board(uow: UnitOfWork, now: datetime) -> list[BoardRow]:
    with uow:
        techs = uow.technicians.all()
        routes = uow.routes.get_many([t.id for t in techs])
        ids = [v.ticket_id for r in routes.values() for v in r.visits]
        found = uow.tickets.skills_and_kinds(ids)
        out = busy_until(uow, now)
        states = uow.technicians.field_states([t.id for t in techs])
    kinds = {t: kind for t, (_skills, kind) in found.items()}
    rows = []
    for t in techs:
        state = states.get(t.id, FieldState())
        rows.append(BoardRow(t, list(routes[t.id].visits), kinds, out.get(t.id),
                             routes[t.id].version, lunch.shown(t, state),
                             lunch.break_since(state)))  # fmt: skip
    return rows
