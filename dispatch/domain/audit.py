"""The audit log: who booked, moved, cancelled, declared a disruption or changed a
login, and when. Admins read it when a customer or a technician asks "who did this?".

Route changes are audited from the events the route raises, with the unit of work's
actor (the caller the API resolved, or ``system`` for the scheduler's jobs), in the same
transaction as the change: a booking and its audit line land together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dispatch.domain.events import (
    Event,
    VisitBooked,
    VisitCancelled,
    VisitReassigned,
    VisitResequenced,
)

SYSTEM = "system"
# the route events a person is asked about, and the action they are logged as
AUDITED = {"VisitBooked": "booked", "VisitReassigned": "moved", "VisitReleased": "released",
           "VisitCancelled": "cancelled", "VisitResequenced": "moved"}  # fmt: skip


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str  # "agent:anna", "key:crm", "customer", "system", "cli"
    action: str  # booked, moved, cancelled, disruption declared, user added, ...
    subject: str  # "ticket:12", "disruption:3", "user:jan", "key:2"
    detail: str = ""
    id: int = 0


def audited(event: Event, actor: str) -> AuditEntry | None:
    """The audit line a route event makes, if a person would ask about it."""
    action = AUDITED.get(event.kind)
    if action is None:
        return None
    detail = f"technician {event.technician_id}"
    if isinstance(event, VisitReassigned):
        detail = f"from technician {event.previous_technician_id} to {event.technician_id}"
    if isinstance(event, VisitResequenced):
        detail += f", within the route: now open stop {event.position + 1}"
    if isinstance(event, VisitBooked) and event.occasion != "new":
        detail += f" ({event.occasion})"
    if isinstance(event, VisitCancelled):
        detail += f" by the {event.by}"
    return AuditEntry(event.at, actor, action, f"ticket:{event.ticket_id}", detail)
