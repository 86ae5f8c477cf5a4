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


def upgrade() -> None:
    with op.batch_alter_table("technicians") as batch:
        batch.add_column(sa.Column("lunch_earliest", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("lunch_latest", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("lunch_s", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("technicians") as batch:
        batch.drop_column("lunch_s")
        batch.drop_column("lunch_latest")
        batch.drop_column("lunch_earliest")
