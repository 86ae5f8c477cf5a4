"""Two real `dispatch worker` processes: one leads, the other takes over on SIGKILL."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from dispatch.store.migrate import upgrade

INTERVAL_S = 2.0


def worker_url(database_url: str) -> str:
    if "#schema=" not in database_url:
        return database_url
    base, schema = database_url.split("#schema=", 1)
    return f"{base}?options={quote(f'-csearch_path={schema}')}"


def start(url: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DISPATCH_DATABASE_URL": url,
        "DISPATCH_REFRESH_INTERVAL_S": str(INTERVAL_S),
        "DISPATCH_BACKLOG_INTERVAL_S": "3600",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", "worker"],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )


def wait_for(log: Path, phrase: str, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if phrase in log.read_text():
            return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"{phrase!r} not seen in {timeout} s:\n{log.read_text()}")


@pytest.mark.slow
def test_only_one_worker_runs_jobs_and_the_other_takes_over(
    engine, database_url, tmp_path, backend
):
    upgrade(engine)
    url = worker_url(database_url)
    log_a, log_b = tmp_path / "a.log", tmp_path / "b.log"
    a = start(url, log_a)
    b = None
    try:
        wait_for(log_a, "leader, running jobs", 30)
        b = start(url, log_b)
        wait_for(log_b, "standby, another process leads", 30)
        wait_for(log_a, "refresh_etas", 10)
        time.sleep(2 * INTERVAL_S)
        assert "refresh_etas" not in log_b.read_text()
        assert "leader" not in log_b.read_text().replace("another process leads", "")

        a.send_signal(signal.SIGKILL)
        a.wait(10)
        killed = time.monotonic()
        took_over = wait_for(log_b, "leader, running jobs", 4 * INTERVAL_S)
        assert took_over - killed <= 2 * INTERVAL_S + 0.5
        wait_for(log_b, "refresh_etas", 2 * INTERVAL_S + 1)
    finally:
        for p in (a, b):
            if p is not None and p.poll() is None:
                p.terminate()
                p.wait(10)
