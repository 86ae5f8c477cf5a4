"""`dispatch bench breakdown` as a reader of docs/benchmarks.md reruns it, at toy scale:
every affected visit accounted for, and every moved one's customer told."""

import json

from typer.testing import CliRunner

from api.cli.main import app


def test_bench_breakdown_accounts_for_every_visit_and_tells_whoever_moved():
    args = ["bench", "breakdown", "--technicians", "8", "--visits", "6", "--others", "3",
            "--haversine", "--json"]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output[r.output.index("{") :])
    assert out["affected"] == 6 and out["visits"] == 7 * 3 + 6
    assert out["moved"] + out["stuck"] + out["started"] == out["affected"]
    assert out["moved"] > 0 and out["customers_told"] == out["moved"]
    assert out["seconds"]["total"] > 0 and out["target_total_s"] == 10
