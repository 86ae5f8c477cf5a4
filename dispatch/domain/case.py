"""A customer's case, from the first call until the customer says it is solved.

States (``TicketStatus``) and the transitions between them:

- open, unassigned -> assigned: a visit is booked;
- assigned -> completed: the technician reports the work done; the case now waits for
  the customer;
- assigned -> failed: the visit failed (not home, wrong part, could not fix); a repeat
  visit follows;
- completed -> done: the customer confirms it is solved, a courtesy call hears so, or
  nobody answers for ``auto_close`` days;
- completed -> failed: the customer says it is not solved; a repeat visit follows;
- failed -> assigned: the repeat (or the same ticket booked again) is booked;
- open, assigned, unassigned, failed -> cancelled: the agent or the customer cancels,
  and the slot is freed.

A repeat visit is a ticket of its own (``repeat_of`` the one before), so one case is a
chain of tickets; reports count a case once, from its first ticket. Every transition
and every fact about the case (a confirmation, a contact, a follow-up) is a
``CaseEvent`` in the case's history, written in the transaction that made it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dispatch.domain.case_totals import nps_of
from dispatch.domain.errors import Conflict, InvalidInput
from dispatch.domain.model import TicketStatus, VisitStatus


class CaseEventKind(enum.StrEnum):
    VISIT_COMPLETED = "visit_completed"  # the technician says done; the customer decides
    VISIT_FAILED = "visit_failed"
    CONFIRMED = "confirmed"  # the customer (or a follow-up call): solved, with their NPS
    NOT_SOLVED = "not_solved"
    REPEAT_CREATED = "repeat_created"  # detail: the repeat's ticket id and why
    FOLLOWUP_DUE = "followup_due"  # completed, unconfirmed: the helpdesk calls
    FOLLOWUP_OUTCOME = "followup_outcome"
    CLOSED = "closed"  # detail: how (confirmed, follow-up, timeout)
    CANCELLED = "cancelled"
    CONTACT = "contact"  # the customer called, mailed or chatted (detail: channel, reason)


class ClosedHow(enum.StrEnum):
    CONFIRMED = "confirmed"  # the customer said so through their link
    FOLLOWUP = "followup"  # the helpdesk called and the customer said so
    TIMEOUT = "timeout"  # nobody answered for ``auto_close`` days


@dataclass(frozen=True)
class CaseEvent:
    ticket_id: int
    at: datetime
    kind: CaseEventKind
    actor: str  # customer, agent, technician, system
    detail: Mapping[str, Any] = field(default_factory=dict)


def columns(detail: Mapping[str, Any]) -> dict[str, Any]:
    """The reported values of an event's detail, for the store to keep as columns."""
    door, planned = detail.get("door_min"), detail.get("planned_min")
    tech, nps = detail.get("technician_id"), detail.get("nps")
    return {"technician_id": int(tech) if tech is not None else None,
            "nps": int(nps) if nps is not None else None, "how": detail.get("how"),
            "door_over_min": float(door) - float(planned)
            if door is not None and planned is not None else None}  # fmt: skip


CONFIRMABLE = frozenset({TicketStatus.COMPLETED})
CANCELLABLE = frozenset({TicketStatus.OPEN, TicketStatus.ASSIGNED, TicketStatus.UNASSIGNED,
                         TicketStatus.FAILED})  # fmt: skip
CLOSED = frozenset({TicketStatus.DONE, TicketStatus.CANCELLED})


def check_confirmable(ticket_id: int, status: TicketStatus) -> None:
    if status == TicketStatus.DONE:
        raise Conflict(f"case {ticket_id} is closed already; thank you")
    if status == TicketStatus.FAILED:
        raise Conflict(f"we have the answer for case {ticket_id} already: not solved; a new "
                       "visit is being planned")  # fmt: skip
    if status not in CONFIRMABLE:
        raise Conflict(f"case {ticket_id} is {status.value}: only a completed visit can be "
                       "confirmed")  # fmt: skip


def check_cancellable(ticket_id: int, status: TicketStatus, visit: VisitStatus | None = None,
                      actor: str = "customer") -> None:  # fmt: skip
    """``visit``: where the booked visit stands. Once the technician has set off, only a
    call stops him: the customer calls the helpdesk; the agent calls the technician, who
    reports the visit failed ("not needed"; his phone can once he is there), and a failed
    case can be cancelled. Recalling a technician on his way is not built yet."""
    if status not in CANCELLABLE:
        raise Conflict(f"case {ticket_id} is {status.value} and cannot be cancelled"
                       + ("" if status in CLOSED else "; the visit has taken place"))  # fmt: skip
    if visit in _UNDER_WAY and actor == "customer":
        raise Conflict(f"the technician is {_UNDER_WAY[visit]} for case {ticket_id}; to cancel "
                       "now, please call us so that we can stop him in time")  # fmt: skip
    if visit in _UNDER_WAY:
        raise Conflict(f"the technician is {_UNDER_WAY[visit]} for case {ticket_id} and cannot "
                       "be recalled from here: call him; when he reports the visit failed "
                       "(\"not needed\"), the case can be cancelled")  # fmt: skip


_UNDER_WAY = {VisitStatus.EN_ROUTE: "on the way", VisitStatus.ARRIVED: "at the door",
              VisitStatus.STARTED: "at work"}  # fmt: skip


@dataclass(frozen=True)
class Feedback:
    """What the customer says after the visit: solved or not, and how likely they are
    to recommend us (0-10, the Net Promoter question), with why."""

    solved: bool
    comment: str = ""
    nps: int | None = None
    nps_reason: str = ""

    def __post_init__(self) -> None:
        if self.nps is not None and not 0 <= self.nps <= 10:
            raise InvalidInput("nps is a score from 0 to 10")
        if len(self.comment) > 2000 or len(self.nps_reason) > 2000:
            raise InvalidInput("keep the comment and the reason under 2,000 characters")

    def detail(self, technician_id: int | None) -> dict[str, Any]:
        return {"solved": self.solved, "comment": self.comment, "nps": self.nps,
                "nps_reason": self.nps_reason, "technician_id": technician_id}  # fmt: skip


def nps(scores: list[int]) -> float | None:
    """Promoters (9-10) minus detractors (0-6), in percent of the answers."""
    return nps_of(sum(s >= 9 for s in scores), sum(s <= 6 for s in scores), len(scores))
