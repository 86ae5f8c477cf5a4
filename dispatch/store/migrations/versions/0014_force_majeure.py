"""Force majeure: what each disruption did to whom, and new appointments held for customers.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("disruptions") as batch:
        batch.add_column(sa.Column("handled_at", UTCDateTime(), nullable=True))
    op.create_table(
        "disruption_effects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("disruption_id", sa.Integer,
                  sa.ForeignKey("disruptions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ticket_id", sa.Integer,
                  sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("from_technician_id", sa.Integer, nullable=True),
        sa.Column("to_technician_id", sa.Integer, nullable=True),
        sa.Column("window_start", UTCDateTime(), nullable=True),
        sa.Column("window_end", UTCDateTime(), nullable=True),
        sa.Column("told", sa.String(32), nullable=True),
        sa.UniqueConstraint("disruption_id", "ticket_id", name="uq_effect_per_visit"),
    )
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ticket_id", sa.Integer,
                  sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("disruption_id", sa.Integer,
                  sa.ForeignKey("disruptions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("slots", sa.JSON, nullable=False),
        sa.Column("hold_until", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("chosen", sa.Integer, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("ticket_id", "disruption_id", name="uq_offer_per_visit"),
    )
    op.create_index("ix_offers_waiting", "offers", ["status", "hold_until"])


def downgrade() -> None:
    op.drop_index("ix_offers_waiting", "offers")
    op.drop_table("offers")
    op.drop_table("disruption_effects")
    with op.batch_alter_table("disruptions") as batch:
        batch.drop_column("handled_at")
