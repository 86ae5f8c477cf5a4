"""Working calendars: a weekly pattern per technician and exceptions per date.

Hours are stored as local wall-clock times with the zone, never as instants: "08:00
on Mondays" stays 08:00 across daylight-saving changes (``domain.workdays``).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_patterns",
        sa.Column(
            "technician_id",
            sa.Integer,
            sa.ForeignKey("technicians.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("days", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "calendar_exceptions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "technician_id",
            sa.Integer,
            sa.ForeignKey("technicians.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("hours", sa.JSON),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("technician_id", "day", name="uq_calendar_exceptions"),
    )


def downgrade() -> None:
    op.drop_table("calendar_exceptions")
    op.drop_table("work_patterns")
