"""`dispatch bench delivery-latency` as a reader of docs/benchmarks.md reruns it, on a
few events: every message arrives, and the figures are the JSON the docs quote."""

import json

from typer.testing import CliRunner

from api.cli.main import app


def test_bench_delivery_latency_times_every_message_from_commit_to_arrival():
    r = CliRunner().invoke(
        app, ["bench", "delivery-latency", "--events", "5", "--interval", "0.2", "--json"]
    )
    assert r.exit_code == 0, r.output
    figures = json.loads(r.output[r.output.index("{") :])
    assert figures["events"] == figures["received"] == 5
    assert 0 < figures["p50_s"] <= figures["p95_s"] <= figures["max_s"] < 2.0
    assert figures["met"] is True
