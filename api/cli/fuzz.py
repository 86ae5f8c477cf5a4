"""``dispatch fuzz``: schemathesis against a live server, every check, a fixed seed.

The server is the benchmarks' (a seeded SQLite day on loopback); schemathesis reads its
``/openapi.json``, logs in as an admin through ``api.cli.fuzz_hooks`` (so the protected
endpoints are fuzzed, not only their 401s) and sends generated valid and invalid
requests. The run fails on any server error or any answer outside the document.
Rate limits are raised for the run: a fuzzer is one address sending thousands of
requests, and the limits have their own tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import typer

from api.cli.bench_http import BENCH_PASSWORD, live_server

CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"


def fuzz(
    max_examples: int = typer.Option(60, help="test cases per operation"),
    seed: int = typer.Option(16, help="schemathesis' seed: the same run every time"),
    min_cases: int = typer.Option(0, help="fail when fewer cases were run"),
    report: Path | None = typer.Option(None, help="also write a JUnit XML report here"),
) -> None:
    """Fuzz the HTTP API; exit 1 on any failure (or fewer than --min-cases cases)."""
    raised = {"DISPATCH_PUBLIC_RATE": "1000000/minute", "DISPATCH_LOGIN_RATE": "1000000/minute"}
    with live_server(10, 2, seed, raised, role="admin") as (base, env, _login):
        cmd = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG),
               "--no-color", "run", f"{base}/openapi.json",
               "--checks", "all", "--seed", str(seed), "--max-examples", str(max_examples),
               "--generation-database", "none",
               # the live stream never ends by design (tests/e2e/test_live_stream.py
               # checks it); a timeout turns any other endless answer into a failure
               "--exclude-path", "/api/stream", "--request-timeout", "20",
               "--workers", "1"]  # fmt: skip
        if report:
            cmd += ["--report", "junit", "--report-junit-path", str(report.resolve())]
        run_env = {**env, "SCHEMATHESIS_HOOKS": "api.cli.fuzz_hooks", "FD_FUZZ_BASE": base,
                   "FD_FUZZ_USER": "bench", "FD_FUZZ_PASSWORD": BENCH_PASSWORD}  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="fd-fuzz-") as scratch:  # its cache dir
            done = subprocess.run(cmd, env=run_env, capture_output=True, text=True,
                                  cwd=scratch)  # fmt: skip
    typer.echo(done.stdout)
    typer.echo(done.stderr[-3000:], err=True)
    cases = _cases(done.stdout)
    typer.echo(f"fuzz: {cases} test cases, schemathesis exit {done.returncode}")
    if done.returncode != 0 or cases < min_cases:
        raise typer.Exit(1)


def _cases(summary: str) -> int:
    """The number of generated test cases from schemathesis' summary."""
    found = re.findall(r"(\d+) generated", summary)
    return int(found[-1]) if found else 0
