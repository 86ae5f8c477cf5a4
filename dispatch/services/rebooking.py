"""The promise version a new booking of a ticket starts at.

A ticket can be booked more than once: released when its technician fell ill, then
given to someone else by the backlog job or a new slot. Each booking confirmation is
news, and the outbox keys events on (visit, kind, promise version); a second booking
at version 1 would share the first one's key and never reach the customer. So a
booking carries on from the highest version this ticket's events reached.
"""

from __future__ import annotations

from dispatch.store.ports import UnitOfWork


def next_promise_version(uow: UnitOfWork, ticket_id: int) -> int:
    seen = [int(p.get("promise_version", 0)) for _, p in uow.outbox.for_ticket(ticket_id)]
    return max(seen, default=0) + 1
