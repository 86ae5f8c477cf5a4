"""Technicians: the fleet list and each technician's route for their phone."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, UowDep
from api.presenters import Presenter
from api.schemas import RouteOut, TechnicianOut
from dispatch.services.routes import get_route, list_technicians

router = APIRouter(prefix="/api/technicians", tags=["technicians"])


@router.get("", response_model=list[TechnicianOut], summary="The fleet")
def technicians(uow: UowDep, settings: SettingsDep) -> list[TechnicianOut]:
    present = Presenter(settings.timezone)
    return [present.technician(t) for t in list_technicians(uow)]


@router.get(
    "/{technician_id}/route",
    response_model=RouteOut,
    summary="A technician's stops in order",
    responses={404: {"description": "no such technician"}},
)
def route(technician_id: int, uow: UowDep, settings: SettingsDep) -> RouteOut:
    return Presenter(settings.timezone).route(get_route(uow, technician_id))
