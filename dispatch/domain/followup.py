"""A courtesy call: a completed case nobody confirmed becomes a task for the helpdesk.

The visit is done, but the case stays open until someone has checked with the customer
(a survey right after the visit is "simply too early"). A task is due inside the
service's contact hours, never in the evening; its outcome closes the case (solved),
starts a repeat visit (not solved), or leaves it to a later call (no answer) until the
case closes by itself after ``auto_close`` days.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Outcome(enum.StrEnum):
    SOLVED = "solved"
    NOT_SOLVED = "not_solved"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class FollowUp:
    id: int
    ticket_id: int
    due_at: datetime
    created_at: datetime
    attempt: int = 1
    outcome: Outcome | None = None
    done_at: datetime | None = None
    note: str = ""

    @property
    def open(self) -> bool:
        return self.outcome is None
