"""``dispatch bench large-day``: 4,000 visits for 200 technicians on road times, planned
in parts by parallel workers, then replanned after urgent tickets arrive, each plan
checked independently; with ``--whole``, one search over the whole day beside it."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from solver.model import Problem
    from solver.model.solution import Solution


def large_day(
    technicians: int = typer.Option(200, "--technicians", min=2),
    per_technician: int = typer.Option(20, "--per-technician", min=1, max=40),
    urgent: int = typer.Option(10, "--urgent", min=0),
    time_limit: float = typer.Option(50.0, "--time-limit", min=1, help="seconds, first plan"),
    replan_limit: float = typer.Option(15.0, "--replan-limit", min=1,
                                       help="seconds, the replan with the urgent tickets"),
    workers: int = typer.Option(2, "--workers", min=1, help="worker processes"),
    whole: bool = typer.Option(False, "--whole", help="also one search over the whole day, "
                               "same limit, one process (the peer)"),
    seed: int = typer.Option(1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:  # fmt: skip
    """Plan a national-size day (Puurs and Liechtenstein roads) and replan it."""
    from benchmarks.large_day import large_day as build
    from solver.checker import check
    from solver.routing import SearchConfig, solve
    from solver.routing.large_day import plan_day

    began = time.perf_counter()
    day = build(technicians, per_technician, urgent, seed)
    built = time.perf_counter() - began

    def say(line: str) -> None:
        if not as_json:
            typer.echo(line)

    say(f"{len(day.problem.visits)} visits, {technicians} technicians, {len(day.urgent)} "
        f"urgent later; matrices in {built:.1f} s")  # fmt: skip
    out: dict[str, object] = {"visits": len(day.problem.visits), "technicians": technicians,
                              "urgent": len(day.urgent), "matrix_s": round(built, 1)}  # fmt: skip

    def row(label: str, problem: Problem, solution: Solution, took: float) -> dict[str, object]:
        broken = check(problem, solution)
        hours = round(solution.travel / 3600, 2)
        r: dict[str, object] = {"seconds": round(took, 1), "driving_h": hours,
                                "dropped": len(solution.dropped),
                                "violations": len(broken)}  # fmt: skip
        say(f"{label:34} {took:6.1f} s  driving {hours:7.2f} h  dropped "
            f"{len(solution.dropped):4}  violations {len(broken)}")  # fmt: skip
        for e in broken[:5]:
            say(f"    ! {e}")
        return r

    config = SearchConfig.for_budget(time_limit)
    t = time.perf_counter()
    first = plan_day(day.problem, config, workers=workers)
    out["first_plan"] = row(f"first plan, in parts, {workers} workers", day.problem, first,
                            time.perf_counter() - t)  # fmt: skip
    later = day.with_urgent()
    moving = replace(SearchConfig.for_budget(replan_limit), move_cost=180)  # the replan's price
    t = time.perf_counter()
    again = plan_day(later, moving, first.order(), workers=workers)
    took = time.perf_counter() - t
    out_replan = row(f"replan +{len(day.urgent)} urgent", later, again, took)
    before = first.assignment()
    moved = sum(1 for v, k in again.assignment().items() if v in before and before[v] != k)
    served = sum(1 for u in day.urgent if u.id in again.assignment())
    out["replan"] = {**out_replan, "urgent_served": served, "moved": moved}
    say(f"    urgent served {served} of {len(day.urgent)}; {moved} booked visits moved")
    if whole:
        t = time.perf_counter()
        one = solve(day.problem, config)
        out["whole_day_one_search"] = row("one search over the whole day", day.problem, one,
                                          time.perf_counter() - t)  # fmt: skip
    if as_json:
        typer.echo(json.dumps(out))
