"""``dispatch bench breakdown``, ``slowdown`` and ``reports``: a breakdown and snow on a busy
live day, from the report to the customers' messages queued (issue 14), and the case
reports over a generated history (issue 15). Methods: ``benchmarks/breakdown_bench.py``,
``benchmarks/slowdown_bench.py`` and ``benchmarks/reports_bench.py``."""

from __future__ import annotations

import json

import typer


def breakdown(
    technicians: int = typer.Option(200, "--technicians", min=2),
    visits: int = typer.Option(12, "--visits", min=1, help="visits of the one who breaks down"),
    others: int = typer.Option(8, "--others", min=0, help="visits of every other technician"),
    seed: int = typer.Option(1, "--seed"),
    haversine: bool = typer.Option(False, "--haversine", help="straight lines, not the roads"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time a breakdown on a live day: recorded, work handed over, messages queued."""
    from api.cli.travel import bench_travel
    from benchmarks.breakdown_bench import run

    travel = bench_travel(haversine)
    result = run(travel, technicians, visits, others, seed, say=lambda m: typer.echo(m, err=True))
    typer.echo(json.dumps(result, indent=1) if as_json else result)


def slowdown(
    technicians: int = typer.Option(50, "--technicians", min=1),
    visits: int = typer.Option(10, "--visits", min=1, help="visits of every technician"),
    factor: float = typer.Option(1.4, "--factor", min=1.01, max=5.0),
    seed: int = typer.Option(1, "--seed"),
    haversine: bool = typer.Option(False, "--haversine", help="straight lines, not the roads"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time snow over the whole area: recorded, routes re-timed, every customer told."""
    from api.cli.travel import bench_travel
    from benchmarks.slowdown_bench import run

    travel = bench_travel(haversine)
    result = run(travel, technicians, visits, factor, seed, say=lambda m: typer.echo(m, err=True))
    typer.echo(json.dumps(result, indent=1) if as_json else result)


def reports(
    cases: int = typer.Option(50_000, "--cases", min=10),
    technicians: int = typer.Option(200, "--technicians", min=1),
    days: int = typer.Option(90, "--days", min=1, max=366),
    repeat: int = typer.Option(5, "--repeat", min=1),
    postgres: str = typer.Option("", "--postgres", envvar="TEST_POSTGRES_URL",
                                 help="a PostgreSQL URL to run on too (its own schema)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time the service and technicians' reports over a generated history (issue 15)."""
    from benchmarks.reports_bench import run

    result = run(cases, technicians, days, repeat, postgres or None,
                 say=lambda m: typer.echo(m, err=True))  # fmt: skip
    typer.echo(json.dumps(result, indent=1) if as_json else result)
