"""Planned later dates: one version per technician-day, and the appointments in it.

Today's route stays in ``visits``; a booking for a later date goes into
``appointments`` under its ``day_routes`` version (claimed on every save, so two
bookings into one technician-day cannot both win) until that day becomes live.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _technician() -> sa.Column[int]:
    return sa.Column(
        "technician_id",
        sa.Integer,
        sa.ForeignKey("technicians.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    tech = _technician()
    tech.primary_key = True
    op.create_table(
        "day_routes",
        tech,
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "appointments",
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        _technician(),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("service_s", sa.Integer, nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("window_end", UTCDateTime(), nullable=False),
        sa.Column("eta", UTCDateTime(), nullable=False),
        sa.Column("leg_s", sa.Integer, nullable=False),
    )
    op.create_index("ix_appointments_day", "appointments", ["technician_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_appointments_day", "appointments")
    op.drop_table("appointments")
    op.drop_table("day_routes")
