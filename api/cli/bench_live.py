"""In-process benchmark of the ETA refresh cycle on a synthetic live day."""

from __future__ import annotations

import json
import statistics
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import typer


def refresh(
    technicians: int = typer.Option(1000, min=1),
    visits: int = typer.Option(12, min=1),
    cycles: int = typer.Option(5, min=1),
    seed: int = typer.Option(1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time refresh_etas cycles: compute only, and including the SQLite write."""
    # imported here: every ``dispatch`` command loads this module, and ``dispatch
    # deliver``, restarted after a crash, should not wait for the solver and benchmarks
    from api.app import default_travel
    from benchmarks.synthetic_day import seed_synthetic
    from dispatch.clock import FakeClock
    from dispatch.config import Settings
    from dispatch.services.refresh import refresh_etas
    from dispatch.store.engine import make_engine, session_factory
    from dispatch.store.migrate import upgrade
    from dispatch.store.uow import SqlUnitOfWork

    settings = Settings.from_env()
    travel = default_travel(settings)
    clock = FakeClock(datetime.fromisoformat("2026-11-24T10:00:00+01:00"))
    with tempfile.TemporaryDirectory(prefix="fd-refresh-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'refresh.sqlite3'}")
        upgrade(engine)
        uow = SqlUnitOfWork(session_factory(engine))
        with typer.progressbar(length=technicians, label="seeding", file=None) as bar:
            seed_synthetic(uow, clock, travel, technicians, visits, seed, bar.update)
        compute: list[float] = []
        total: list[float] = []
        report = None
        for _ in range(cycles):
            # a live refresh runs every minute: every cycle re-times every route
            clock.advance(timedelta(seconds=60))
            report = refresh_etas(uow, clock, travel)
            compute.append(report.compute_seconds)
            total.append(report.seconds)
        engine.dispose()
    assert report is not None
    result = {
        "technicians": report.technicians,
        "visits": report.visits,
        "travel": type(travel).__name__,
        "compute_s": {
            "min": round(min(compute), 3),
            "median": round(statistics.median(compute), 3),
            "max": round(max(compute), 3),
        },
        "with_sqlite_write_s": {
            "min": round(min(total), 3),
            "median": round(statistics.median(total), 3),
            "max": round(max(total), 3),
        },
    }
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
