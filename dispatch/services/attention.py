"""What a dispatcher must act on now, in one list: tickets nobody could take, messages
that could not be delivered, started work of a technician taken out (only a person
can decide about a half-done job), and completed cases nobody confirmed, past their
courtesy call's time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dispatch.domain.followup import FollowUp
from dispatch.domain.messages import Message
from dispatch.domain.model import Ticket, TicketStatus, Visit
from dispatch.services.disruptions import busy_until
from dispatch.store.ports import UnitOfWork


@dataclass(frozen=True)
class Attention:
    unassigned: list[Ticket]
    dead_messages: list[Message]
    stranded: list[Visit]  # started or under way, with a technician who is out
    followups: list[FollowUp]  # due courtesy calls


def needs_attention(uow: UnitOfWork, now: datetime, limit: int = 50) -> Attention:
    with uow:
        unassigned = uow.tickets.list([TicketStatus.UNASSIGNED])[:limit]
        dead = uow.messages.dead(limit)
        out = busy_until(uow, now)
        routes = uow.routes.get_many(sorted(out)) if out else {}
        stranded = [v for r in routes.values() for v in r.open_visits if v.locked]
        due = uow.followups.open_due(now, limit)
    return Attention(unassigned, dead, stranded, due)
