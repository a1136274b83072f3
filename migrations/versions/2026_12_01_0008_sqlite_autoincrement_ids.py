"""sqlite autoincrement ids

On SQLite, every table with an integer surrogate id becomes an AUTOINCREMENT table, so an id is
never handed out twice: without it SQLite gives the id of a deleted row at the top of a table to
the next insert, and a restore (``POST /<kind>/<id>/restore``) or a record's history then meets
another record. PostgreSQL's sequences never reuse an id: there this revision does nothing.

SQLite cannot alter a table's primary key, so each table is rebuilt in batch mode (create a copy
with AUTOINCREMENT, copy the rows, drop the old table, rename the copy), keeping its ids, columns,
indexes, constraints and foreign keys. ``app.migrate`` runs migrations with foreign keys off on
SQLite (dropping a parent table would otherwise delete or refuse its children's rows) and runs
``PRAGMA foreign_key_check`` before the commit.

Dropping a table drops its triggers: the full-text search triggers of revision 0006 are created
again (their definition is repeated below, as it was at 0006). The FTS5 index itself stays right:
the rows keep their ids, which are its rowids.

Each table's counter starts at its largest id, and for the six kinds the change history knows,
at the largest id it ever recorded: a record deleted before this upgrade at the top of its table
can still be restored under its id.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 11:27:11.553301
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# every table with an integer surrogate id, as at this revision
TABLES = ("source", "document", "event", "scope", "claim", "figure", "api_key", "change", "source_alias")
HISTORY = ("source", "document", "event", "scope", "claim", "figure")  # change.resource names these tables
INDEXED = {  # table -> indexed text columns, as in revision 0006
    "source": ("name",),
    "source_alias": ("alias",),
    "event": ("name",),
    "claim": ("quote",),
    "document": ("title", "text"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=True)
    for table in HISTORY:  # ids deleted before this upgrade stay free for their restore
        op.execute(
            text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT :t, 0 "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :t)"
            ).bindparams(t=table)
        )
        op.execute(
            text(
                "UPDATE sqlite_sequence SET seq = max(seq, "
                "(SELECT coalesce(max(record_id), 0) FROM change WHERE resource = :t)) WHERE name = :t"
            ).bindparams(t=table)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=False)  # dropping an AUTOINCREMENT table removes its sqlite_sequence row


def _rebuild(autoincrement: bool) -> None:
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
    for table, columns in INDEXED.items():
        for trigger in _search_triggers(table, columns):
            op.execute(trigger)


def _search_triggers(table: str, columns: Sequence[str]) -> list[str]:
    """The three triggers that keep ``<table>_fts`` in step with ``<table>`` (as in revision 0006)."""
    fts = f"{table}_fts"
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.id, {new});"
    remove = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF id, {names} ON {table} BEGIN {remove} {insert} END",
    ]
