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
