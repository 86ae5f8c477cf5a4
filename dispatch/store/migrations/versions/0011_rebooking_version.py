"""Appointments remember their promise version: a customer rebooked after a release
(the technician fell ill) gets a new booking confirmation, which must not share the
outbox key of the first one, and the day start must reuse the plan's key.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appointments") as t:
        t.add_column(sa.Column("promise_version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("appointments") as t:
        t.drop_column("promise_version")
