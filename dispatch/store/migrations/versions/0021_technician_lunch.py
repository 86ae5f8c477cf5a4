"""Today's lunch on the technician, set with the shift from the calendar.

The quote, the ETA refresh and the replan place it in the live route
(``dispatch.domain.lunch``). Empty for technicians whose shift was set by hand.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dispatch.store.types import UTCDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite has dropped columns since 3.35): a batch
# copy of ``technicians`` on SQLite would cascade its foreign keys and empty the routes.
def upgrade() -> None:
    op.add_column("technicians", sa.Column("lunch_earliest", UTCDateTime(), nullable=True))
    op.add_column("technicians", sa.Column("lunch_latest", UTCDateTime(), nullable=True))
    op.add_column("technicians", sa.Column("lunch_s", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("technicians", "lunch_s")
    op.drop_column("technicians", "lunch_latest")
    op.drop_column("technicians", "lunch_earliest")
