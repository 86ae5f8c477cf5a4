"""A ticket may carry several availability windows ("tomorrow morning or Thursday
after 14:00"): a JSON list of [start, end] ISO instants; the window columns keep their
envelope, so a reader that knows one range still reads one.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as t:
        t.add_column(sa.Column("availability", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as t:
        t.drop_column("availability")
