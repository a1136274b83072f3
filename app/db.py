"""Engine and sessions. SQLite gets foreign keys, WAL and a busy timeout on every connection."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from app.config import get_settings


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


def make_engine(url: str, *, pool_size: int = 10, busy_timeout_ms: int = 10_000) -> Engine:
    """Build an engine for ``url``; the pool is sized so every worker thread can hold a connection."""
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    kwargs: dict[str, Any] = {"pool_pre_ping": not is_sqlite}
    if is_sqlite:
        kwargs["connect_args"] = {"check_same_thread": False}
    kwargs["pool_size"] = pool_size
    kwargs["max_overflow"] = pool_size
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
    return engine


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(
        settings.database_url,
        pool_size=settings.threads,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
    )


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
