"""``dispatch simulate``: a whole day (or two, to compare) through the real use cases on
a simulated clock, in seconds, with a progress bar and a one-screen summary; the KPIs as
JSON and the report as one self-contained HTML file (docs/simulator.md)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:  # loaded when the command runs: every CLI command imports this module
    from simulator.run import Result
    from simulator.scenario import Scenario


def _scenario(path: Path, seed: int | None) -> Scenario:
    from simulator.scenario import ScenarioError, load

    try:
        sc = load(path)
    except ScenarioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    return sc.model_copy(update={"seed": seed}) if seed is not None else sc


def _run(sc: Scenario) -> Result:
    from simulator.run import simulate

    logging.getLogger("solver").setLevel(logging.ERROR)  # the bar, not the solver's chatter
    with typer.progressbar(length=1000, label=f"{sc.name} (seed {sc.seed})",
                           file=None) as bar:  # fmt: skip
        done = [0]

        def progress(share: float) -> None:
            now = int(min(1.0, share) * 1000)
            bar.update(max(0, now - done[0]))
            done[0] = max(done[0], now)

        result = simulate(sc, progress)
        bar.update(1000 - done[0])
    return result


def _line(key: str, value: str, verdict: bool | None, target: str) -> str:
    mark = {True: "ok ", False: "MISS", None: "   "}[verdict]
    return f"  {mark} {key:34} {value:>28}  {target}"


def summary(r: Result) -> str:
    from simulator import metrics as kpi
    from simulator.report import value_text

    run = r.as_json()["run"]
    lines = [f"{r.scenario.name}, seed {r.scenario.seed}: {run['tickets']} tickets, "
             f"{len(r.day.arrivals)} arrivals, {len(r.day.told)} messages, "
             f"{len(r.day.disruptions)} disruptions; simulated in {run['seconds']} s "
             f"({run['replans_applied']}/{run['replans']} replans applied, "
             f"{run['rejected_events']} events refused)"]  # fmt: skip
    lines += [_line(k, value_text(k, v), r.verdicts.get(k), kpi.TARGETS.get(k, ""))
              for k, v in r.metrics.items()]  # fmt: skip
    rp = r.replans
    lines.append(f"  replans: {rp['moved']} visits to another technician (at most "
                 f"{rp['told_moved_share_max']:.1%} of the told per replan), {rp['reordered']} "
                 f"reordered, {rp['driving_saved_min']} min of driving saved")  # fmt: skip
    snow = r.told_before_window
    if snow["of"]:
        mark = "ok " if snow["n"] == snow["of"] else "MISS"
        lines.append(f"  {mark} {'told before their window (slowdown)':34} "
                     f"{snow['n']:>21} of {snow['of']:<4}  = all")  # fmt: skip
    missed = [k for k, ok in r.verdicts.items() if ok is False]
    lines.append(f"targets missed: {', '.join(missed)}" if missed else "every target met")
    return "\n".join(lines)


def simulate_cmd(
    scenario: Path = typer.Option(None, "--scenario", help="a scenario file (YAML)"),
    seed: int = typer.Option(None, help="overrides the scenario's seed"),
    json_out: Path = typer.Option(None, "--json", help="write the KPIs here as JSON"),
    report: Path = typer.Option(None, help="write the HTML report here"),
    compare: tuple[Path, Path] | None = typer.Option(None, help="A.yaml B.yaml: a what-if, "
                                                     "both with the same seed"),
) -> None:
    """Replay a day at full speed and measure every promise (docs/simulator.md)."""
    from simulator import metrics as kpi
    from simulator.report import render, render_compare, write

    if compare is not None:
        a_sc = _scenario(compare[0], seed)
        b_sc = _scenario(compare[1], seed if seed is not None else a_sc.seed)
        a, b = _run(a_sc), _run(b_sc)
        typer.echo(summary(a) + "\n\n" + summary(b))
        diff = kpi.compare(a.metrics, b.metrics)
        out: dict[str, Any] = {"a": a.as_json(), "b": b.as_json(), "b_minus_a": diff}
        if report:
            html = render_compare(a.day, a.metrics, b.day, b.metrics, diff,
                                  (a_sc.name, b_sc.name), kpi.TARGETS, a.verdicts,
                                  b.verdicts)  # fmt: skip
            typer.echo(f"report: {write(report, html)}")
    elif scenario is not None:
        r = _run(_scenario(scenario, seed))
        typer.echo(summary(r))
        out = r.as_json()
        if report:
            html = render(r.day, r.metrics, kpi.TARGETS, r.verdicts)
            typer.echo(f"report: {write(report, html)}")
    else:
        raise typer.BadParameter("give --scenario FILE, or --compare A.yaml B.yaml")
    if json_out:
        json_out.write_text(json.dumps(out, indent=2, allow_nan=False) + "\n", encoding="utf-8")
        typer.echo(f"json: {json_out}")
