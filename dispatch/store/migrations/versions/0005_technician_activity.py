"""The technician's current activity and live state, projected from the event log,
so the ETA refresh need not replay every log every minute.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("technicians") as t:
        t.add_column(sa.Column("activity", sa.String(16), nullable=False, server_default="idle"))
        t.add_column(sa.Column("activity_ticket", sa.Integer))
        t.add_column(sa.Column("field_state", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("technicians") as t:
        t.drop_column("field_state")
        t.drop_column("activity_ticket")
        t.drop_column("activity")
