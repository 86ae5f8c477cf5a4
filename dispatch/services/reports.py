"""The service report and the technicians' report, from the cases' own history.

Definitions (docs/cases.md):

- A **case** is a ticket that repeats nothing (``repeat_of`` empty) with its repeat
  visits; it belongs to the period it was created in, and to its kind of work.
- **Customer Speed Index**: hours from the case's creation to the customer's (or a
  courtesy call's) "solved", median and p90, over the cases solved that way.
- **First-time-fix rate**: of the cases whose first visit has ended, the share that
  needed no repeat visit and did not fail.
- **Repeat contacts per case**: inbound contacts (calls, mails, chats) per case.
- **NPS**: promoters (9-10) minus detractors (0-6) in percent, with the number of
  answers; per technician, the answers about his visits.
- **Closed by confirmation / by timeout**: shares of the closed cases.
- **Door time**: minutes from "started" to "done" minus the planned minutes, averaged.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dispatch.domain.case import CaseEventKind, ClosedHow, Fact, nps
from dispatch.domain.model import TicketStatus
from dispatch.store.ports import UnitOfWork

AFTER = timedelta(days=60)  # a case created in the period may close (or repeat) this later
MIN_ANSWERS = 5  # below this, a technician's rating for a kind does not count
FACTS = (CaseEventKind.VISIT_COMPLETED, CaseEventKind.VISIT_FAILED, CaseEventKind.CONFIRMED,
         CaseEventKind.NOT_SOLVED, CaseEventKind.CLOSED, CaseEventKind.CONTACT)  # fmt: skip
Row = tuple[int, str, float, int | None, str]  # id, kind, created (epoch s), repeat_of, status
VISITS = (CaseEventKind.VISIT_COMPLETED, CaseEventKind.VISIT_FAILED)
ANSWERS = (CaseEventKind.CONFIRMED, CaseEventKind.NOT_SOLVED)


@dataclass(frozen=True)
class KindFigures:
    kind: str
    cases: int
    csi_median_h: float | None
    csi_p90_h: float | None
    first_time_fix: float | None
    repeat_contacts_per_case: float
    nps: float | None
    nps_answers: int
    closed_by_confirmation: float | None
    closed_by_timeout: float | None


@dataclass(frozen=True)
class TechnicianFigures:
    technician_id: int
    kind: str
    visits: int
    first_time_fix: float | None
    nps: float | None
    nps_answers: int
    door_over_plan_min: float | None
    counts: bool  # enough answers for the rating to count (``MIN_ANSWERS``)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _p90(xs: list[float]) -> float:
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def _load(uow: UnitOfWork, first: datetime, last: datetime,
          timed: Sequence[CaseEventKind]) -> tuple[Sequence[Row], list[Fact]]:  # fmt: skip
    tickets = uow.tickets.created_between(first, last + AFTER)
    facts = uow.cases.facts(FACTS, first, last + AFTER, timed)
    return tickets, facts


def service_report(uow: UnitOfWork, first: datetime, last: datetime) -> list[KindFigures]:
    with uow:
        tickets, facts = _load(uow, first, last, (CaseEventKind.CLOSED,))
    root_of: dict[int, int] = {}
    meta = {t[0]: t for t in tickets}
    for tid, _, _, parent, _ in sorted(tickets, key=lambda t: t[2]):
        root_of[tid] = root_of.get(parent, parent) if parent is not None else tid
    a, b = first.timestamp(), last.timestamp()
    cases = {tid: t for tid, t in meta.items() if t[3] is None and a <= t[2] < b}
    by: dict[int, list[Fact]] = defaultdict(list)  # the facts of each case, by its root
    for f in facts:
        root = root_of.get(f.ticket_id)
        if root is not None and root in cases:
            by[root].append(f)
    repeated = {root_of[t] for t, m in meta.items() if m[3] is not None and t in root_of}
    kinds: dict[str, list[int]] = defaultdict(list)
    for root, t in cases.items():
        kinds[t[1]].append(root)
    return [_figures(kind, roots, cases, by, repeated)
            for kind, roots in sorted(kinds.items())]  # fmt: skip


def _figures(kind: str, roots: list[int], cases: dict[int, Row], by: dict[int, list[Fact]],
             repeated: set[int]) -> KindFigures:  # fmt: skip
    speed: list[float] = []
    scores: list[int] = []
    ftf_base = ftf = contacts = 0
    closed = dict.fromkeys(ClosedHow, 0)
    for root in roots:
        first_ended = False
        for f in by.get(root, ()):
            if f.kind == CaseEventKind.CONTACT:
                contacts += 1
            elif f.kind in ANSWERS and f.nps is not None:
                scores.append(f.nps)
            elif f.kind in VISITS and f.ticket_id == root:
                first_ended = True
            elif f.kind == CaseEventKind.CLOSED:
                how = ClosedHow(f.how or "confirmed")
                closed[how] += 1
                if how != ClosedHow.TIMEOUT:
                    speed.append((f.at - cases[root][2]) / 3600)
        if first_ended:
            ftf_base += 1
            ftf += root not in repeated and cases[root][4] != TicketStatus.FAILED.value
    n_closed = sum(closed.values())
    return KindFigures(
        kind, len(roots), round(statistics.median(speed), 2) if speed else None,
        round(_p90(speed), 2) if speed else None, _share(ftf, ftf_base),
        round(contacts / len(roots), 3) if roots else 0.0, nps(scores), len(scores),
        _share(closed[ClosedHow.CONFIRMED] + closed[ClosedHow.FOLLOWUP], n_closed),
        _share(closed[ClosedHow.TIMEOUT], n_closed),
    )  # fmt: skip


def technician_report(uow: UnitOfWork, first: datetime, last: datetime,
                      min_answers: int = MIN_ANSWERS) -> list[TechnicianFigures]:  # fmt: skip
    with uow:
        return technician_figures(uow, first, last, min_answers)


def technician_figures(uow: UnitOfWork, first: datetime, last: datetime,
                       min_answers: int = MIN_ANSWERS) -> list[TechnicianFigures]:  # fmt: skip
    """Inside an open unit of work."""
    tickets, facts = _load(uow, first, last, VISITS)
    meta = {t[0]: t for t in tickets}
    repeated = {t[3] for t in tickets if t[3] is not None}
    a, b = first.timestamp(), last.timestamp()
    visits: dict[tuple[int, str], list[tuple[bool, float | None]]] = defaultdict(list)
    scores: dict[tuple[int, str], list[int]] = defaultdict(list)
    for f in facts:
        m = meta.get(f.ticket_id)
        if f.technician_id is None or m is None:
            continue
        key = (f.technician_id, m[1])
        if f.kind in VISITS and a <= f.at < b:
            fixed = (f.kind == CaseEventKind.VISIT_COMPLETED and f.ticket_id not in repeated
                     and m[4] != TicketStatus.FAILED.value)  # fmt: skip
            visits[key].append((fixed, f.door_over_min))
        elif f.kind in ANSWERS and f.nps is not None:
            scores[key].append(f.nps)
    out = []
    for key in sorted(set(visits) | set(scores)):
        done, said = visits.get(key, []), scores.get(key, [])
        over = [d for _, d in done if d is not None]
        out.append(TechnicianFigures(
            key[0], key[1], len(done), _share(sum(x for x, _ in done), len(done)), nps(said),
            len(said), round(statistics.fmean(over), 1) if over else None,
            len(said) >= min_answers))  # fmt: skip
    return out


def preferred(uow: UnitOfWork, kind: str, now: datetime) -> dict[int, tuple[float, float]]:
    """Per technician, (first-time-fix rate, NPS) for this kind over the last 90 days,
    only where enough customers answered; the repeat visit's preference (inside an open
    unit of work)."""
    figures = technician_figures(uow, now - timedelta(days=90), now)
    return {f.technician_id: (f.first_time_fix or 0.0, f.nps or 0.0)
            for f in figures if f.kind == kind and f.counts}  # fmt: skip
