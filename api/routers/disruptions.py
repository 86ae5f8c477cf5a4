"""Disruptions: breakdowns, absences and slowdowns, declared, listed and ended."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, status

from api.background import after_disruption
from api.deps import ClockDep, RowId, SettingsDep, UowDep
from api.disruption_schemas import DisruptionAuditOut, DisruptionIn, DisruptionOut
from dispatch.services import disruptions

router = APIRouter(prefix="/api/disruptions", tags=["dispatch"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such disruption"}}


@router.post("", response_model=DisruptionOut, status_code=status.HTTP_201_CREATED,
             summary="Declare a breakdown, an absence or a slowdown",
             responses={404: {"description": "no such technician"},
                        409: {"description": "the technician is already out then"},
                        422: {"description": "a disruption that cannot be"}})  # fmt: skip
def post_disruption(
    body: DisruptionIn, request: Request, background: BackgroundTasks, uow: UowDep,
    clock: ClockDep, settings: SettingsDep,
) -> DisruptionOut:  # fmt: skip
    d = disruptions.record_disruption(uow, clock, body.domain(clock.now()))
    if d.active(clock.now()):  # its consequences at once; one declared ahead, when it begins
        background.add_task(after_disruption, request.app)
    return DisruptionOut.of(d, clock.now(), settings.timezone)


@router.get("", response_model=list[DisruptionOut], summary="Disruptions, newest first")
def list_disruptions(
    uow: UowDep, clock: ClockDep, settings: SettingsDep,
    active: bool = Query(False, description="only those in force now"),
) -> list[DisruptionOut]:  # fmt: skip
    now, zone = clock.now(), settings.timezone
    return [DisruptionOut.of(d, now, zone)
            for d in disruptions.list_disruptions(uow, clock, active)]  # fmt: skip


@router.get("/{disruption_id}", response_model=DisruptionAuditOut, responses=NOT_FOUND,
            summary="One disruption and what it did: which visits moved where, who was "
                    "told what, what needs the dispatcher")  # fmt: skip
def get_disruption(disruption_id: RowId, uow: UowDep, clock: ClockDep,
                   settings: SettingsDep) -> DisruptionAuditOut:  # fmt: skip
    a = disruptions.audit(uow, disruption_id)
    return DisruptionAuditOut.of_audit(a, clock.now(), settings.timezone)


@router.post("/{disruption_id}/end", response_model=DisruptionOut,
             responses={**NOT_FOUND, 409: {"description": "over already"}},
             summary="End it now: the repair was quicker, the snow stopped")  # fmt: skip
def end_disruption(disruption_id: RowId, uow: UowDep, clock: ClockDep,
                   settings: SettingsDep) -> DisruptionOut:  # fmt: skip
    d = disruptions.end_disruption(uow, clock, disruption_id)
    return DisruptionOut.of(d, clock.now(), settings.timezone)
