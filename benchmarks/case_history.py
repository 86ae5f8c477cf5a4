"""A generated history of cases with figures known by construction, for the report tests
and ``dispatch bench reports`` (issue 15).

Case ``i`` (of ``n``, spread evenly over ``days``) is of kind ``KINDS[i % 3]``, visited
by technician ``i % technicians + 1``, four hours after it was created. By ``i % 10``:

- 1-6: done; the customer confirms a day later: closed (confirmed) 28 h after creation,
  NPS 10, 9, 8, 7, 5, 3;
- 7, 8: done; nobody answers for ten days: closed (timeout) after 244 h, no NPS;
- 0: the visit fails; a repeat an hour later, done a day later and confirmed a day after
  that: closed (confirmed) after 52 h, NPS 10;
- 9: done; "not solved" a day later; the repeat done and confirmed after: closed
  (confirmed) after 76 h, NPS 4 (the "not solved" answer gives none).

Every fourth case (``i % 4 == 0``) calls the helpdesk once. Door time is the plan plus
``i % 7`` minutes.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from dispatch.domain.case import columns
from dispatch.store.case_table import CaseEventRow
from dispatch.store.tables import TicketRow

KINDS = ("cable_stuck", "charger_offline", "payment_failure")
H = timedelta(hours=1)
NPS = {1: 10, 2: 9, 3: 8, 4: 7, 5: 5, 6: 3}
PLANNED_MIN = 30.0


def _ticket(tid: int, kind: str, at: datetime, repeat_of: int | None,
            status: str) -> dict[str, Any]:  # fmt: skip
    return {"id": tid, "customer_name": f"Customer {tid}", "customer_locale": "nl",
            "lat": 51.07, "lon": 4.29, "kind": kind, "skills": ["cable_release"],
            "service_s": int(PLANNED_MIN * 60), "priority": "normal", "status": status,
            "tracking_token": secrets.token_urlsafe(12), "created_at": at,
            "repeat_of": repeat_of, "case_of": repeat_of, "customer_on_site": False,
            "property_at_risk": False}  # fmt: skip


def _ev(tid: int, at: datetime, kind: str, actor: str, **detail: Any) -> dict[str, Any]:
    return {"ticket_id": tid, "at": at, "kind": kind, "actor": actor, "detail": detail,
            **columns(detail)}  # fmt: skip


def _visit(tid: int, at: datetime, tech: int, i: int, failed: bool = False) -> dict[str, Any]:
    return _ev(tid, at, "visit_failed" if failed else "visit_completed", "technician",
               technician_id=tech, note="", planned_min=PLANNED_MIN,
               door_min=PLANNED_MIN + i % 7)  # fmt: skip


def case(i: int, n: int, technicians: int, start: datetime, days: int, first_id: int
         ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """(ticket rows, case event rows) of case ``i``; ticket ids from ``first_id``."""
    kind, tech, r = KINDS[i % 3], i % technicians + 1, i % 10
    t0 = start + timedelta(seconds=i * days * 86400 // n)
    root, rep = first_id, first_id + 1
    other = tech % technicians + 1  # the repeat goes to someone else
    if r in range(1, 7):
        tickets = [_ticket(root, kind, t0, None, "done")]
        events = [_visit(root, t0 + 4 * H, tech, i),
                  _ev(root, t0 + 28 * H, "confirmed", "customer", solved=True, nps=NPS[r],
                      technician_id=tech),
                  _ev(root, t0 + 28 * H, "closed", "customer", how="confirmed")]  # fmt: skip
    elif r in (7, 8):
        tickets = [_ticket(root, kind, t0, None, "done")]
        events = [_visit(root, t0 + 4 * H, tech, i),
                  _ev(root, t0 + 244 * H, "closed", "system", how="timeout")]  # fmt: skip
    else:
        failed, later = (True, 5 * H) if r == 0 else (False, 29 * H)
        done_at, nps = (52 * H, 10) if r == 0 else (76 * H, 4)
        tickets = [_ticket(root, kind, t0, None, "failed"),
                   _ticket(rep, kind, t0 + later, root, "done")]  # fmt: skip
        events = [_visit(root, t0 + 4 * H, tech, i, failed)]
        if r == 9:
            events.append(_ev(root, t0 + 28 * H, "not_solved", "customer", solved=False,
                              nps=None, technician_id=tech))  # fmt: skip
        events += [_visit(rep, t0 + done_at - 24 * H, other, i),
                   _ev(rep, t0 + done_at, "confirmed", "customer", solved=True, nps=nps,
                       technician_id=other),
                   _ev(rep, t0 + done_at, "closed", "customer", how="confirmed")]  # fmt: skip
    if i % 4 == 0:
        events.append(_ev(root, t0 + 2 * H, "contact", "customer", channel="call",
                          reason="where is my technician?"))  # fmt: skip
    return tickets, events


def seed_history(engine: Engine, n: int, technicians: int, start: datetime, days: int,
                 chunk: int = 5000) -> int:  # fmt: skip
    """Write ``n`` cases straight into the tables (bulk, in chunks); returns the tickets."""
    written, next_id = 0, 1
    tickets: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for i in range(n):
            t, e = case(i, n, technicians, start, days, next_id)
            next_id += len(t)
            tickets += t
            events += e
            if len(tickets) >= chunk or i == n - 1:
                conn.execute(insert(TicketRow.__table__), tickets)  # type: ignore[arg-type]
                conn.execute(insert(CaseEventRow.__table__), events)  # type: ignore[arg-type]
                written += len(tickets)
                tickets, events = [], []
    return written
