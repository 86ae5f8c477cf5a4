"""Keep what the customer was told apart from the working window.

The working window narrows silently as the ETA firms up; a change is only news when
the ETA leaves the window last *told* (``told_start``/``told_end``), so every "late"
or "changed" message compares against what the customer really heard. Visits booked
before this migration were told their window: it is copied. ``soon_told_version``
remembers the promise version "arriving soon" was raised at, so it is raised once.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits") as t:
        t.add_column(sa.Column("told_start", UTCDateTime()))
        t.add_column(sa.Column("told_end", UTCDateTime()))
        t.add_column(sa.Column("soon_told_version", sa.Integer))
    op.execute("UPDATE visits SET told_start = window_start, told_end = window_end")


def downgrade() -> None:
    with op.batch_alter_table("visits") as t:
        t.drop_column("soon_told_version")
        t.drop_column("told_end")
        t.drop_column("told_start")
