"""import records: every bulk import traceable and undoable; where a figure's interval came from

Each import (``POST /figures/import``, ``POST /import``, ``countercheck import``) becomes a row of
``import_record`` (who, when, file name, SHA-256 of the body, what it created) and the rows it
refused under ``on_error=skip`` rows of ``import_reject``. Figures and claims carry the
``import_id`` that created them (nullable, indexed; no foreign key, so neither table is rebuilt:
import records are never deleted).

``figure.interval_source`` says whether the interval was read from the words (``read``) or given
as explicit ends (``given``). Existing figures: ``given`` when they have no words, and when they
have words but no history at all — the CSV importer before this revision kept the hedge words
beside the published interval without reading them, and wrote no history; ``read`` otherwise.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.common

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(*values: str) -> sa.Enum:
    return sa.Enum(*values, native_enum=False, create_constraint=False, length=20)


def upgrade() -> None:
    stamp = app.models.common.UTCDateTime(timezone=True)
    op.create_table(
        "import_record",
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("updated_at", stamp, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("csv", "json", "ndjson"), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("on_error", _enum("fail", "skip"), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("unread", sa.Integer(), nullable=False),
        sa.Column("groups", sa.Integer(), nullable=False),
        sa.Column("created", sa.JSON(), nullable=False),
        sa.Column("created_ids", sa.JSON(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=True),
        sa.Column("removed", sa.JSON(), nullable=True),
        sa.Column("deleted_at", stamp, nullable=True),
        sa.Column("deleted_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_record")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "import_reject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("row", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_record.id"],
            name=op.f("fk_import_reject_import_id_import_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_reject")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_import_reject_import_id"), "import_reject", ["import_id"], unique=False)
    # plain ADD COLUMN on both engines: no table is rebuilt (claim keeps its search triggers)
    op.add_column("claim", sa.Column("import_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_claim_import_id"), "claim", ["import_id"], unique=False)
    op.add_column("figure", sa.Column("import_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_figure_import_id"), "figure", ["import_id"], unique=False)
    op.add_column(
        "figure", sa.Column("interval_source", _enum("read", "given"), server_default="read", nullable=False)
    )
    op.execute(
        "UPDATE figure SET interval_source = 'given' WHERE text IS NULL OR NOT EXISTS "
        "(SELECT 1 FROM change WHERE change.resource = 'figure' AND change.record_id = figure.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("figure") as batch:
        batch.drop_column("interval_source")
        batch.drop_index(batch.f("ix_figure_import_id"))
        batch.drop_column("import_id")
    op.drop_index(op.f("ix_claim_import_id"), table_name="claim")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in place (3.35+): claim is not rebuilt and keeps its search triggers
        op.execute("ALTER TABLE claim DROP COLUMN import_id")
    else:
        op.drop_column("claim", "import_id")
    op.drop_index(op.f("ix_import_reject_import_id"), table_name="import_reject")
    op.drop_table("import_reject")
    op.drop_table("import_record")
