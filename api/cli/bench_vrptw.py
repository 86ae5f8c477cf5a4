"""``dispatch bench vrptw``: the day optimiser on Solomon instances, checked and scored."""

from __future__ import annotations

import csv
import statistics
from dataclasses import replace
from pathlib import Path

import typer

SHARED_BKS = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "vrptw" / "bks.csv"


def default_bks(files: list[Path]) -> Path | None:
    """The shared layout keeps ``bks.csv`` one folder above the instances; look there
    first so a clone anywhere on disk still scores ``../shared/.../solomon/*.txt``."""
    for f in files:
        for folder in (f.resolve().parent, f.resolve().parent.parent):
            if (folder / "bks.csv").is_file():
                return folder / "bks.csv"
    return SHARED_BKS if SHARED_BKS.is_file() else None


def vrptw(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False),
    time_limit: float = typer.Option(10.0, "--time-limit", min=0.1, help="seconds per instance"),
    csv_out: Path | None = typer.Option(None, "--csv", help="write one row per instance"),
    routes: Path | None = typer.Option(None, "--routes", help="write DIR/<instance>.sol"),
    bks: Path | None = typer.Option(None, "--bks", help="best-known CSV (instance,...,distance)"),
    baseline: bool = typer.Option(
        False, "--baseline", help="also run the default OR-Tools setup (PATH_CHEAPEST_ARC + GLS)"
    ),
) -> None:
    """Solve each instance, check it independently, and print the gap to the best known."""
    from solver.routing import SearchConfig
    from solver.vrptw.bench import BASELINE, Row, run
    from solver.vrptw.io import read_bks

    bks_path = bks or default_bks(files)
    if bks_path is None:
        typer.echo("no best-known CSV found next to the instances; pass --bks to score gaps")
    best = read_bks(bks_path) if bks_path else {}
    setups = [("field-dispatch", SearchConfig.for_budget(time_limit))]
    if baseline:
        setups.append(("or-tools default", replace(BASELINE, time_limit_s=time_limit)))
    all_rows: list[tuple[str, Row]] = []
    for label, config in setups:
        typer.echo(f"{label}, {time_limit:g} s per instance, one core")
        typer.echo(f"{'instance':10} {'feasible':>8} {'veh':>4} {'distance':>10} {'bks':>9} "
                   f"{'gap %':>7} {'s':>6}")  # fmt: skip
        rows = []
        for f in files:
            try:
                row = run(f, config, best, routes if label == "field-dispatch" else None)
            except ValueError as exc:  # a file that is not an instance: say which, stop
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from exc
            rows.append(row)
            all_rows.append((label, row))
            gap = "" if row.gap_pct is None else f"{row.gap_pct:.2f}"
            bk = "" if row.bks_distance is None else f"{row.bks_distance:.1f}"
            typer.echo(f"{row.instance:10} {row.feasible!s:>8} {row.vehicles:>4} "
                       f"{row.distance:>10.1f} {bk:>9} {gap:>7} {row.seconds:>6.2f}")  # fmt: skip
            for e in row.errors:
                typer.echo(f"    ! {e}")
        gaps = [r.gap_pct for r in rows if r.gap_pct is not None]
        feasible = sum(r.feasible for r in rows)
        mean = f"{statistics.mean(gaps):.2f} %" if gaps else "n/a"
        typer.echo(f"mean gap {mean} over {len(gaps)} instances; feasible {feasible}/{len(rows)}\n")
    if csv_out is not None:
        with csv_out.open("w", newline="") as fh:
            fields = ["setup", "instance", "feasible", "vehicles", "distance", "bks_distance",
                      "gap_pct", "seconds"]  # fmt: skip
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            for label, row in all_rows:
                writer.writerow({"setup": label, **row.csv()})
