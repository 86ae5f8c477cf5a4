"""``dispatch bench messages``: what customers hear on simulated days, against what
really happened (false alarms, announced slips, change messages per customer, interval
coverage per horizon, first promise kept). Definitions: ``benchmarks/message_kpis.py``
and docs/benchmarks.md."""

from __future__ import annotations

import json
from typing import Any

import typer

# "--seeds 1 2 3": the values after the first reach the command as extra arguments.
CONTEXT: dict[str, Any] = {"allow_extra_args": True, "ignore_unknown_options": False}


def messages(
    ctx: typer.Context,
    technicians: int = typer.Option(30, "--technicians", min=1),
    visits: int = typer.Option(8, "--visits", min=1),
    seeds: list[int] = typer.Option([1, 2, 3], "--seeds",
                                    help="one simulated day per seed: --seeds 1 2 3"),
    haversine: bool = typer.Option(False, "--haversine",
                                   help="straight lines instead of the Puurs roads (faster)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:  # fmt: skip
    """Simulate one day per seed and measure the customer-message KPIs of issue 12."""
    from api.app import default_travel
    from benchmarks.message_kpis import HORIZONS_MIN, TARGETS, mean_row, run_day, verdicts
    from dispatch.config import Settings
    from solver.traveltime.haversine import Haversine
    from solver.traveltime.protocol import TravelTimes

    try:  # click options take one value each: "--seeds 1 2 3" leaves "2 3" as extras
        seeds = [*seeds, *(int(a) for a in ctx.args)]
    except ValueError as exc:
        raise typer.BadParameter(f"unexpected arguments {ctx.args}: seeds are integers") from exc
    settings = Settings.from_env()
    travel: TravelTimes = (
        Haversine(settings.average_speed_kmh, settings.detour_factor)
        if haversine
        else default_travel(settings)
    )
    days = []
    for seed in seeds:
        day = run_day(travel, technicians, visits, seed)
        days.append(day)
        if not as_json:
            cov = " ".join(f"{day.coverage[f'{h}min']:.2f}" for h in HORIZONS_MIN)
            typer.echo(
                f"seed {seed}: false alarms {day.false_alarm_rate:.1%} "
                f"({day.false_alarms}/{day.customers_with_change}), announced "
                f"{day.announced_rate:.1%} ({day.announced}/{day.outside_first_window}; "
                f"by a change message {day.announced_by_change}), "
                f"max changes {day.max_changes_per_customer}, coverage 2h/1h/30m/10m {cov}, "
                f"first promise kept {day.first_promise_kept:.1%}, "
                f"{day.change_messages} change msgs, {day.arrivals} arrivals "
                f"({day.seconds:.0f} s)"
            )
    mean = mean_row(days)
    ok = verdicts(mean)
    result = {
        "technicians": technicians,
        "visits_per_technician": visits,
        "travel": type(travel).__name__,
        "days": [d.as_dict() for d in days],
        "mean": mean,
        "targets": TARGETS,
        "met": ok,
    }
    if as_json:
        typer.echo(json.dumps(result, indent=1, default=str))
    else:
        for k, met in ok.items():
            typer.echo(f"{k}: {'met' if met else 'MISSED'} (target {TARGETS[k]})")
