"""The customer's view: only their own visit, reachable by an unguessable token."""

from __future__ import annotations

from fastapi import APIRouter, Path

from api.deps import SettingsDep, UowDep
from api.presenters import Presenter
from api.schemas import TrackingOut
from dispatch.services.tracking import track

router = APIRouter(prefix="/api/track", tags=["customer"])


@router.get(
    "/{tracking_token}",
    response_model=TrackingOut,
    summary="What the customer may see: status, window, technician's first name",
    responses={404: {"description": "unknown tracking token"}},
)
def tracking(
    uow: UowDep,
    settings: SettingsDep,
    tracking_token: str = Path(min_length=8, max_length=64),
) -> TrackingOut:
    return Presenter(settings.timezone).tracking(track(uow, tracking_token))
