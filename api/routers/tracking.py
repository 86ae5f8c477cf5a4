"""The customer's view: only their own visit, reachable by an unguessable token, and
their choice of channels (stop or restart e-mails)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.background import offer_policy
from api.customer_link import CUSTOMER_LINK, EXPIRED, Token
from api.deps import ClockDep, SettingsDep, TravelDep, UowDep
from api.message_schemas import ChannelIn, PreferencesOut, TrackingOut
from api.offer_schemas import ChangeDayIn, ChangeDayOut, OfferOut, RescheduleIn, RescheduleOut
from api.presenters import Presenter
from api.problems import problem
from dispatch.services.change_day import NothingFree, change_day
from dispatch.services.opt_out import Preferences, opt_in, opt_out
from dispatch.services.reschedule import StaleOffer, current_offer, reschedule
from dispatch.services.tracking import track

# public (the token is the key): rate-limited per caller, 429 with Retry-After
router = APIRouter(prefix="/api/track", tags=["customer"], dependencies=CUSTOMER_LINK,
                   responses=EXPIRED)

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
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
def tracking(uow: UowDep, settings: SettingsDep, clock: ClockDep,
             tracking_token: Token) -> TrackingOut:  # fmt: skip
    return Presenter(settings.timezone).tracking(track(uow, tracking_token, clock.now()))


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


@router.get(
    "/{tracking_token}/offer",
    response_model=OfferOut,
    summary="The new appointments offered after force majeure, the first held",
    responses={404: {"description": "unknown token, or nothing offered", **PROBLEM}},
)
def get_offer(uow: UowDep, settings: SettingsDep, tracking_token: Token) -> OfferOut:
    return OfferOut.of(current_offer(uow, tracking_token), Presenter(settings.timezone))


@router.post(
    "/{tracking_token}/reschedule",
    response_model=RescheduleOut,
    summary="Keep the held appointment, take another offered one, or ask for another day",
    responses={
        404: {"description": "unknown token, or nothing offered", **PROBLEM},
        409: {"description": "answered already, the hold ran out, or the time was taken "
                             "meanwhile (the body's `offer` then holds fresh times)", **PROBLEM},
        422: {"description": "neither or both of slot and date, or no such slot", **PROBLEM},
    },
)  # fmt: skip
def post_reschedule(
    body: RescheduleIn, request: Request, uow: UowDep, clock: ClockDep, travel: TravelDep,
    settings: SettingsDep, tracking_token: Token,
) -> RescheduleOut | JSONResponse:  # fmt: skip
    present = Presenter(settings.timezone)
    try:
        done = reschedule(uow, clock, travel, tracking_token, body.slot, body.date,
                          offer_policy(settings))  # fmt: skip
    except StaleOffer as stale:
        fresh = OfferOut.of(stale.offer, present).model_dump(mode="json")
        return problem(409, "Conflict", str(stale), request, offer=fresh)
    return RescheduleOut(window=present.window(done.window), offer=OfferOut.of(done.offer, present))


@router.post(
    "/{tracking_token}/change-day",
    response_model=ChangeDayOut,
    summary="The customer moves their appointment to the best time free on another day",
    responses={
        409: {"description": "nothing is free that day (`code`: nothing_free), the work has "
                             "started, the case is closed, or new times are offered to "
                             "choose from", **PROBLEM},
        422: {"description": "not a later date, or more than 31 days ahead", **PROBLEM},
    },
)  # fmt: skip
def post_change_day(
    body: ChangeDayIn, request: Request, uow: UowDep, clock: ClockDep, travel: TravelDep,
    settings: SettingsDep, tracking_token: Token,
) -> ChangeDayOut | JSONResponse:  # fmt: skip
    try:
        moved = change_day(uow, clock, travel, tracking_token, body.date, offer_policy(settings))
    except NothingFree as none:
        return problem(409, "Conflict", str(none), request, code="nothing_free")
    return ChangeDayOut(window=Presenter(settings.timezone).window(moved.window))
