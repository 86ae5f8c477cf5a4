"""Courtesy calls for cases nobody confirmed, and closing those nobody answers for.

The scheduler's job turns a case completed ``after`` ago (24 h by default) and still
unconfirmed into a task for the helpdesk, due at the first moment inside the service's
contact hours (``DISPATCH_MESSAGE_HOURS``, else weekdays 09:00-17:00): never in the
evening, on Saturday when the service is open then. "No answer" plans the next call the
next contact day; after ``auto_close`` days (10) without an answer the case closes by
itself, and its history says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dispatch.clock import Clock
from dispatch.domain.case import CaseEvent, CaseEventKind, ClosedHow, Feedback
from dispatch.domain.errors import Conflict, NotFound
from dispatch.domain.followup import FollowUp, Outcome
from dispatch.domain.model import TicketStatus
from dispatch.domain.service_hours import ServiceHours
from dispatch.services.cases import settle
from dispatch.store.ports import UnitOfWork

OFFICE = "mon-fri 09:00-17:00"


@dataclass(frozen=True)
class FollowUpPolicy:
    zone: str = "Europe/Brussels"
    hours: ServiceHours | None = None  # contact hours; None: weekdays 09:00-17:00
    after: timedelta = timedelta(hours=24)  # DISPATCH_FOLLOWUP_HOURS
    auto_close: timedelta = timedelta(days=10)  # DISPATCH_AUTO_CLOSE_DAYS

    def contact(self, t: datetime) -> datetime:
        """``t`` if the helpdesk may call then, else the next moment it may."""
        hours = self.hours or ServiceHours.parse(OFFICE, self.zone)
        local = t.astimezone(ZoneInfo(self.zone))
        if hours.is_open(local):
            return t
        opens = hours.next_open(local)
        return opens if opens is not None else t


def plan_calls(uow: UnitOfWork, clock: Clock, policy: FollowUpPolicy) -> int:
    """A first call for every case completed ``after`` ago and still unconfirmed."""
    now = clock.now()
    made = 0
    with uow:
        for ticket_id, _ in uow.cases.completed_before(now - policy.after):
            if uow.followups.of(ticket_id):
                continue
            due = policy.contact(now)
            if uow.followups.add(FollowUp(0, ticket_id, due, now)) is not None:
                uow.cases.add(CaseEvent(ticket_id, now, CaseEventKind.FOLLOWUP_DUE, "system",
                                        {"due": due.isoformat(), "attempt": 1}))  # fmt: skip
                made += 1
        uow.commit()
    return made


def close_unanswered(uow: UnitOfWork, clock: Clock, policy: FollowUpPolicy) -> int:
    """Cases completed ``auto_close`` ago that nobody confirmed: closed, and said so."""
    now = clock.now()
    with uow:
        stale = uow.cases.completed_before(now - policy.auto_close)
        for ticket_id, _ in stale:
            uow.tickets.set_status(ticket_id, TicketStatus.DONE)
            uow.cases.add(CaseEvent(ticket_id, now, CaseEventKind.CLOSED, "system",
                                    {"how": ClosedHow.TIMEOUT.value}))  # fmt: skip
            for f in uow.followups.of(ticket_id):
                if f.open:
                    uow.followups.finish(f.id, Outcome.NO_ANSWER, now, "closed: no answer")
        uow.commit()
    return len(stale)


def due_calls(uow: UnitOfWork, clock: Clock) -> list[FollowUp]:
    with uow:
        return uow.followups.open_due(clock.now())


def record_outcome(uow: UnitOfWork, clock: Clock, followup_id: int, outcome: Outcome,
                   note: str, policy: FollowUpPolicy) -> FollowUp:  # fmt: skip
    now = clock.now()
    with uow:
        f = uow.followups.get(followup_id)
        if f is None:
            raise NotFound(f"follow-up {followup_id} does not exist")
        if not f.open:
            raise Conflict(f"follow-up {followup_id} was answered already ({f.outcome})")
        ticket = uow.tickets.get(f.ticket_id)
        if ticket is None:
            raise NotFound(f"ticket {f.ticket_id} does not exist")
        if outcome != Outcome.NO_ANSWER:
            settle(uow, ticket, Feedback(outcome == Outcome.SOLVED, note), now, "agent",
                   ClosedHow.FOLLOWUP)  # fmt: skip
        elif ticket.status == TicketStatus.COMPLETED:  # try again the next contact day
            nxt = FollowUp(0, f.ticket_id, policy.contact(now + timedelta(days=1)), now,
                           f.attempt + 1)  # fmt: skip
            uow.followups.add(nxt)
        if not uow.followups.finish(f.id, outcome, now, note[:500]):
            raise Conflict(f"follow-up {followup_id} was answered meanwhile")
        uow.cases.add(CaseEvent(f.ticket_id, now, CaseEventKind.FOLLOWUP_OUTCOME, "agent",
                                {"outcome": outcome.value, "note": note[:500]}))  # fmt: skip
        uow.commit()
        return uow.followups.get(f.id) or f
