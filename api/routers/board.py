"""The console's board: everyone's day in one answer (the Gantt and the map)."""

from __future__ import annotations

from fastapi import APIRouter

from api.board_schemas import BoardOut, BoardRowOut, BoardVisitOut
from api.deps import ClockDep, SettingsDep, UowDep
from api.presenters import Presenter
from api.schemas import LocationIn
from dispatch.services.board import BoardRow, day_board

router = APIRouter(prefix="/api/board", tags=["dispatch"])


def _row(r: BoardRow, present: Presenter) -> BoardRowOut:
    t = r.technician
    where = t.position or t.home
    return BoardRowOut(
        technician_id=t.id, name=t.name,
        shift=present.window(t.shift) if t.shift else None,
        position=LocationIn(lat=where.lat, lon=where.lon),
        out_until=present.t(r.out_until) if r.out_until else None,
        visits=[BoardVisitOut(
            ticket_id=v.ticket_id, kind=r.kinds.get(v.ticket_id, ""), status=v.status.value,
            eta=present.t(v.eta), window=present.window(v.window),
            duration_min=v.service.total_seconds() / 60, leg_min=round(v.leg_s / 60, 1),
            late=v.open and v.eta > v.window.end, locked=v.open and v.locked,
            lat=v.location.lat, lon=v.location.lon) for v in r.visits],
    )  # fmt: skip


@router.get("", response_model=BoardOut, summary="Every technician's day: shift, place, visits")
def board(uow: UowDep, clock: ClockDep, settings: SettingsDep) -> BoardOut:
    present = Presenter(settings.timezone)
    now = clock.now()
    return BoardOut(now=present.t(now), technicians=[_row(r, present) for r in day_board(uow, now)])
