"""The customer's answers as plain HTML forms, for a page that runs no JavaScript: each
posts here, the use case runs exactly as for the JSON API, and the browser is sent back
to the page (303) with a note saying what happened. A conflict the customer can act on
(a time taken meanwhile, a day with nothing free, answered already) is such a note, not
an error page; input no form of ours can send is a 422 problem like anywhere else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse

from api.background import make_repeats, offer_policy
from api.customer_link import CUSTOMER_LINK, Token
from api.deps import ClockDep, SettingsDep, TravelDep, UowDep
from dispatch.domain.case import Feedback
from dispatch.domain.errors import Conflict, InvalidInput
from dispatch.domain.model import TicketStatus
from dispatch.services import cases
from dispatch.services.change_day import NothingFree, change_day
from dispatch.services.opt_out import opt_in, opt_out
from dispatch.services.reschedule import StaleOffer, reschedule

router = APIRouter(prefix="/track/{tracking_token}", dependencies=CUSTOMER_LINK,
                   tags=["customer pages"], include_in_schema=False)  # fmt: skip
Comment = Annotated[str, Form(max_length=2000)]


def back(token: str, note: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/track/{token}?note={note}{anchor}", status_code=303)


def attempt(token: str, run: Callable[[], str], on_conflict: str) -> RedirectResponse:
    """``run`` answers the note for success; a ``Conflict`` becomes ``on_conflict``."""
    try:
        return back(token, run())
    except StaleOffer:
        return back(token, "taken")
    except NothingFree:
        return back(token, "noneFree")
    except Conflict:
        return back(token, on_conflict)
    except InvalidInput:
        return back(token, "badDate")


@router.post("/confirm")
def confirm_form(tracking_token: Token, solved: Annotated[Literal["yes", "no"], Form()],
                 request: Request, background: BackgroundTasks, uow: UowDep, clock: ClockDep,
                 nps: Annotated[int | None, Form(ge=0, le=10)] = None,
                 comment: Comment = "") -> RedirectResponse:  # fmt: skip
    def run() -> str:
        status = cases.confirm(uow, clock, tracking_token, Feedback(solved == "yes", comment, nps))
        if status == TicketStatus.FAILED:
            background.add_task(make_repeats, request.app)
        return "thanks" if solved == "yes" else "again"

    return attempt(tracking_token, run, "already")


@router.post("/reschedule")
def reschedule_form(tracking_token: Token, uow: UowDep, clock: ClockDep, travel: TravelDep,
                    settings: SettingsDep, slot: Annotated[int | None, Form(ge=0, le=20)] = None,
                    date: Annotated[dt.date | None, Form()] = None,
                    ) -> RedirectResponse:  # fmt: skip
    def run() -> str:
        reschedule(uow, clock, travel, tracking_token, slot, date, offer_policy(settings))
        return "offerDone"

    return attempt(tracking_token, run, "cannot")


@router.post("/change")
def change_form(tracking_token: Token, date: Annotated[dt.date, Form()], uow: UowDep,
                clock: ClockDep, travel: TravelDep,
                settings: SettingsDep) -> RedirectResponse:  # fmt: skip
    def run() -> str:
        change_day(uow, clock, travel, tracking_token, date, offer_policy(settings))
        return "moved"

    return attempt(tracking_token, run, "cannot")


@router.post("/cancel")
def cancel_form(tracking_token: Token, sure: Annotated[Literal["yes"], Form()], uow: UowDep,
                clock: ClockDep) -> RedirectResponse:  # fmt: skip
    def run() -> str:
        cases.cancel(uow, clock, "customer", token=tracking_token, why="cancelled on the page")
        return "cancelled"

    return attempt(tracking_token, run, "cannot")


@router.post("/emails")
def emails_form(tracking_token: Token, want: Annotated[Literal["on", "off"], Form()],
                uow: UowDep, clock: ClockDep) -> RedirectResponse:  # fmt: skip
    if want == "off":
        opt_out(uow, clock, tracking_token, "email")
    else:
        opt_in(uow, tracking_token, "email")
    return RedirectResponse(f"/track/{tracking_token}#messages", status_code=303)
