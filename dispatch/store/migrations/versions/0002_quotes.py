"""Quotes and bookings: urgency factors, technician position and ratings, route legs,
and the outbox for customer messages.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as t:
        t.add_column(
            sa.Column("customer_on_site", sa.Boolean, nullable=False, server_default=sa.false())
        )
        t.add_column(
            sa.Column("property_at_risk", sa.Boolean, nullable=False, server_default=sa.false())
        )
        t.add_column(sa.Column("repeat_of", sa.Integer))
        t.add_column(sa.Column("sla_deadline", UTCDateTime()))
    with op.batch_alter_table("technicians") as t:
        t.add_column(sa.Column("rated_for", sa.JSON, nullable=False, server_default="[]"))
        t.add_column(sa.Column("last_lat", sa.Float))
        t.add_column(sa.Column("last_lon", sa.Float))
        t.add_column(sa.Column("last_seen_at", UTCDateTime()))
    with op.batch_alter_table("visits") as t:
        t.add_column(sa.Column("leg_s", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id", ondelete="CASCADE")),
        sa.Column("dedupe_key", sa.String(200), nullable=False, unique=True),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime()),
    )
    op.create_index("ix_outbox_ticket_id", "outbox", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_ticket_id", table_name="outbox")
    op.drop_table("outbox")
    with op.batch_alter_table("visits") as t:
        t.drop_column("leg_s")
    with op.batch_alter_table("technicians") as t:
        for name in ("last_seen_at", "last_lon", "last_lat", "rated_for"):
            t.drop_column(name)
    with op.batch_alter_table("tickets") as t:
        for name in ("sla_deadline", "repeat_of", "property_at_risk", "customer_on_site"):
            t.drop_column(name)
