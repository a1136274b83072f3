"""Alembic environment: the schema is SQLModel's metadata; the URL is the service's setting.

A caller may hand in a live connection as ``config.attributes["connection"]`` (tests and the
service's start-up do, through ``app.migrate``), otherwise an engine is built from ``DATABASE_URL``
and migrated on a connection from ``app.migrate.migrating`` (on SQLite: foreign keys off for the
migration, checked before the commit).
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

import app.models  # noqa: F401 - registers every table
from app.config import get_settings
from app.db import make_engine
from app.migrate import migrating
from app.models import metadata
from app.models.search import include_object

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,  # the full-text search objects live only in the database
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url, pool_size=1)
    with migrating(engine) as conn:
        run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run against a database")
run_online()
