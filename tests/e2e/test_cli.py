"""The commands `make run` relies on: migrate twice, seed twice, nothing doubles."""

from datetime import date

from typer.testing import CliRunner

from api.cli.main import app
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.uow import SqlUnitOfWork


def test_db_upgrade_and_seed_are_idempotent(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("DISPATCH_DATABASE_URL", url)
    monkeypatch.setenv("DISPATCH_CLOCK_START", "2026-11-24T10:00:00+01:00")
    runner = CliRunner()

    refused = runner.invoke(app, ["seed"])
    assert refused.exit_code == 2 and "dispatch db upgrade" in refused.output

    for _ in range(2):
        r = runner.invoke(app, ["db", "upgrade"])
        assert r.exit_code == 0, r.output
        assert "schema revision now" in r.output
    for _ in range(2):
        r = runner.invoke(app, ["seed"])
        assert r.exit_code == 0, r.output
        assert "technicians: 12" in r.output

    engine = make_engine(url)
    with SqlUnitOfWork(session_factory(engine)) as uow:
        tickets = uow.tickets.list()
        assert len(uow.technicians.all()) == 12
    engine.dispose()
    assert len(tickets) == 20
    assert sum(t.visit is not None for t in tickets) >= 15


def _day(url: str):
    engine = make_engine(url)
    with SqlUnitOfWork(session_factory(engine)) as uow:
        techs = uow.technicians.all()
        routes = {
            t.code: [(v.location.latlon, v.status.value) for v in uow.routes.get(t.id).visits]
            for t in techs
        }
    engine.dispose()
    return routes


def test_synthetic_day_is_reproducible_and_mid_route(tmp_path, monkeypatch):
    monkeypatch.setenv("DISPATCH_CLOCK_START", "2026-11-24T10:00:00+01:00")
    runner = CliRunner()
    days = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        monkeypatch.setenv("DISPATCH_DATABASE_URL", url)
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        args = ["seed", "--synthetic", "--technicians", "6", "--visits-per-technician", "4"]
        r = runner.invoke(app, [*args, "--seed", "7"])
        assert r.exit_code == 0, r.output
        assert "6 technicians, 24 visits" in r.output
        again = runner.invoke(app, [*args, "--seed", "7"])
        assert again.exit_code == 2 and "already in this database" in again.output
        days.append(_day(url))
    assert days[0] == days[1]
    statuses = [stops[0][1] for stops in days[0].values()]
    assert "en_route" in statuses and "planned" in statuses
    assert all(len(stops) == 4 for stops in days[0].values())


def test_at_night_the_demo_books_tomorrow_and_the_nightly_plan_runs_by_hand(tmp_path, monkeypatch):
    """`make run` at 23:00: the technicians' weeks say nobody works, so each demo ticket
    gets a slot tomorrow; `dispatch plan-night` then re-plans that date."""
    url = f"sqlite:///{tmp_path / 'night.sqlite3'}"
    monkeypatch.setenv("DISPATCH_DATABASE_URL", url)
    monkeypatch.setenv("DISPATCH_CLOCK_START", "2026-11-24T23:00:00+01:00")  # a Tuesday
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(app, ["seed"])
    assert r.exit_code == 0, r.output
    assert "weekly patterns: 12 set" in r.output and "tickets: 20 of 20 assigned" in r.output
    engine = make_engine(url)
    with SqlUnitOfWork(session_factory(engine)) as uow:
        ids = [t.id for t in uow.technicians.all()]
        wednesday = uow.day_plans.plans(ids, date(2026, 11, 25), date(2026, 11, 25))
    assert sum(len(p.appointments) for p in wednesday.values()) == 20
    r = runner.invoke(app, ["plan-night", "--date", "2026-11-25", "--seconds", "2"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("2026-11-25: ") and "20 visits" in r.output
    with SqlUnitOfWork(session_factory(engine)) as uow:
        after = uow.day_plans.plans(ids, date(2026, 11, 25), date(2026, 11, 25))
    engine.dispose()
    kept = [a for p in after.values() for a in p.appointments]
    assert len(kept) == 20 and all(a.window.contains(a.eta) for a in kept)
    bad = runner.invoke(app, ["plan-night", "--date", "25-11-2026"])
    assert bad.exit_code == 2 and "not a date" in bad.output
    far = runner.invoke(app, ["plan-night", "--date", "9999-12-31"])
    assert far.exit_code == 2 and "outside the calendar" in far.output, far.output
