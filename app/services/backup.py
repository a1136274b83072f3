"""A consistent online backup of the SQLite database, through SQLite's backup API: readers and
writers carry on while it copies, and the copy is one committed state of the database."""

import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url


class BackupUnsupported(Exception):
    """Only SQLite files are backed up here; PostgreSQL has pg_dump."""


def backup_sqlite(engine: Engine, target: Path, pages_per_step: int = 1024) -> int:
    """Copy the database to ``target`` (replaced if it exists); returns its size in bytes."""
    url = make_url(str(engine.url))
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupUnsupported("backups here are of a SQLite file; for PostgreSQL use pg_dump (see README)")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(url.database, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=pages_per_step)  # steps: writers are not held up for long
        finally:
            copy.close()
    finally:
        source.close()
    partial.replace(target)  # a finished copy appears whole, never half written
    return target.stat().st_size
