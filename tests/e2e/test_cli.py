"""The commands `make run` relies on: migrate twice, seed twice, nothing doubles."""

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
