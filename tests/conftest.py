"""Shared fixtures: a migrated database per test, on SQLite and (when
``TEST_POSTGRES_URL`` is set) on PostgreSQL, a fake clock, and a seeded demo fleet.

PostgreSQL tests run inside a schema made for the test and dropped after it, so the
``test`` database is left exactly as it was found.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bearer_tokens import bearer
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from api.app import create_app
from dispatch.clock import FakeClock
from dispatch.config import Settings
from dispatch.services.seed import seed_fleet, seed_skills
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.migrate import upgrade
from dispatch.store.uow import SqlUnitOfWork
from fixtures import load_json
from solver.traveltime.haversine import Haversine

BRUSSELS = ZoneInfo("Europe/Brussels")
# A Tuesday morning: the day shifts (07:00, 08:00) are on, the night on-call is off.
MORNING = datetime(2026, 11, 24, 9, 0, tzinfo=BRUSSELS)
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set"),
        ],
    ),
]


def _postgres_engine(schema: str) -> Engine:
    assert POSTGRES_URL
    return make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema yet) on the requested backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'dispatch.sqlite3'}"
        return
    assert POSTGRES_URL
    schema = f"fd_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # pragma: no cover - depends on the machine
        admin.dispose()
        pytest.skip(f"PostgreSQL at TEST_POSTGRES_URL is not reachable: {exc}")
    yield f"{POSTGRES_URL}#schema={schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def engine_for(url: str) -> Engine:
    if "#schema=" in url:
        return _postgres_engine(url.split("#schema=", 1)[1])
    return make_engine(url)


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    engine = engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade(empty_engine)
    return empty_engine


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(session_factory(engine))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MORNING)


@pytest.fixture
def travel() -> Haversine:
    return Haversine(speed_kmh=35.0, detour_factor=1.3)


@pytest.fixture
def fleet(uow: SqlUnitOfWork, clock: FakeClock) -> SqlUnitOfWork:
    """The demo skills and fleet, on the shifts that cover MORNING."""
    seed_skills(uow, load_json("skills.json"))
    seed_fleet(uow, clock, load_json("demo_fleet.json"))
    return uow


@pytest.fixture
def client(engine: Engine, fleet: SqlUnitOfWork, clock: FakeClock, travel: Haversine) -> TestClient:
    """The API as an admin, who may call everything (the matrix's own test checks roles)."""
    settings = Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"})
    app = create_app(settings, engine=engine, clock=clock, travel=travel)
    return TestClient(app, raise_server_exceptions=False, headers=bearer())


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_URL:
        return f"PostgreSQL tests: enabled ({POSTGRES_URL.split('@')[-1]})"
    return "PostgreSQL tests: skipped (set TEST_POSTGRES_URL to run them)"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """Say how many tests ran per database, so a run shows PostgreSQL was really used."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            for db in ("sqlite", "postgres"):
                if f"[{db}" in nodeid or f"-{db}]" in nodeid:
                    counts.setdefault(db, {}).setdefault(outcome, 0)
                    counts[db][outcome] += 1
    for db, by_outcome in sorted(counts.items()):
        parts = ", ".join(f"{n} {o}" for o, n in sorted(by_outcome.items()))
        terminalreporter.write_line(f"database tests on {db}: {parts}")


@pytest.fixture
def book_for(fleet: SqlUnitOfWork, clock: FakeClock, travel: Haversine):
    """Book visits at the given offsets from a technician's home, quoted then booked
    through the use cases; returns the technician and the ticket ids in booking order."""
    from dispatch.domain.model import Customer, GeoPoint
    from dispatch.services.bookings import book
    from dispatch.services.tickets import NewTicket, create_ticket

    def make(code: str, offsets: list[tuple[float, float]], minutes: int = 30):
        with fleet:
            tech = fleet.technicians.by_code(code)
        assert tech is not None
        ids = []
        for k, (dlat, dlon) in enumerate(offsets):
            created = create_ticket(
                fleet,
                clock,
                travel,
                NewTicket(
                    customer=Customer(f"C{k}"),
                    location=GeoPoint(tech.home.lat + dlat, tech.home.lon + dlon),
                    kind="charger_offline",
                    skills=frozenset({"ac_charger"}),
                    service=timedelta(minutes=minutes),
                ),
                quote_only=True,
            )
            book(fleet, clock, travel, created.ticket.id, tech.id)
            ids.append(created.ticket.id)
        return tech, ids

    return make
