"""``dispatch bench slots``: slots and slot bookings over a booked fortnight at fleet
scale (issue 13). Method: ``benchmarks/slots_bench.py`` and docs/benchmarks.md."""

from __future__ import annotations

import json

import typer


def slots(
    technicians: int = typer.Option(200, "--technicians", min=1),
    days: int = typer.Option(14, "--days", min=1, max=31, help="working days booked ahead"),
    visits: int = typer.Option(10, "--visits", min=1, help="appointments per technician-day"),
    tickets: int = typer.Option(30, "--tickets", min=1, help="new tickets to find slots for"),
    seed: int = typer.Option(1, "--seed"),
    haversine: bool = typer.Option(False, "--haversine", help="straight lines, not the roads"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time GET /slots and POST /book (a slot) against a booked fortnight."""
    from api.cli.travel import bench_travel
    from benchmarks.slots_bench import run

    travel = bench_travel(haversine)
    result = run(travel, technicians, days, visits, tickets, seed,
                 say=lambda m: typer.echo(m, err=True))  # fmt: skip
    typer.echo(json.dumps(result, indent=1) if as_json else result)
