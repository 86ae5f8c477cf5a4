"""`dispatch bench breakdown` and `slowdown` as a reader of docs/benchmarks.md reruns them,
at toy scale: every affected visit accounted for, every customer told once."""

import json

from typer.testing import CliRunner

from api.cli.main import app


def run(*args: str) -> dict:
    r = CliRunner().invoke(app, ["bench", *args, "--haversine", "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output[r.output.index("{") :])


def test_bench_breakdown_accounts_for_every_visit_and_tells_each_customer_once():
    out = run("breakdown", "--technicians", "8", "--visits", "6", "--others", "3")
    assert out["affected"] == 6 and out["visits"] == 7 * 3 + 6
    outcomes = out["outcomes"]
    assert sum(outcomes.values()) == out["affected"]
    told = outcomes.get("moved", 0) + outcomes.get("offered", 0) + outcomes.get("started", 0)
    assert out["customers_told"] == told and out["customers_told_twice"] == 0
    assert out["seconds"]["total"] > 0 and out["target_total_s"] == 10


def test_bench_slowdown_tells_every_customer_in_the_area_once():
    out = run("slowdown", "--technicians", "4", "--visits", "5")
    assert out["visits"] == 20 and out["customers_told"] == 20
    assert sum(out["outcomes"].values()) == 20
    assert out["ratio_to_refresh"] > 0 and out["target_total_s"] == 60


def test_bench_reports_runs_both_reports_at_toy_scale():
    args = ["bench", "reports", "--cases", "200", "--technicians", "5", "--days", "10",
            "--repeat", "1", "--postgres", "", "--json"]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output[r.output.index("{") :])
    [sqlite] = out["runs"]
    assert sqlite["database"] == "sqlite" and sqlite["tickets"] == 240  # 40 repeat visits
    assert sqlite["service"]["median_s"] > 0 and out["target_s"] == 1.0
