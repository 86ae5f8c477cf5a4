"""Recording, ending and reading disruptions (``domain.disruption``).

What a disruption does to the plan is asked where the plan is made: the quote offers
no technician a breakdown or an absence takes out (``out_now``), the slots offer no
later date such an absence covers (``out_on``), and the replan gives a disrupted
technician no work before his disruption ends (``busy_until``). A phone's breakdown
event records a breakdown here too (``services.field_events``), so the dispatcher
sees it and can correct its end.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from dispatch.clock import Clock
from dispatch.domain.disruption import Area, Disruption, DisruptionKind, out_of_service
from dispatch.domain.errors import Conflict, InvalidInput, NotFound
from dispatch.domain.force_majeure import Effect, cause_of
from dispatch.domain.messages import Message
from dispatch.services import absence_calendar, slowdowns
from dispatch.services.audit_log import note
from dispatch.store.ports import UnitOfWork

INSTANT = timedelta(seconds=1)
RECENT = 200  # the list without a filter: the latest this many


@dataclass(frozen=True)
class NewDisruption:
    kind: DisruptionKind
    expected_end: datetime
    reason: str
    technician_id: int | None = None
    area: Area | None = None
    factor: float = 1.0
    start: datetime | None = None  # None: now
    source: str = "dispatcher"


def record_disruption(uow: UnitOfWork, clock: Clock, new: NewDisruption) -> Disruption:
    now = clock.now()
    start = new.start or now
    d = Disruption(0, new.kind, start, new.expected_end, new.reason.strip(), new.technician_id,
                   new.area, new.factor, source=new.source)  # fmt: skip
    if d.expected_end <= now:
        raise InvalidInput("this disruption would be over already: give an end in the future")
    with uow:
        if d.technician_id is not None and uow.technicians.get(d.technician_id) is None:
            raise NotFound(f"technician {d.technician_id} does not exist")
        clash = next((o for o in uow.disruptions.overlapping(d.start, d.expected_end)
                      if d.technician_id is not None and o.technician_id == d.technician_id),
                     None)  # fmt: skip
        if clash is not None:  # one record per absence: correct it, don't stack another
            raise Conflict(f"technician {d.technician_id} is already out then (disruption "
                           f"{clash.id}); end it first, then declare the corrected one")
        new_id = uow.disruptions.add(d, now)
        who = f"technician {d.technician_id}" if d.technician_id is not None else "an area"
        note(uow, now, "disruption declared", f"disruption:{new_id}",
             f"{d.kind.value} of {who} until {d.expected_end.isoformat()}: {d.reason}"[:400])
        uow.commit()
    slowdowns.forget()  # a slowdown counts from the next request on
    return replace(d, id=new_id, created_at=now)


def end_disruption(uow: UnitOfWork, clock: Clock, disruption_id: int) -> Disruption:
    """Ended now: the repair was quicker, the snow stopped."""
    now = clock.now()
    with uow:
        d = uow.disruptions.get(disruption_id)
        if d is None:
            raise NotFound(f"disruption {disruption_id} does not exist")
        if now >= d.end:
            raise Conflict(f"disruption {disruption_id} is over already")
        done = d.ended(now)
        uow.disruptions.end(disruption_id, done.end)
        absence_calendar.release_days(uow, d, now)
        note(uow, now, "disruption ended", f"disruption:{disruption_id}")
        uow.commit()
    slowdowns.forget()
    return done


@dataclass(frozen=True)
class Audit:
    """A disruption and what it did: one line per visit, and the messages each got."""

    disruption: Disruption
    effects: list[Effect]
    messages: dict[int, list[Message]]  # ticket -> the messages of its effect's kind


def audit(uow: UnitOfWork, disruption_id: int) -> Audit:
    with uow:
        d = uow.disruptions.get(disruption_id)
        if d is None:
            raise NotFound(f"disruption {disruption_id} does not exist")
        effects = uow.effects.of(disruption_id)
        since = d.created_at or d.start
        messages = {e.ticket_id: [m for m in uow.messages.for_ticket(e.ticket_id)
                                  if m.kind == e.told and m.created_at >= since]
                    for e in effects if e.told}  # fmt: skip
    return Audit(d, effects, messages)


def get_disruption(uow: UnitOfWork, disruption_id: int) -> Disruption:
    with uow:
        d = uow.disruptions.get(disruption_id)
    if d is None:
        raise NotFound(f"disruption {disruption_id} does not exist")
    return d


def list_disruptions(uow: UnitOfWork, clock: Clock, active: bool) -> list[Disruption]:
    now = clock.now()
    with uow:
        if active:
            return uow.disruptions.overlapping(now, now + INSTANT)
        return uow.disruptions.recent(RECENT)


def out_now(uow: UnitOfWork, now: datetime) -> set[int]:
    """Technicians a breakdown or an absence takes out now (inside a unit of work)."""
    return out_of_service(uow.disruptions.overlapping(now, now + INSTANT), now)


def out_on(uow: UnitOfWork, start: datetime, end: datetime) -> set[int]:
    """Technicians an absence or a breakdown takes out at any time in [start, end): for
    a later date, the whole date (inside a unit of work)."""
    return {d.technician_id for d in uow.disruptions.overlapping(start, end)
            if d.technician_id is not None}  # fmt: skip


def busy_until(uow: UnitOfWork, now: datetime) -> dict[int, datetime]:
    """For each technician taken out now, when his last disruption ends."""
    out: dict[int, datetime] = {}
    for d in uow.disruptions.overlapping(now, now + INSTANT):
        if d.technician_id is not None and d.active(now):
            out[d.technician_id] = max(out.get(d.technician_id, d.end), d.end)
    return out


def causes(uow: UnitOfWork, now: datetime) -> dict[int, str]:
    """For each technician taken out now, why (a ``Reason`` value): a window his
    disruption pushes is news with that reason, not "heavy traffic"."""
    now_on = uow.disruptions.overlapping(now, now + INSTANT)
    return {d.technician_id: cause_of(d).value for d in now_on
            if d.technician_id is not None and d.active(now)}  # fmt: skip


def pending(uow: UnitOfWork, now: datetime) -> set[int]:
    """Technicians with a disruption in force whose consequences are not drawn yet: the
    minute's refresh leaves them to ``services.force_majeure`` (about to run)."""
    return {d.technician_id for d in uow.disruptions.unhandled(now)
            if d.technician_id is not None and d.start <= now}  # fmt: skip
