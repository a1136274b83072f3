"""parties of scopes and events, reference sources, and the stored reporting-bias fit

Scopes and events name the ``party`` whose losses their figures count; a source can be marked
``reference`` (taken as unbiased by the bias model); ``bias_fit`` keeps the latest fit of the model
with the change cursor of the data it saw. Columns are added in place (no table is rebuilt, so the
full-text search triggers of ``source`` and ``event`` stay).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.models.common import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("scope", "event"):
        op.add_column(table, sa.Column("party", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        op.create_index(f"ix_{table}_party", table, ["party"], unique=False)
    op.add_column("source", sa.Column("reference", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.create_table(
        "bias_fit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fitted_at", UTCDateTime(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("figure_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.Column("dropped", sa.Integer(), nullable=False),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bias_fit")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop the full-text search triggers
    op.drop_table("bias_fit")
    op.drop_column("source", "reference")
    for table in ("event", "scope"):
        op.drop_index(f"ix_{table}_party", table_name=table)
        op.drop_column(table, "party")
