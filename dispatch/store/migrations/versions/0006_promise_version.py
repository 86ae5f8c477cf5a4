"""Count the windows each customer has been given, so a promise change is keyed by the
visit, the event's kind and the promise version: a retry cannot repeat it, and a real
move can never share a key with an earlier one.

Visits booked before this migration have had one promise: they start at 1.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits") as t:
        t.add_column(sa.Column("promise_version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("visits") as t:
        t.drop_column("promise_version")
