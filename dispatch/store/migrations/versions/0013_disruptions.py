"""Disruptions: breakdowns, absences and slowdowns, with their reason for customers.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disruptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("technician_id", sa.Integer,
                  sa.ForeignKey("technicians.id", ondelete="CASCADE"), nullable=True),
        sa.Column("area", sa.JSON, nullable=True),
        sa.Column("factor", sa.Float, nullable=False),
        sa.Column("start", UTCDateTime(), nullable=False),
        sa.Column("expected_end", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_disruptions_technician_id", "disruptions", ["technician_id"])
    op.create_index("ix_disruptions_end", "disruptions", ["expected_end"])


def downgrade() -> None:
    op.drop_index("ix_disruptions_end", "disruptions")
    op.drop_index("ix_disruptions_technician_id", "disruptions")
    op.drop_table("disruptions")
