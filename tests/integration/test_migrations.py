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
