"""ETA predictions per horizon, with the actual arrival once known.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eta_predictions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "ticket_id", sa.Integer, sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("technician_id", sa.Integer, nullable=False),
        sa.Column("horizon", sa.Integer, nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("predicted", UTCDateTime(), nullable=False),
        sa.Column("actual", UTCDateTime()),
        sa.UniqueConstraint("ticket_id", "horizon", name="uq_eta_predictions_horizon"),
    )
    op.create_index("ix_eta_predictions_computed_at", "eta_predictions", ["computed_at"])


def downgrade() -> None:
    op.drop_index("ix_eta_predictions_computed_at", table_name="eta_predictions")
    op.drop_table("eta_predictions")
