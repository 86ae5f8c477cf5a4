"""Engines for SQLite (the embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import uuid
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, decide when transactions begin (see below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn: Any) -> None:
            # A booking reads a route and then writes it. With SQLite's default deferred
            # transactions two such bookings deadlock on the upgrade to a write lock and
            # one fails at once; taking the write lock up front makes them queue instead.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


_STORE_IDS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def store_id(engine: Engine) -> str:
    """A name for this database that process-local caches can key on.

    Two engines never share one, even for the same URL, so a cache can never hand one
    database's rows to another (tests create a fresh database per test).
    """
    found = _STORE_IDS.get(engine)
    if found is None:
        found = _STORE_IDS.setdefault(engine, uuid.uuid4().hex)
    return found


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
