"""The in-memory unit of work keeps the SQL one's promises, and opens no database."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy
import sqlalchemy.orm
from builders import MORNING, TRAVEL, demo_fleet, new_ticket, technician, visit

from dispatch.clock import FakeClock
from dispatch.domain.events import Event, PromiseChanged, VisitBooked
from dispatch.domain.model import TimeWindow
from dispatch.domain.route import Route
from dispatch.services.refresh import refresh_etas
from dispatch.services.routes import get_route
from dispatch.services.tickets import create_ticket
from dispatch.store.engine import make_engine

HOUR = timedelta(hours=1)


def test_the_guard_refuses_every_way_to_a_database(tmp_path: Path) -> None:
    for opening in (
        lambda: sqlite3.connect(tmp_path / "x.sqlite3"),
        lambda: sqlite3.dbapi2.connect(":memory:"),
        lambda: sqlalchemy.create_engine("sqlite://"),
        lambda: make_engine(f"sqlite:///{tmp_path / 'y.sqlite3'}"),
        lambda: sqlalchemy.orm.Session(),
    ):
        with pytest.raises(AssertionError, match="must not open a database"):
            opening()
    assert list(tmp_path.iterdir()) == []


def test_a_morning_of_use_cases_runs_without_a_database(
    clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative SQLite path would land here
    uow = demo_fleet(clock)
    created = create_ticket(uow, clock, TRAVEL, new_ticket(), idempotency_key="k")
    assert created.technician is not None
    refresh_etas(uow, clock, TRAVEL)
    assert [v.ticket_id for v in get_route(uow, created.technician.id).stops] == [1]
    assert list(tmp_path.iterdir()) == []


def test_leaving_without_a_commit_or_rolling_back_discards_the_changes(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    with uow:
        uow.skills.upsert("welding", "Welding")
    with uow:
        assert "welding" not in uow.skills.codes()
        uow.skills.upsert("welding", "Welding")
        uow.rollback()
        assert "welding" not in uow.skills.codes()
        uow.skills.upsert("painting", "Painting")
        uow.commit()
    with uow:
        assert "painting" in uow.skills.codes()


def test_save_claims_the_version_read_or_writes_nothing(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    tech_id = technician(uow, "cpo-jan").id
    with uow:
        mine, theirs = uow.routes.get(tech_id), uow.routes.get(tech_id)
        mine.book(visit(7, 0, MORNING, technician_id=tech_id), 0, MORNING, None)
        theirs.book(visit(8, 0, MORNING, technician_id=tech_id), 0, MORNING, None)
        assert uow.routes.save(mine) is True
        assert (mine.version, mine.events, [type(e) for e in mine.outgoing]) == (
            1, [], [VisitBooked]
        )  # fmt: skip
        assert uow.routes.save(theirs) is False
        assert theirs.events and theirs.version == 0
        assert uow.routes.saved() == [mine]
        assert [v.ticket_id for v in uow.routes.get(tech_id).visits] == [7]
        uow.commit()
        assert mine.outgoing == []
    with uow:
        assert uow.technicians.route_versions([tech_id]) == {tech_id: 1}
        assert [k for k, _, _ in uow.outbox.all()] == [VisitBooked.kind]


def test_commit_queues_each_event_once_by_its_promise_version(clock: FakeClock) -> None:
    uow = demo_fleet(clock)
    tech_id = technician(uow, "cpo-jan").id

    def push_later(route: Route) -> list[Event]:
        """Move visit 7 past its promise; returns the events that raised."""
        window = route.visit(7).window
        later = TimeWindow(window.end + HOUR / 60, window.end + HOUR)  # the ETA leaves it
        route.retime(7, eta=later.start, now=MORNING, window=later)
        return list(route.events)

    with uow:
        route = uow.routes.get(tech_id)
        route.book(visit(7, 0, MORNING, technician_id=tech_id), 0, MORNING, None)
        first_move = push_later(route)
        uow.routes.save(route)
        uow.commit()
        route.outgoing.extend(first_move)  # a retried job raises the same change again
        uow.routes.save(route)
        uow.commit()
        push_later(route)  # a real second change
        uow.routes.save(route)
        uow.commit()
    with uow:
        queued = [(k, p["promise_version"]) for k, _, p in uow.outbox.all()]
    assert queued == [(VisitBooked.kind, 1), (PromiseChanged.kind, 2), (PromiseChanged.kind, 3)]
