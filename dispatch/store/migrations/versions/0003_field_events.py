"""Technician field events: the log the live state is replayed from.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "technician_id",
            sa.Integer,
            sa.ForeignKey("technicians.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("event_id", sa.String(100), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("snap_m", sa.Float),
        sa.Column("ticket_id", sa.Integer),
        sa.Column("delay_s", sa.Integer, nullable=False, server_default="0"),
        sa.Column("note", sa.Text),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("technician_id", "event_id", name="uq_field_events_event"),
    )
    op.create_index("ix_field_events_technician_at", "field_events", ["technician_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_field_events_technician_at", table_name="field_events")
    op.drop_table("field_events")
