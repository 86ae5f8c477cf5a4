"""Messages to customers: one row per recipient and channel with its status, the
attempts to deliver it, integrators' webhook endpoints and customers' opt-outs.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("event_types", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("disabled_reason", sa.Text),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "outbox_id", sa.Integer, sa.ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id", ondelete="CASCADE")),
        sa.Column(
            "endpoint_id", sa.Integer, sa.ForeignKey("webhook_endpoints.id", ondelete="SET NULL")
        ),
        sa.Column("message_id", sa.String(100), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(2000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("why", sa.Text),
        sa.Column("send_after", UTCDateTime(), nullable=False),
        sa.Column("lease_until", UTCDateTime()),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("subject", sa.Text, nullable=False, server_default=""),
        sa.Column("body_text", sa.Text, nullable=False, server_default=""),
        sa.Column("body_html", sa.Text, nullable=False, server_default=""),
        sa.Column("window_end", UTCDateTime()),
        sa.Column("payload", sa.JSON),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime()),
        sa.UniqueConstraint("outbox_id", "channel", "recipient", name="uq_messages_delivery"),
    )
    op.create_index("ix_messages_due", "messages", ["status", "send_after"])
    op.create_index("ix_messages_ticket_id", "messages", ["ticket_id"])
    op.create_table(
        "message_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "message_id",
            sa.Integer,
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_message_attempts_message_id", "message_attempts", ["message_id"])
    op.create_table(
        "opt_outs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("channel", "address", name="uq_opt_outs"),
    )


def downgrade() -> None:
    op.drop_table("opt_outs")
    op.drop_index("ix_message_attempts_message_id", "message_attempts")
    op.drop_table("message_attempts")
    op.drop_index("ix_messages_ticket_id", "messages")
    op.drop_index("ix_messages_due", "messages")
    op.drop_table("messages")
    op.drop_table("webhook_endpoints")
