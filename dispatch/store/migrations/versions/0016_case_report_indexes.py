"""What the case reports need: each repeat visit names its case's first ticket
(``case_of``), indexes on a case's repeat visits and on tickets' creation, and one
holding all the reports read of a case event. Without them the 90-day report walks every
chain of repeats, reads every ticket for each case, and every event's JSON detail. And
the technicians' reports about one ticket, for its case's history.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None
# what the reports read of a case event: an index holding all of it spares the rows
REPORTED = ("kind", "at", "ticket_id", "technician_id", "nps", "how", "door_over_min")


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("case_of", sa.Integer, nullable=True))
    # a repeat of a repeat takes its parent's case: one pass per link of the longest chain
    parents_case = ("(SELECT coalesce(p.case_of, p.id) FROM tickets p"
                    " WHERE p.id = tickets.repeat_of)")  # fmt: skip
    while op.get_bind().execute(sa.text(
        f"UPDATE tickets SET case_of = {parents_case} WHERE repeat_of IS NOT NULL"
        f" AND coalesce(case_of, -1) <> coalesce({parents_case}, -1)")).rowcount:  # fmt: skip
        pass
    op.create_index("ix_tickets_repeat_of", "tickets", ["repeat_of"])
    op.create_index("ix_tickets_created_at", "tickets", ["created_at"])
    op.drop_index("ix_case_events_kind_at", "case_events")
    op.create_index("ix_case_events_report", "case_events", list(REPORTED))
    op.create_index("ix_field_events_ticket", "field_events", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_field_events_ticket", "field_events")
    op.drop_index("ix_case_events_report", "case_events")
    op.create_index("ix_case_events_kind_at", "case_events", ["kind", "at"])
    op.drop_index("ix_tickets_created_at", "tickets")
    op.drop_index("ix_tickets_repeat_of", "tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("case_of")
