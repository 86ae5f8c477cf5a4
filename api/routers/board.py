"""The console's board: everyone's day in one answer (the Gantt and the map)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictInt

from api.board_schemas import (
    AttentionItemOut,
    AttentionOut,
    BoardOut,
    BoardRowOut,
    BoardVisitOut,
)
from api.deps import ClockDep, RowId, SettingsDep, TravelDep, UowDep
from api.presenters import Presenter
from api.schemas import MAX_ID, LocationIn
from dispatch.services.attention import needs_attention
from dispatch.services.board import BoardRow, day_board
from dispatch.services.move_visit import move_visit

router = APIRouter(tags=["dispatch"])
MAX_STOPS = 1000  # far more open visits than one technician's day holds


class MoveIn(BaseModel):
    technician_id: StrictInt = Field(ge=1, le=MAX_ID, description="who takes the visit")
    route_version: StrictInt = Field(ge=0, le=MAX_ID,
                                     description="that technician's route as the board drew it")
    position: StrictInt | None = Field(
        None, ge=0, le=MAX_STOPS,
        description="with the visit's own technician: where among the open visits it goes "
                    "(0 first); the window its customer holds must still hold")  # fmt: skip


class MoveOut(BaseModel):
    ticket_id: int
    technician_id: int
    route_version: int


def _row(r: BoardRow, present: Presenter) -> BoardRowOut:
    t = r.technician
    where = t.position or t.home
    return BoardRowOut(
        technician_id=t.id, name=t.name,
        shift=present.window(t.shift) if t.shift else None,
        position=LocationIn(lat=where.lat, lon=where.lon),
        out_until=present.t(r.out_until) if r.out_until else None,
        route_version=r.version,
        visits=[BoardVisitOut(
            ticket_id=v.ticket_id, kind=r.kinds.get(v.ticket_id, ""), status=v.status.value,
            eta=present.t(v.eta), window=present.window(v.window),
            duration_min=v.service.total_seconds() / 60, leg_min=round(v.leg_s / 60, 1),
            late=v.open and v.eta > v.window.end, locked=v.open and v.locked,
            lat=v.location.lat, lon=v.location.lon) for v in r.visits],
        lunch=present.lunch(t, r.lunch, r.break_since),
    )  # fmt: skip


@router.get("/api/board", response_model=BoardOut,
            summary="Every technician's day: shift, place, visits")  # fmt: skip
def board(uow: UowDep, clock: ClockDep, settings: SettingsDep) -> BoardOut:
    present = Presenter(settings.timezone)
    now = clock.now()
    return BoardOut(now=present.t(now), technicians=[_row(r, present) for r in day_board(uow, now)])


@router.post("/api/tickets/{ticket_id}/move", response_model=MoveOut,
             summary="Move a booked visit to another technician, or to another place in "
                     "its own technician's day, keeping its window",
             responses={404: {"description": "no such ticket or technician"},
                        409: {"description": "started, stale board, or a window would "
                                             "not hold"},
                        422: {"description": "a position with another technician"}})  # fmt: skip
def move(ticket_id: RowId, body: MoveIn, uow: UowDep, clock: ClockDep,
         travel: TravelDep) -> MoveOut:  # fmt: skip
    version = move_visit(uow, clock, travel, ticket_id, body.technician_id, body.route_version,
                         body.position)  # fmt: skip
    return MoveOut(ticket_id=ticket_id, technician_id=body.technician_id, route_version=version)


@router.get("/api/attention", response_model=AttentionOut,
            summary="What needs a person now: unassigned tickets, undelivered messages, "
                    "started work of a technician taken out, due courtesy calls")  # fmt: skip
def attention(uow: UowDep, clock: ClockDep, settings: SettingsDep) -> AttentionOut:
    p = Presenter(settings.timezone)
    a = needs_attention(uow, clock.now())
    items = [AttentionItemOut(ticket_id=t.id, what="unassigned", since=p.t(t.created_at),
                              detail=t.unassigned_reason or t.kind) for t in a.unassigned]
    items += [AttentionItemOut(ticket_id=m.ticket_id, what="dead_message", since=p.t(m.created_at),
                               detail=f"{m.kind} by {m.channel}: {m.why or 'undelivered'}")
              for m in a.dead_messages]
    items += [AttentionItemOut(ticket_id=v.ticket_id, what="stranded",
                               detail=f"{v.status.value} with technician {v.technician_id}, "
                                      "who is out") for v in a.stranded]
    items += [AttentionItemOut(ticket_id=f.ticket_id, what="followup", since=p.t(f.due_at),
                               detail=f"courtesy call {f.attempt}") for f in a.followups]
    return AttentionOut(items=items)  # fmt: skip
