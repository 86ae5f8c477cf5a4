"""Bodies of the case lifecycle: the customer's word, cancelling, history, follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from api.presenters import Presenter
from dispatch.domain.followup import FollowUp


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    solved: StrictBool
    comment: str = Field("", max_length=2000)
    nps: StrictInt | None = Field(None, ge=0, le=10, description="how likely to recommend us, 0-10")
    nps_reason: str = Field("", max_length=2000)


class ConfirmOut(BaseModel):
    status: str = Field(description="done (closed), or failed: a repeat visit follows")


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    why: str = Field("", max_length=300)


class HistoryEntryOut(BaseModel):
    at: dt.datetime
    what: str = Field(description="created, visit_completed, confirmed, VisitBooked, ...")
    actor: str
    detail: dict[str, Any]


class FollowUpOut(BaseModel):
    id: int
    ticket_id: int
    attempt: int
    due_at: dt.datetime
    outcome: str | None
    done_at: dt.datetime | None

    @classmethod
    def of(cls, f: FollowUp, p: Presenter) -> FollowUpOut:
        return cls(id=f.id, ticket_id=f.ticket_id, attempt=f.attempt, due_at=p.t(f.due_at),
                   outcome=f.outcome.value if f.outcome else None,
                   done_at=p.t(f.done_at) if f.done_at else None)  # fmt: skip


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["solved", "not_solved", "no_answer"]
    note: str = Field("", max_length=500)


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["call", "mail", "chat"]
    reason: str = Field("", max_length=300, examples=["where is my technician?"])


class KindReportOut(BaseModel):
    kind: str
    cases: int
    csi_median_h: float | None = Field(description="Customer Speed Index: created to solved")
    csi_p90_h: float | None
    first_time_fix: float | None = Field(description="share of cases solved by the first visit")
    repeat_contacts_per_case: float
    nps: float | None
    nps_answers: int
    closed_by_confirmation: float | None
    closed_by_timeout: float | None


class TechnicianReportOut(BaseModel):
    technician_id: int
    kind: str
    visits: int
    first_time_fix: float | None
    nps: float | None
    nps_answers: int
    door_over_plan_min: float | None = Field(description="door time minus the plan, average")
    counts: bool = Field(description="enough answers for the rating to count")
