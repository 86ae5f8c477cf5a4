"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always returns an aware UTC datetime.

    SQLite keeps no offset, so without this a round trip would hand the domain naive
    datetimes and every comparison with ``clock.now()`` would fail.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime reached the database; use aware UTC")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def epoch_seconds(column: Any, dialect: str) -> Any:
    """A UTCDateTime column as seconds since 1970 (a float), computed by the database:
    reports over tens of thousands of rows skip building a datetime for each."""
    from sqlalchemy import Float, cast, extract, func

    if dialect == "sqlite":  # julianday is a double: round off its last digits
        return func.round((func.julianday(column) - 2440587.5) * 86400.0, 3)
    return cast(extract("epoch", column), Float)
