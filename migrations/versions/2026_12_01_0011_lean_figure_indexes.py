"""lean figure indexes: what a bulk import pays for, only where a query uses it

Every figure written updates each index on ``figure`` and ``claim``. Two indexes served no query:
``figure.bound`` and ``claim.modality`` hold a handful of values, so a filter on them reads the
table in id order anyway (lists are paged by id). ``figure.scope_id`` and ``figure.reference_id``
are empty for most figures: their indexes now hold only the figures that have one (partial
indexes), which is all a lookup by scope or by reference (and the foreign-key check when one is
deleted) needs. Measured on 100,000 figures: the inserts take about a fifth less time.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTIAL = ("scope_id", "reference_id")


def upgrade() -> None:
    op.drop_index("ix_figure_bound", table_name="figure")
    op.drop_index("ix_claim_modality", table_name="claim")
    for column in PARTIAL:
        where = sa.text(f"{column} IS NOT NULL")
        op.drop_index(f"ix_figure_{column}", table_name="figure")
        op.create_index(f"ix_figure_{column}", "figure", [column], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for column in PARTIAL:
        op.drop_index(f"ix_figure_{column}", table_name="figure")
        op.create_index(f"ix_figure_{column}", "figure", [column])
    op.create_index("ix_claim_modality", "claim", ["modality"])
    op.create_index("ix_figure_bound", "figure", ["bound"])
