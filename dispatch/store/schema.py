"""The whole schema as the ORM sees it: every table module, registered on one metadata
(for Alembic's environment and the test that compares it with the migrations)."""

from __future__ import annotations

from dispatch.store import (
    case_table,
    disruption_table,
    plan_tables,
    security_tables,
    tables,
    user_table,
)

metadata = tables.Base.metadata
__all__ = ["case_table", "disruption_table", "metadata", "plan_tables", "security_tables", "tables",
           "user_table"]
