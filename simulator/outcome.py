"""The end of a simulated day: what customers were told, each technician's real day,
what every disruption did (from the disruptions' audit, as a dispatcher reads it), and
which tickets nobody took (from each customer's own tracking view)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dispatch.domain.force_majeure import EffectKind
from dispatch.services.disruptions import audit
from dispatch.services.tracking import track
from simulator.record import DayRecord, Disruption, Shift

if TYPE_CHECKING:
    from simulator.engine import Day


def finish(day: Day, record: DayRecord) -> DayRecord:
    record.told = day.inbox.told()
    record.shifts = [Shift(t.id, t.shift_start, t.shift_end, t.done, t.drive_s, t.work_s, t.km)
                     for t in day.techs.values()]  # fmt: skip
    for disruption_id, kind, at in day.declared:
        said = audit(day.uow, disruption_id) if disruption_id else None
        effects = said.effects if said else []
        told = tuple(e.ticket_id for e in effects if e.told is not None)
        offered = tuple(e.ticket_id for e in effects if e.kind == EffectKind.OFFERED)
        unplaced = tuple(e.ticket_id for e in effects if e.kind == EffectKind.UNPLACED)
        tech = said.disruption.technician_id if said else None
        record.disruptions.append(Disruption(kind, at, tech, told, offered, unplaced))
    record.unassigned = tuple(
        ticket for ticket, token in sorted(day.customers.tokens.items())
        if track(day.uow, token).status == "unassigned")  # fmt: skip
    return record
