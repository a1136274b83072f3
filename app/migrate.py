"""Apply Alembic migrations from code (the service's start, tests, the CLI).

Every migration runs in one transaction on a connection from ``migrating``. On SQLite that
connection has foreign keys off for the migration and checked before the commit: a batch
migration rebuilds a table by copy, drop and rename, and with foreign keys on, dropping a parent
table would delete (ON DELETE CASCADE) or refuse (RESTRICT) its children's rows. SQLite ignores
``PRAGMA foreign_keys`` inside a transaction, so it is set before BEGIN."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine


class ForeignKeysBroken(RuntimeError):
    """A migration left rows whose foreign key points nowhere: it was rolled back."""


def _root() -> Path:
    """The folder holding alembic.ini: the source checkout, or the working directory of an install."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / "alembic.ini").exists() else Path.cwd()


def alembic_config() -> Config:
    root = _root()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["configure_logger"] = False
    return config


def _foreign_keys(connection: Connection, on: bool) -> None:
    """Switch SQLite's foreign keys on the driver's connection (outside any transaction)."""
    raw: Any = connection.connection.dbapi_connection
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    if raw.execute("PRAGMA foreign_keys").fetchone()[0] != int(on):
        raise RuntimeError("PRAGMA foreign_keys did not take: is the connection inside a transaction?")


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction to run migrations on; see the module's docstring."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _foreign_keys(connection, on=False)
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise ForeignKeysBroken(f"rows whose foreign key points nowhere: {broken[:10]}")
        finally:
            if sqlite:
                _foreign_keys(connection, on=True)


def upgrade(engine: Engine, revision: str = "head") -> None:
    with migrating(engine) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with migrating(engine) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
