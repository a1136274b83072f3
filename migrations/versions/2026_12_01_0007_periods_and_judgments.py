"""periods of figures, and judgments: the largest conflict's factor and gap, a finite severity

Figures (and metrics, as a default) say what stretch of time they count; the group summaries keep
the largest conflict's factor and gap, and ``severity`` becomes the documented finite score
(``app.domain.discrepancy.severity_of``) ordered with the gap. Every summary is recomputed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIOD = sa.Enum("event", "day", "week", "cumulative", name="period", native_enum=False, create_constraint=False, length=20)


def upgrade() -> None:
    for table in ("metric", "figure"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("period", PERIOD, server_default="event", nullable=False))
    with op.batch_alter_table("group_summary") as batch:
        batch.add_column(sa.Column("factor", sa.Float(), nullable=True))
        batch.add_column(sa.Column("gap", sa.Float(), server_default="0", nullable=False))
        batch.add_column(sa.Column("zero", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("high_claimant_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("low_claimant_id", sa.Integer(), nullable=True))
        batch.drop_index("ix_group_summary_rank")
        batch.create_index("ix_group_summary_rank", ["severity", "gap"], unique=False)
    from app.services.summaries import rebuild_all  # the rules of today recompute every group

    with Session(bind=op.get_bind()) as session:
        rebuild_all(session)
        session.flush()


def downgrade() -> None:
    with op.batch_alter_table("group_summary") as batch:
        batch.drop_index("ix_group_summary_rank")
        batch.create_index("ix_group_summary_rank", ["severity", "minority"], unique=False)
        batch.drop_column("low_claimant_id")
        batch.drop_column("high_claimant_id")
        batch.drop_column("zero")
        batch.drop_column("gap")
        batch.drop_column("factor")
    for table in ("figure", "metric"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("period")
