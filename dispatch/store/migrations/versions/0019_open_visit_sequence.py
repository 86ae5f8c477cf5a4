"""One number per open visit of a technician.

After crash-and-retry runs one technician had two open visits numbered alike (issue
16); the route's order was then ambiguous. Existing duplicates are renumbered (in their
stored order, above the technician's highest number) before the index is made.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

OPEN_VISIT = "status IN ('planned', 'en_route', 'arrived', 'started')"


def upgrade() -> None:
    conn = op.get_bind()
    clashes = conn.execute(sa.text(
        f"SELECT technician_id, sequence FROM visits WHERE {OPEN_VISIT} "
        "GROUP BY technician_id, sequence HAVING COUNT(*) > 1")).all()  # fmt: skip
    for technician_id, _sequence in clashes:
        top = conn.execute(sa.text("SELECT MAX(sequence) FROM visits WHERE technician_id = :t"),
                           {"t": technician_id}).scalar_one()  # fmt: skip
        rows = conn.execute(sa.text(
            f"SELECT ticket_id FROM visits WHERE technician_id = :t AND {OPEN_VISIT} "
            "ORDER BY sequence, id"), {"t": technician_id}).scalars().all()  # fmt: skip
        for k, ticket_id in enumerate(rows, start=1):
            conn.execute(sa.text("UPDATE visits SET sequence = :s WHERE ticket_id = :id"),
                         {"s": top + k, "id": ticket_id})  # fmt: skip
    op.create_index("uq_visits_open_sequence", "visits", ["technician_id", "sequence"],
                    unique=True, sqlite_where=sa.text(OPEN_VISIT),
                    postgresql_where=sa.text(OPEN_VISIT))  # fmt: skip


def downgrade() -> None:
    op.drop_index("uq_visits_open_sequence", table_name="visits")
