"""The reports' sums in memory, for the use cases' tests: the same definitions as the
database's grouped queries (``store.case_reports``), counted one event at a time."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING

from dispatch.domain.case import CaseEvent, CaseEventKind, ClosedHow, columns
from dispatch.domain.case_totals import KindTotals, TechnicianTotals, p90_rank
from dispatch.domain.model import Ticket, TicketStatus

if TYPE_CHECKING:
    from fakes import FakeData

VISITS = (CaseEventKind.VISIT_COMPLETED, CaseEventKind.VISIT_FAILED)
ANSWERS = (CaseEventKind.CONFIRMED, CaseEventKind.NOT_SOLVED)


class FakeReports:
    def __init__(self, data: FakeData) -> None:
        self.d = data

    def _window(self, first: datetime, until: datetime) -> tuple[dict[int, Ticket],
                                                                 list[CaseEvent]]:  # fmt: skip
        tickets = {t.id: t for t in self.d.tickets.values() if first <= t.created_at < until}
        return tickets, [e for e in self.d.case_events if first <= e.at < until]

    def kinds(self, first: datetime, last: datetime, until: datetime) -> list[KindTotals]:
        tickets, events = self._window(first, until)
        root_of: dict[int, int] = {}
        for t in sorted(tickets.values(), key=lambda t: t.created_at):
            root_of[t.id] = root_of.get(t.repeat_of, t.repeat_of) if t.repeat_of else t.id
        cases = {i: t for i, t in tickets.items() if t.repeat_of is None and t.created_at < last}
        repeated = {t.repeat_of for t in tickets.values()}
        by: dict[int, list[CaseEvent]] = defaultdict(list)
        for e in events:
            if root_of.get(e.ticket_id) in cases:
                by[root_of[e.ticket_id]].append(e)
        kinds: dict[str, list[Ticket]] = defaultdict(list)
        for t in cases.values():
            kinds[t.kind].append(t)
        return [self._kind(kind, roots, by, repeated) for kind, roots in kinds.items()]

    @staticmethod
    def _kind(kind: str, roots: list[Ticket], by: dict[int, list[CaseEvent]],
              repeated: set[int | None]) -> KindTotals:  # fmt: skip
        ended = fixed = contacts = timeout = 0
        scores: list[int] = []
        speed: list[float] = []
        for root in roots:
            mine = by.get(root.id, [])
            contacts += sum(e.kind == CaseEventKind.CONTACT for e in mine)
            scores += [int(e.detail["nps"]) for e in mine
                       if e.kind in ANSWERS and e.detail.get("nps") is not None]  # fmt: skip
            for e in (e for e in mine if e.kind == CaseEventKind.CLOSED):
                if columns(e.detail)["how"] == ClosedHow.TIMEOUT:
                    timeout += 1
                else:
                    speed.append((e.at - root.created_at).total_seconds() / 3600)
            if any(e.kind in VISITS and e.ticket_id == root.id for e in mine):
                ended += 1
                fixed += root.id not in repeated and root.status != TicketStatus.FAILED
        speed.sort()
        return KindTotals(
            kind, len(roots), ended, fixed, contacts, sum(s >= 9 for s in scores),
            sum(s <= 6 for s in scores), len(scores), len(speed), timeout,
            statistics.median(speed) if speed else None,
            speed[p90_rank(len(speed)) - 1] if speed else None)  # fmt: skip

    def technicians(self, first: datetime, last: datetime, until: datetime
                    ) -> list[TechnicianTotals]:  # fmt: skip
        tickets, events = self._window(first, until)
        repeated = {t.repeat_of for t in tickets.values()}
        visits: dict[tuple[int, str], list[tuple[bool, float | None]]] = defaultdict(list)
        scores: dict[tuple[int, str], list[int]] = defaultdict(list)
        for e in events:
            c, t = columns(e.detail), tickets.get(e.ticket_id)
            if c["technician_id"] is None or t is None:
                continue
            key = (c["technician_id"], t.kind)
            if e.kind in VISITS and e.at < last:
                ok = (e.kind == CaseEventKind.VISIT_COMPLETED and t.id not in repeated
                      and t.status != TicketStatus.FAILED)  # fmt: skip
                visits[key].append((ok, c["door_over_min"]))
            elif e.kind in ANSWERS and c["nps"] is not None:
                scores[key].append(c["nps"])
        out = []
        for key in sorted(set(visits) | set(scores)):
            done, said = visits.get(key, []), scores.get(key, [])
            door = [d for _, d in done if d is not None]
            out.append(TechnicianTotals(
                key[0], key[1], len(done), sum(ok for ok, _ in done),
                statistics.fmean(door) if door else None,
                sum(s >= 9 for s in said), sum(s <= 6 for s in said), len(said)))  # fmt: skip
        return out
