"""``dispatch bench delivery-latency``: how long a customer waits for the message
about a change, from its commit to its arrival at their webhook endpoint."""

from __future__ import annotations

import json

import typer


def delivery_latency(
    events: int = typer.Option(100, "--events", min=1, help="bookings, one by one"),
    interval: float = typer.Option(
        0.5, "--interval", min=0.01, help="the delivery loop's interval in seconds"
    ),
    seed: int = typer.Option(1, "--seed"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Run `dispatch deliver` on a temporary SQLite database, book EVENTS tickets and
    time each message from commit to arrival: p50, p95, max (target p95 <= 2 s).

    Exits 1 when a message did not arrive or the p95 misses the target.
    """
    try:
        from benchmarks.delivery_latency import run
    except ImportError as exc:  # aiosmtpd (imported with the receiver) missing
        typer.echo(f"error: {exc}; install the dev extra: pip install -e '.[dev]'", err=True)
        raise typer.Exit(2) from exc

    figures = run(events, interval, seed)
    if as_json:
        typer.echo(json.dumps(figures.as_dict()))
    else:
        typer.echo(
            f"{figures.received} of {figures.events} messages arrived; loop every "
            f"{figures.interval_s:g} s; commit to arrival p50 {figures.p50_s:.3f} s, "
            f"p95 {figures.p95_s:.3f} s, max {figures.max_s:.3f} s "
            f"(target p95 <= {figures.target_p95_s:g} s: {'met' if figures.met else 'MISSED'})"
        )
    if not figures.met:
        raise typer.Exit(1)
