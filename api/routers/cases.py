"""The case lifecycle: the customer's word, cancelling, the history, courtesy calls."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request

from api.background import make_repeats
from api.case_schemas import (
    CancelIn,
    ConfirmIn,
    ConfirmOut,
    ContactIn,
    FollowUpOut,
    HistoryEntryOut,
    KindReportOut,
    OutcomeIn,
    TechnicianReportOut,
)
from api.customer_link import CUSTOMER_LINK, EXPIRED, Token
from api.deps import ClockDep, RowId, SettingsDep, UowDep
from api.presenters import Presenter
from api.schemas import Day
from dispatch.config import Settings
from dispatch.domain.case import Feedback
from dispatch.domain.errors import InvalidInput
from dispatch.domain.followup import Outcome
from dispatch.domain.model import TicketStatus
from dispatch.services import cases, followups, reports

router = APIRouter(tags=["cases"])
BAD_STATE: dict[int | str, dict[str, Any]] = {
    404: {"description": "unknown ticket or token"},
    409: {"description": "not in a state that allows it; the detail says why"},
}


def followup_policy(s: Settings) -> followups.FollowUpPolicy:
    return followups.FollowUpPolicy(s.timezone.key, s.message_hours,
                                    timedelta(hours=s.followup_hours),
                                    timedelta(days=s.auto_close_days))  # fmt: skip


@router.post("/api/track/{tracking_token}/confirm", response_model=ConfirmOut,
             responses={**BAD_STATE, **EXPIRED}, dependencies=CUSTOMER_LINK,
             summary="The customer: solved, or not (a repeat visit follows)")  # fmt: skip
def post_confirm(body: ConfirmIn, tracking_token: Token, request: Request,
                 background: BackgroundTasks, uow: UowDep,
                 clock: ClockDep) -> ConfirmOut:  # fmt: skip
    fb = Feedback(body.solved, body.comment, body.nps, body.nps_reason)
    status = cases.confirm(uow, clock, tracking_token, fb)
    if status == TicketStatus.FAILED:
        background.add_task(make_repeats, request.app)
    return ConfirmOut(status=status.value)


@router.post("/api/track/{tracking_token}/cancel", response_model=ConfirmOut,
             responses={**BAD_STATE, **EXPIRED}, dependencies=CUSTOMER_LINK,
             summary="The customer cancels; the slot is freed")  # fmt: skip
def post_customer_cancel(body: CancelIn, tracking_token: Token, uow: UowDep,
                         clock: ClockDep) -> ConfirmOut:  # fmt: skip
    t = cases.cancel(uow, clock, "customer", token=tracking_token, why=body.why)
    return ConfirmOut(status=t.status.value)


@router.post("/api/tickets/{ticket_id}/cancel", response_model=ConfirmOut, responses=BAD_STATE,
             summary="The agent cancels; the slot is freed")  # fmt: skip
def post_cancel(ticket_id: RowId, body: CancelIn, uow: UowDep, clock: ClockDep) -> ConfirmOut:
    t = cases.cancel(uow, clock, "agent", ticket_id=ticket_id, why=body.why)
    return ConfirmOut(status=t.status.value)


@router.get("/api/tickets/{ticket_id}/history", response_model=list[HistoryEntryOut],
            responses=BAD_STATE,
            summary="Everything that happened to the case, oldest first")  # fmt: skip
def get_history(ticket_id: RowId, uow: UowDep, settings: SettingsDep) -> list[HistoryEntryOut]:
    p = Presenter(settings.timezone)
    return [HistoryEntryOut(at=p.t(e.at), what=e.what, actor=e.actor, detail=p.detail(e.detail))
            for e in cases.history(uow, ticket_id)]  # fmt: skip


@router.get("/api/followups", response_model=list[FollowUpOut],
            summary="Courtesy calls due now: completed cases nobody confirmed")  # fmt: skip
def get_followups(uow: UowDep, clock: ClockDep, settings: SettingsDep) -> list[FollowUpOut]:
    p = Presenter(settings.timezone)
    return [FollowUpOut.of(f, p) for f in followups.due_calls(uow, clock)]


@router.post("/api/followups/{followup_id}/outcome", response_model=FollowUpOut,
             responses={404: {"description": "no such follow-up"},
                        409: {"description": "answered already, or the case is closed"}},
             summary="What the customer said: solved, not solved, or no answer")  # fmt: skip
def post_outcome(followup_id: RowId, body: OutcomeIn, request: Request,
                 background: BackgroundTasks, uow: UowDep, clock: ClockDep,
                 settings: SettingsDep) -> FollowUpOut:  # fmt: skip
    f = followups.record_outcome(uow, clock, followup_id, Outcome(body.outcome), body.note,
                                 followup_policy(settings))  # fmt: skip
    if f.outcome == Outcome.NOT_SOLVED:
        background.add_task(make_repeats, request.app)
    return FollowUpOut.of(f, Presenter(settings.timezone))


@router.post("/api/tickets/{ticket_id}/contacts", response_model=HistoryEntryOut,
             status_code=201, responses=BAD_STATE,
             summary="The customer called, mailed or chatted: a repeat contact")  # fmt: skip
def post_contact(ticket_id: RowId, body: ContactIn, uow: UowDep, clock: ClockDep,
                 settings: SettingsDep) -> HistoryEntryOut:  # fmt: skip
    e = cases.record_contact(uow, clock, ticket_id, body.channel, body.reason)
    p = Presenter(settings.timezone)
    return HistoryEntryOut(at=p.t(e.at), what=e.kind.value, actor=e.actor, detail=dict(e.detail))


From = Annotated[Day, Query(alias="from", description="local date, inclusive")]
To = Annotated[Day, Query(alias="to", description="local date, inclusive")]


def _period(first: date, last: date, settings: Settings) -> tuple[datetime, datetime]:
    if last < first:
        raise InvalidInput("to is before from")
    if (last - first).days > 366:
        raise InvalidInput("a report covers at most a year")
    zone = settings.timezone
    return (datetime.combine(first, time(0), zone),
            datetime.combine(last + timedelta(days=1), time(0), zone))  # fmt: skip


@router.get("/api/reports/service", response_model=list[KindReportOut],
            responses={422: {"description": "a period that cannot be"}},
            summary="Per kind of work: speed, first-time fix, contacts, NPS, closures")  # fmt: skip
def get_service_report(uow: UowDep, settings: SettingsDep,
                       first: From, last: To) -> list[KindReportOut]:  # fmt: skip
    a, b = _period(first, last, settings)
    return [KindReportOut(**vars(k)) for k in reports.service_report(uow, a, b)]


@router.get("/api/reports/technicians", response_model=list[TechnicianReportOut],
            responses={422: {"description": "a period that cannot be"}},
            summary="Per technician and kind: first-time fix, NPS, door time")  # fmt: skip
def get_technician_report(uow: UowDep, settings: SettingsDep,
                          first: From, last: To) -> list[TechnicianReportOut]:  # fmt: skip
    a, b = _period(first, last, settings)
    return [TechnicianReportOut(**vars(t)) for t in reports.technician_report(uow, a, b)]
