"""The default half-width each recorded ETA was made with.

The error model measures each error against it (``dispatch.domain.eta_model``): the
stops ahead and the working lead it stood for. Rows recorded before this are measured
against the default for their lead with no stop ahead.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("eta_predictions", sa.Column("scale_s", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("eta_predictions", "scale_s")
