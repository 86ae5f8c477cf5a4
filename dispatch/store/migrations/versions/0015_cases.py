"""Cases: the history of every case, courtesy calls for unconfirmed ones, and what went
wrong before on a repeat visit's ticket.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("problem", sa.Text, nullable=True))
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ticket_id", sa.Integer,
                  sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(16), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("technician_id", sa.Integer, nullable=True),
        sa.Column("nps", sa.Integer, nullable=True),
        sa.Column("how", sa.String(16), nullable=True),
        sa.Column("door_over_min", sa.Float, nullable=True),
    )
    op.create_index("ix_case_events_ticket", "case_events", ["ticket_id", "at"])
    op.create_index("ix_case_events_kind_at", "case_events", ["kind", "at"])
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ticket_id", sa.Integer,
                  sa.ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.UniqueConstraint("ticket_id", "attempt", name="uq_followup_attempt"),
    )
    op.create_index("ix_followups_open", "followups", ["done_at", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_followups_open", "followups")
    op.drop_table("followups")
    op.drop_index("ix_case_events_kind_at", "case_events")
    op.drop_index("ix_case_events_ticket", "case_events")
    op.drop_table("case_events")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("problem")
