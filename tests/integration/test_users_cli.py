"""``dispatch users`` against the real database: add, list, disable, reset."""

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from benchmarks.deliver_process import cli_url
from dispatch.domain.errors import DispatchError
from dispatch.services.users import authenticate


def test_an_admin_adds_lists_disables_and_resets_logins(fleet, database_url, monkeypatch,
                                                       backend):  # fmt: skip
    monkeypatch.setenv("DISPATCH_DATABASE_URL", cli_url(database_url))
    run = CliRunner().invoke
    added = run(app, ["users", "add", "jan.tech", "--role", "technician", "--technician", "1",
                      "--password", "correct horse battery"])  # fmt: skip
    assert added.exit_code == 0, added.output
    short = run(app, ["users", "add", "eve", "--role", "agent", "--password", "short"])
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    listed = run(app, ["users", "list"]).output
    assert "jan.tech" in listed and "technician 1" in listed and "eve" not in listed
    assert run(app, ["users", "disable", "jan.tech"]).exit_code == 0
    assert "DISABLED" in run(app, ["users", "list"]).output
    with pytest.raises(DispatchError, match="wrong username or password"):
        authenticate(fleet, "jan.tech", "correct horse battery")
    run(app, ["users", "enable", "jan.tech"])
    reset = run(app, ["users", "reset-password", "jan.tech", "--password", "another long one"])
    assert reset.exit_code == 0
    assert authenticate(fleet, "jan.tech", "another long one").username == "jan.tech"
    assert run(app, ["users", "disable", "nobody"]).exit_code == 2
