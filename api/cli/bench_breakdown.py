"""``dispatch bench breakdown`` and ``slowdown``: a breakdown, and snow over the whole area,
on a busy live day, from the report to the customers' messages queued (issue 14).
Methods: ``benchmarks/breakdown_bench.py`` and ``benchmarks/slowdown_bench.py``."""

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
