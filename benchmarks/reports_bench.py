"""The service and technicians' reports over 90 days of generated history (200
technicians, 50,000 cases by default), on SQLite and, given its URL, PostgreSQL;
behind ``dispatch bench reports`` (issue 15).

The history is ``benchmarks/case_history.py`` (figures known by construction). Timed,
``repeat`` times each, in one process: the service report and the technicians' report
over the whole period. The peer in the same run: only reading the period's case events
and tickets into Python (what any report computed in Python, as ours was before, must
do first); the database adds them up instead, and the ratio says what that saves.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from benchmarks.case_history import seed_history
from dispatch.services.reports import AFTER, service_report, technician_report
from dispatch.store.case_table import CaseEventRow
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.migrate import upgrade
from dispatch.store.tables import TicketRow
from dispatch.store.uow import SqlUnitOfWork

E, T = CaseEventRow.__table__, TicketRow.__table__
START = datetime(2026, 8, 1, tzinfo=ZoneInfo("Europe/Brussels"))


def _timed(f: Callable[[], object], repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        runs.append(time.perf_counter() - t0)
    return {"median_s": round(statistics.median(runs), 3), "max_s": round(max(runs), 3)}


def _one(url: str, cases: int, technicians: int, days: int, repeat: int) -> dict[str, Any]:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # a clean slate: this database is the benchmark's
            conn.execute(text("DROP SCHEMA IF EXISTS bench_reports CASCADE"))
            conn.execute(text("CREATE SCHEMA bench_reports"))
        engine.dispose()
        engine = make_engine(url, connect_args={"options": "-csearch_path=bench_reports"})
    upgrade(engine)
    t0 = time.perf_counter()
    tickets = seed_history(engine, cases, technicians, START, days)
    with engine.begin() as conn:  # fresh statistics, as autovacuum keeps them in service
        conn.execute(text("ANALYZE"))
    engine.dispose()  # SQLite writes the bulk load's log back, as it does in service
    seeded = time.perf_counter() - t0
    uow = SqlUnitOfWork(session_factory(engine))
    first, last = START, START + timedelta(days=days)

    def rows() -> None:
        until = last + AFTER
        with engine.connect() as conn:
            conn.execute(select(E.c.ticket_id, E.c.kind, E.c.at, E.c.technician_id, E.c.nps,
                                E.c.how, E.c.door_over_min)
                         .where(E.c.at >= first, E.c.at < until)).all()  # fmt: skip
            conn.execute(select(T.c.id, T.c.kind, T.c.created_at, T.c.repeat_of, T.c.status)
                         .where(T.c.created_at >= first, T.c.created_at < until)).all()  # fmt: skip

    out: dict[str, Any] = {"database": engine.dialect.name, "cases": cases, "tickets": tickets,
           "seed_s": round(seeded, 1),
           "service": _timed(lambda: service_report(uow, first, last), repeat),
           "technicians": _timed(lambda: technician_report(uow, first, last), repeat),
           "rows_to_python": _timed(rows, repeat)}  # fmt: skip
    peer = out["rows_to_python"]["median_s"]
    out["service_to_rows"] = round(out["service"]["median_s"] / peer, 2)
    out["technicians_to_rows"] = round(out["technicians"]["median_s"] / peer, 2)
    if engine.dialect.name == "postgresql":
        engine.dispose()
        with make_engine(url).begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS bench_reports CASCADE"))
    engine.dispose()
    return out


def run(cases: int, technicians: int, days: int, repeat: int, postgres: str | None,
        say: Any = print) -> dict[str, Any]:  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory(prefix="fd-reports-") as tmp:
        say(f"SQLite: {cases} cases over {days} days, {technicians} technicians")
        results.append(_one(f"sqlite:///{Path(tmp) / 'history.sqlite3'}", cases, technicians,
                            days, repeat))  # fmt: skip
    if postgres:
        say("PostgreSQL: the same")
        results.append(_one(postgres, cases, technicians, days, repeat))
    return {"runs": results, "target_s": 1.0}
