"""``dispatch bench day``: the day optimiser on a real field-service day (Puurs roads,
skills, lunch breaks, promised windows), then three urgent tickets added by a
warm-started replan -- the situation Solomon instances do not have."""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

import typer

T = TypeVar("T")


def watching_stalls(work: Callable[[], T]) -> tuple[T, float]:
    """Run ``work`` in a thread while this one wakes every millisecond; the longest
    gap between wake-ups is how long a solve beside the HTTP server would hold every
    request up (OR-Tools keeps the GIL for its whole search)."""
    out: list[T] = []
    worker = threading.Thread(target=lambda: out.append(work()))
    worker.start()
    longest, last = 0.0, time.perf_counter()
    while worker.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    worker.join()
    return out[0], longest


def day(
    time_limit: float = typer.Option(8.0, "--time-limit", min=0.5, help="seconds for the day"),
    replan_limit: float = typer.Option(5.0, "--replan-limit", min=0.5,
                                       help="seconds for the replan with 3 urgent tickets"),
    seed: int = typer.Option(4, help="which generated day"),
    repeat: int = typer.Option(1, "--repeat", min=1, help="search seeds 1..N per setup"),
    as_json: bool = typer.Option(False, "--json"),
    live_days: bool = typer.Option(False, "--live", help="the periodic replan through "
                                   "simulated days: how many told visits it moves"),
    scenarios: list[Path] = typer.Option([], "--scenario", help="with --live: a scenario "
                                         "file (repeatable; default calm, breakdown, bad)"),
) -> None:  # fmt: skip
    """Plan the sample day with each setup, check every plan independently, add three
    urgent tickets and replan from the first plan with a cost per visit moved."""
    if live_days:
        from api.cli.bench_day_live import live

        return live(scenarios, as_json)  # each scenario with its own seed
    from benchmarks.vrptw import BASELINE
    from fixtures.sample_day import puurs_day
    from solver.checker import check
    from solver.model import Problem
    from solver.routing import SearchConfig, sisr, solve

    sisr.warm_up()
    sample = puurs_day(seed)
    first_day = Problem(sample.vehicles, sample.visits, sample.durations)
    later = Problem(sample.vehicles, [*sample.visits, *sample.urgent], sample.durations)
    setups = [
        ("or-tools default", replace(BASELINE, time_limit_s=time_limit)),
        ("or-tools GLS, tuned", SearchConfig(time_limit_s=time_limit)),
        ("field-dispatch", SearchConfig.for_budget(time_limit)),
    ]
    results: list[dict[str, float | int | str]] = []
    typer.echo(f"{len(sample.visits)} visits, {len(sample.vehicles)} technicians, "
               f"{time_limit:g} s; then +{len(sample.urgent)} urgent, "
               f"{replan_limit:g} s")  # fmt: skip
    typer.echo(f"{'setup':22} {'run':>3} {'drive h':>8} {'dropped':>7} {'broken':>6} "
               f"{'s':>5} {'stall ms':>8} | {'urgent in':>9} {'moved':>5} {'drive h':>8} "
               f"{'broken':>6}")  # fmt: skip
    for label, config in setups:
        for run in range(1, repeat + 1):
            cfg = replace(config, seed=run)
            first, stall = watching_stalls(partial(solve, first_day, cfg))
            previous = {r.vehicle: [s.visit for s in r.stops] for r in first.routes}
            replan_cfg = replace(cfg, time_limit_s=replan_limit, move_cost=600)
            if label == "field-dispatch":
                replan_cfg = replace(SearchConfig.for_budget(replan_limit), move_cost=600, seed=run)
            second = solve(later, replan_cfg, previous)
            before, after = first.assignment(), second.assignment()
            moved = sum(1 for v, tech in before.items() if after.get(v) not in (tech, None))
            row: dict[str, float | int | str] = {
                "setup": label,
                "run": run,
                "drive_h": first.travel / 3600,
                "dropped": len(first.dropped),
                "broken": len(check(first_day, first)),
                "seconds": first.seconds,
                "stall_ms": stall * 1000,
                "urgent_in": sum(1 for u in sample.urgent if u.id in after),
                "moved": moved,
                "replan_drive_h": second.travel / 3600,
                "replan_broken": len(check(later, second)),
            }
            results.append(row)
            typer.echo(f"{label:22} {run:>3} {row['drive_h']:>8.2f} {row['dropped']:>7} "
                       f"{row['broken']:>6} {row['seconds']:>5.1f} {stall * 1000:>8.0f} | "
                       f"{row['urgent_in']:>6} / 3 {moved:>5} {row['replan_drive_h']:>8.2f} "
                       f"{row['replan_broken']:>6}")  # fmt: skip
    for label, _ in setups:
        mine = [float(r["drive_h"]) for r in results if r["setup"] == label]
        typer.echo(f"{label}: mean driving {statistics.mean(mine):.2f} h over {len(mine)} run(s)")
    if as_json:
        typer.echo(json.dumps(results, indent=1))
