"""The reports' sums, computed by the database (``ReportStore``): grouped counts and two
percentiles per kind, so a 90-day report reads a few dozen rows instead of 100,000
case events (issue 15: one second over 50,000 cases).

A case is a chain of tickets (``repeat_of``); each repeat names the case's first ticket
(``case_of``), whose kind and creation the case is counted by.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select, text
from sqlalchemy.orm import Session

from dispatch.domain.case import CaseEventKind as K
from dispatch.domain.case import ClosedHow
from dispatch.domain.case_totals import KindTotals, TechnicianTotals, p90_rank
from dispatch.domain.model import TicketStatus
from dispatch.store.case_table import CaseEventRow
from dispatch.store.tables import TicketRow
from dispatch.store.types import epoch_seconds

E = CaseEventRow.__table__
T = TicketRow.__table__
VISITS = (K.VISIT_COMPLETED.value, K.VISIT_FAILED.value)
ANSWERS = (K.CONFIRMED.value, K.NOT_SOLVED.value)
SUMMED = (K.CONTACT.value, *ANSWERS, K.CLOSED.value)


def _n(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _repeated(first: datetime, until: datetime) -> Any:
    """The tickets a repeat visit followed (``id``), to join: as a correlated EXISTS,
    both databases run it once per case, and PostgreSQL twice where it is used twice."""
    child = T.alias("child")
    return (select(child.c.repeat_of.label("id")).distinct()
            .where(child.c.repeat_of.is_not(None), child.c.created_at >= first,
                   child.c.created_at < until).subquery())  # fmt: skip


def _ended(first: datetime, until: datetime) -> Any:
    """The tickets whose visit ended (completed or failed), ``id``, to join."""
    return (select(E.c.ticket_id.label("id")).distinct()
            .where(E.c.kind.in_(VISITS), E.c.at >= first, E.c.at < until).subquery())


class ReportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    def kinds(self, first: datetime, last: datetime, until: datetime) -> list[KindTotals]:
        """Cases created in [first, last), their facts until ``until``."""
        root = T.alias("root")
        is_root = and_(root.c.repeat_of.is_(None), root.c.created_at >= first,
                       root.c.created_at < last)  # fmt: skip
        self._no_jit()
        repeated, ended = _repeated(first, until), _ended(first, until)
        firsts = self.session.execute(
            select(root.c.kind, func.count(), _n(ended.c.id.is_not(None)),
                   _n(and_(ended.c.id.is_not(None), repeated.c.id.is_(None),
                           root.c.status != TicketStatus.FAILED.value)))
            .select_from(root.outerjoin(ended, ended.c.id == root.c.id)
                         .outerjoin(repeated, repeated.c.id == root.c.id))
            .where(is_root).group_by(root.c.kind)
        ).all()  # fmt: skip
        mine = T.alias("mine")  # the event's own ticket: the first or a repeat
        facts = (E.join(mine, mine.c.id == E.c.ticket_id)
                 .join(root, root.c.id == func.coalesce(mine.c.case_of, mine.c.id)))  # fmt: skip
        window = and_(E.c.at >= first, E.c.at < until)
        answer = and_(E.c.kind.in_(ANSWERS), E.c.nps.is_not(None))
        closed, how = E.c.kind == K.CLOSED.value, func.coalesce(E.c.how, ClosedHow.CONFIRMED.value)
        sums = {r[0]: r[1:] for r in self.session.execute(
            select(root.c.kind, _n(E.c.kind == K.CONTACT.value), _n(and_(answer, E.c.nps >= 9)),
                   _n(and_(answer, E.c.nps <= 6)), _n(answer),
                   _n(and_(closed, how != ClosedHow.TIMEOUT.value)),
                   _n(and_(closed, how == ClosedHow.TIMEOUT.value)))
            .select_from(facts).where(window, is_root, E.c.kind.in_(SUMMED))
            .group_by(root.c.kind))}  # fmt: skip
        hours = (epoch_seconds(E.c.at, self.dialect)
                 - epoch_seconds(root.c.created_at, self.dialect)) / 3600.0  # fmt: skip
        speeds = self._percentiles(
            select(root.c.kind.label("kind"), hours.label("h")).select_from(facts)
            .where(window, is_root, closed, how != ClosedHow.TIMEOUT.value))  # fmt: skip
        out = []
        for kind, n, ended_n, fixed in firsts:
            s = sums.get(kind, (0, 0, 0, 0, 0, 0))
            median, p90 = speeds.get(kind, (None, None))
            contacts, promoters, detractors, answers, solved, timeout = (int(x) for x in s)
            out.append(KindTotals(kind, int(n), int(ended_n), int(fixed), contacts, promoters,
                                  detractors, answers, solved, timeout, median, p90))  # fmt: skip
        return out

    def technicians(self, first: datetime, last: datetime, until: datetime
                    ) -> list[TechnicianTotals]:  # fmt: skip
        """Visits that ended in [first, last) and the answers about them until ``until``,
        per technician and kind, of tickets created in [first, until)."""
        self._no_jit()
        repeated = _repeated(first, until)
        base = (select(E.c.technician_id, T.c.kind).join(T, T.c.id == E.c.ticket_id)
                .outerjoin(repeated, repeated.c.id == T.c.id)
                .where(E.c.technician_id.is_not(None), T.c.created_at >= first,
                       T.c.created_at < until)
                .group_by(E.c.technician_id, T.c.kind))  # fmt: skip
        fixed = and_(E.c.kind == K.VISIT_COMPLETED.value, repeated.c.id.is_(None),
                     T.c.status != TicketStatus.FAILED.value)  # fmt: skip
        visits = {(r[0], r[1]): r[2:] for r in self.session.execute(
            base.add_columns(func.count(), _n(fixed), func.avg(E.c.door_over_min))
            .where(E.c.kind.in_(VISITS), E.c.at >= first, E.c.at < last))}  # fmt: skip
        answers = {(r[0], r[1]): r[2:] for r in self.session.execute(
            base.add_columns(_n(E.c.nps >= 9), _n(E.c.nps <= 6), func.count())
            .where(E.c.kind.in_(ANSWERS), E.c.nps.is_not(None), E.c.at >= first,
                   E.c.at < until))}  # fmt: skip
        out = []
        for key in sorted(set(visits) | set(answers)):
            n, ok, door = visits.get(key, (0, 0, None))
            p, d, a = answers.get(key, (0, 0, 0))
            out.append(TechnicianTotals(int(key[0]), str(key[1]), int(n), int(ok),
                                        float(door) if door is not None else None,
                                        int(p), int(d), int(a)))  # fmt: skip
        return out

    def _no_jit(self) -> None:
        """PostgreSQL prices a report's 50,000 small sub-plans high enough to compile
        them first (JIT), which costs more than running them; not for this transaction."""
        if self.dialect == "postgresql":
            self.session.execute(text("SET LOCAL jit = off"))

    def _percentiles(self, rows: Any) -> dict[str, tuple[float, float]]:
        """The median and p90 of ``h`` per ``kind``, ranked by the database so only the
        two or three rows that matter come back."""
        r = rows.subquery()
        rank = func.row_number().over(partition_by=r.c.kind, order_by=r.c.h)
        count = func.count().over(partition_by=r.c.kind)
        ranked = select(r.c.kind, r.c.h, rank.label("rn"), count.label("n")).subquery()
        n, rn = ranked.c.n, ranked.c.rn
        picked = self.session.execute(
            select(ranked.c.kind, rn, n, ranked.c.h)
            .where(or_(rn == (n + 1) // 2, rn == (n + 2) // 2, rn == n * 9 // 10 + 1))
        ).all()  # fmt: skip
        out: dict[str, tuple[float, float]] = {}
        for kind in {p[0] for p in picked}:
            mine = {int(p[1]): float(p[3]) for p in picked if p[0] == kind}
            size = int(next(p[2] for p in picked if p[0] == kind))
            mid = (mine[(size + 1) // 2] + mine[(size + 2) // 2]) / 2
            out[kind] = (mid, mine[p90_rank(size)])
        return out
