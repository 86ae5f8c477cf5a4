"""The unit ring opens no database: every test here runs with sqlite3, SQLAlchemy
engines and sessions refused (``builders.forbid_databases``). The ``clock`` fixture is
the shared one in ``tests/conftest.py`` (a FakeClock at MORNING)."""

import pytest
from builders import forbid_databases


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    forbid_databases(monkeypatch)
