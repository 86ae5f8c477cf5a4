"""``dispatch plan-night`` (re-optimise later dates now, as the scheduler does each night),
and ``dispatch bench nightly`` (one booked date at fleet scale; docs/benchmarks.md)."""

from __future__ import annotations

import json
from datetime import date

import typer


def plan_night(
    day: str | None = typer.Option(
        None, "--date", help="one date (YYYY-MM-DD); else the next --days"
    ),
    days: int = typer.Option(14, "--days", min=1, max=62),
    seconds: float = typer.Option(30.0, "--seconds", min=0.5, help="optimiser time per date"),
) -> None:
    """Re-optimise booked later dates without breaking a promise; prints what changed."""
    from api.app import default_travel
    from dispatch.config import Settings
    from dispatch.domain.errors import DispatchError
    from dispatch.services.nightly_plan import nightly_plans, plan_date
    from dispatch.store.engine import make_engine, session_factory
    from dispatch.store.uow import SqlUnitOfWork

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    uow, clock, travel = (
        SqlUnitOfWork(session_factory(engine)),
        settings.clock(),
        default_travel(settings),
    )
    if day is not None:
        try:
            wanted = date.fromisoformat(day)
        except ValueError as exc:
            raise typer.BadParameter(f"{day!r} is not a date like 2026-12-07") from exc
        try:
            reports = [plan_date(uow, travel, wanted, clock.now(), seconds)]
        except DispatchError as exc:  # a date outside the calendar, say
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
    else:
        reports = nightly_plans(uow, clock, travel, settings.timezone.key, days, seconds)
    for r in reports:
        if r.visits or day is not None:
            typer.echo(
                f"{r.day}: {r.reason}; {r.visits} visits, driving {r.travel_before_s / 60:.0f}"
                f" -> {r.travel_after_s / 60:.0f} min, {r.moved} handed over, "
                f"{r.placed_orphans} taken from someone off, {r.seconds:.1f} s"
            )
    engine.dispose()


def nightly(
    technicians: int = typer.Option(200, "--technicians", min=1),
    visits: int = typer.Option(10, "--visits", min=1, help="appointments per technician"),
    seconds: float = typer.Option(50.0, "--seconds", min=0.5, help="optimiser time"),
    seed: int = typer.Option(1, "--seed"),
    peer: bool = typer.Option(True, "--peer/--no-peer", help="also OR-Tools alone, same budget"),
    haversine: bool = typer.Option(False, "--haversine", help="straight lines, not the roads"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time the nightly plan of one booked date and count broken promises."""
    from api.cli.travel import bench_travel
    from benchmarks.nightly_bench import run

    result = run(
        bench_travel(haversine),
        technicians,
        visits,
        seconds,
        seed,
        peer,
        say=lambda m: typer.echo(m, err=True),
    )
    typer.echo(json.dumps(result, indent=1) if as_json else result)

