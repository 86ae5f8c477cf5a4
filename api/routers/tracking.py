"""The customer's view: only their own visit, reachable by an unguessable token, and
their choice of channels (stop or restart e-mails)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import ClockDep, SettingsDep, UowDep
from api.message_schemas import ChannelIn, PreferencesOut, TrackingOut
from api.presenters import Presenter
from dispatch.services.opt_out import Preferences, opt_in, opt_out
from dispatch.services.tracking import track

router = APIRouter(prefix="/api/track", tags=["customer"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
Token = Annotated[str, Path(min_length=8, max_length=64)]
PREFERENCE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "the body is not valid JSON", **PROBLEM},
    404: {"description": "unknown tracking token", **PROBLEM},
    422: {
        "description": "an unknown channel (the known ones are named), or no address for "
        "this channel on this visit",
        **PROBLEM,
    },
}


def _out(p: Preferences) -> PreferencesOut:
    return PreferencesOut(channels=p.channels, opted_out=p.opted_out)


@router.get(
    "/{tracking_token}",
    response_model=TrackingOut,
    summary="What the customer may see: status, window, technician's first name",
    responses={404: {"description": "unknown tracking token", **PROBLEM}},
)
def tracking(uow: UowDep, settings: SettingsDep, tracking_token: Token) -> TrackingOut:
    return Presenter(settings.timezone).tracking(track(uow, tracking_token))


@router.post(
    "/{tracking_token}/opt-out",
    response_model=PreferencesOut,
    summary="Stop messages on a channel to this customer, including those still waiting",
    responses=PREFERENCE_ERRORS,
)
def post_opt_out(
    body: ChannelIn, uow: UowDep, clock: ClockDep, tracking_token: Token
) -> PreferencesOut:
    return _out(opt_out(uow, clock, tracking_token, body.channel))


@router.post(
    "/{tracking_token}/opt-in",
    response_model=PreferencesOut,
    summary="Undo an opt-out: the next message on the channel is sent again",
    responses=PREFERENCE_ERRORS,
)
def post_opt_in(body: ChannelIn, uow: UowDep, tracking_token: Token) -> PreferencesOut:
    return _out(opt_in(uow, tracking_token, body.channel))
