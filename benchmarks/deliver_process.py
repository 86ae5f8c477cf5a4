"""``dispatch deliver`` as a real child process, for the crash test and the latency
benchmark: started against a given database, on a simulated clock that carries on
across restarts, and waited for until it is ready."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parent.parent
READY = ": every "  # the first line ``dispatch deliver`` prints, once it is set up


def cli_url(database_url: str) -> str:
    """The tests' ``<postgres url>#schema=<name>`` as a URL a child process can use:
    libpq's ``options`` puts the schema first on the search path."""
    if "#schema=" not in database_url:
        return database_url
    base, schema = database_url.split("#schema=", 1)
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


class DeliverProcess:
    """Starts ``dispatch deliver`` again and again with a clock that began at
    ``clock_start`` when this object was made, so a restarted process sees the leases
    its predecessor took on the same time line."""

    def __init__(
        self, database_url: str, log: Path, clock_start: datetime, args: list[str],
        env: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.log = log
        self.args = args
        self._clock_start = clock_start
        self._origin = time.monotonic()
        self._env = {
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHONUNBUFFERED": "1",
            "DISPATCH_DATABASE_URL": cli_url(database_url),
            **(env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> subprocess.Popen[bytes]:
        now = self._clock_start + timedelta(seconds=time.monotonic() - self._origin)
        env = {**self._env, "DISPATCH_CLOCK_START": now.isoformat(), "DISPATCH_CLOCK_SPEED": "1"}
        with self.log.open("a") as out:
            out.write(f"--- start {self.starts + 1}\n")
            out.flush()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "api.cli.main", "deliver", *self.args],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT,
            )  # fmt: skip
        self.starts += 1
        return self.proc

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until this start printed its first line (imports done, loop about to run)."""
        marker = f"--- start {self.starts}\n"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log.read_text()
            if READY in text[text.rfind(marker) :]:
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"dispatch deliver exited early:\n{text[-2000:]}")
            time.sleep(0.02)
        raise RuntimeError(f"dispatch deliver not ready within {timeout:g} s")

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM and wait; the exit code, or None if it was not running."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.terminate()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout)
            raise
