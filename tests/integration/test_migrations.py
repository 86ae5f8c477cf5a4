from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from dispatch.store.migrate import current_revision, head_revision, upgrade
from dispatch.store.schema import metadata


def test_migrations_create_the_schema_from_empty_and_twice_is_harmless(empty_engine, backend):
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    tables = set(inspect(empty_engine).get_table_names())
    assert {"skills", "technicians", "tickets", "visits"} <= tables


def test_migrations_match_the_table_definitions(engine, backend):
    """The ORM classes and the migrations must describe the same schema."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrading_names_each_repeat_visits_case_by_its_first_ticket(empty_engine, backend):
    """0016 fills ``case_of`` for the repeats that exist already, a repeat of a repeat
    included, so the reports count old cases once, by their first ticket."""
    from datetime import UTC, datetime

    from sqlalchemy import insert, select

    from benchmarks.case_history import _ticket
    from dispatch.store.tables import TicketRow

    upgrade(empty_engine, "0015")
    at = datetime(2026, 9, 1, tzinfo=UTC)
    rows = [_ticket(1, "cable_stuck", at, None, "failed"),
            _ticket(2, "cable_stuck", at, 1, "failed"),
            _ticket(3, "cable_stuck", at, 2, "assigned"),
            _ticket(4, "charger_offline", at, None, "open")]  # fmt: skip
    table = TicketRow.__table__
    with empty_engine.begin() as conn:
        conn.execute(insert(table), [{k: v for k, v in r.items() if k != "case_of"}
                                     for r in rows])  # fmt: skip
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        got = dict(conn.execute(select(table.c.id, table.c.case_of).order_by(table.c.id)).all())
    assert got == {1: None, 2: 1, 3: 1, 4: None}
