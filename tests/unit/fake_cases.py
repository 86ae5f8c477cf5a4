"""Case histories and courtesy calls in memory, for the use cases' tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from dispatch.domain.case import CaseEvent, CaseEventKind
from dispatch.domain.followup import FollowUp, Outcome
from dispatch.domain.model import TicketStatus

if TYPE_CHECKING:
    from fakes import FakeData


class FakeCases:
    def __init__(self, data: FakeData) -> None:
        self.d = data

    def add(self, e: CaseEvent) -> None:
        self.d.case_events.append(e)

    def of(self, ticket_id: int) -> list[CaseEvent]:
        return sorted((e for e in self.d.case_events if e.ticket_id == ticket_id),
                      key=lambda e: e.at)  # fmt: skip

    def completed_before(self, before: datetime, limit: int = 1000) -> list[tuple[int, datetime]]:
        done: dict[int, datetime] = {}
        for e in self.d.case_events:
            if e.kind == CaseEventKind.VISIT_COMPLETED:
                done[e.ticket_id] = max(done.get(e.ticket_id, e.at), e.at)
        waiting = [(t, at) for t, at in done.items()
                   if self.d.tickets[t].status == TicketStatus.COMPLETED
                   and at < before]  # fmt: skip
        return sorted(waiting, key=lambda x: x[1])[:limit]


class FakeFollowUps:
    def __init__(self, data: FakeData) -> None:
        self.d = data

    def add(self, f: FollowUp) -> int | None:
        if any((x.ticket_id, x.attempt) == (f.ticket_id, f.attempt)
               for x in self.d.followups.values()):  # fmt: skip
            return None
        new_id = len(self.d.followups) + 1
        self.d.followups[new_id] = replace(f, id=new_id)
        return new_id

    def get(self, followup_id: int) -> FollowUp | None:
        return self.d.followups.get(followup_id)

    def of(self, ticket_id: int) -> list[FollowUp]:
        return sorted((f for f in self.d.followups.values() if f.ticket_id == ticket_id),
                      key=lambda f: f.attempt)  # fmt: skip

    def open_due(self, until: datetime, limit: int = 200) -> list[FollowUp]:
        due = [f for f in self.d.followups.values() if f.open and f.due_at <= until]
        return sorted(due, key=lambda f: f.due_at)[:limit]

    def finish(self, followup_id: int, outcome: Outcome, at: datetime, note: str) -> bool:
        f = self.d.followups.get(followup_id)
        if f is None or not f.open:
            return False
        self.d.followups[followup_id] = replace(f, outcome=outcome, done_at=at, note=note)
        return True
