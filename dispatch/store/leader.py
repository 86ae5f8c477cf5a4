"""Exactly one process runs the clock-driven jobs.

On PostgreSQL a session-level advisory lock is held on a dedicated connection: when the
leader dies, even by SIGKILL, the server drops its connection and the lock with it, and
a standby's next try succeeds. On SQLite (one machine by definition) an exclusive
``flock`` on a file beside the database gives the same guarantee.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url

LOCK_KEY = 0x0F1E1D  # the advisory lock id: "field dispatch", with the schema's hash as
# the second key: deployments (or test runs) in separate schemas of one server each
# have their own leader


class LeaderLock:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    def try_acquire(self) -> bool:
        if self.held:
            return True
        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect()
            got = bool(
                conn.execute(
                    text("SELECT pg_try_advisory_lock(:k, hashtext(current_schema()))"),
                    {"k": LOCK_KEY},
                ).scalar()
            )
            conn.commit()
            if got:
                self._conn = conn
            else:
                conn.close()
            return got
        path = self._lock_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = path.open("w")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.write(str(os.getpid()))
        fh.flush()
        self._file = fh
        return True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # the server drops the session lock with the connection
            self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def _lock_path(self) -> Path:
        db = make_url(str(self.engine.url)).database
        if db and db != ":memory:":
            return Path(db).with_suffix(".leader.lock")
        return Path("var") / "dispatch.leader.lock"
