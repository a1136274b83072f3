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
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _sqlite_begin)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return on_connect


IMMEDIATE = "sqlite_immediate"
OVERFLOW_EXTRA = 2  # the event loop's lean reads (one at a time) and the background bias fit


def _sqlite_begin(conn: Any) -> None:
    """A writer takes SQLite's write lock when its transaction begins (BEGIN IMMEDIATE), so it waits
    its turn under the busy timeout; a deferred transaction that read first could only fail with
    'database is locked' when another writer committed in between."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(IMMEDIATE) else "BEGIN")


def make_engine(url: str, *, pool_size: int = 10, busy_timeout_ms: int = 10_000) -> Engine:
    """Build an engine for ``url``; the pool is sized so that nothing ever waits for a connection.

    ``pool_size`` is the number of worker threads (``COUNTERCHECK_THREADS``). The service admits
    at most that many requests holding a session (``app.api.deps.Gates``); work in worker threads
    that opens no request session (an API key's lookup, a report built on a cache miss, an export's
    next rows) is at most one connection per thread; the lean reads on the event loop take one at
    a time and the background bias fit one. So ``2 x threads + 2`` connections are enough: the
    overflow above ``pool_size`` is opened only under load and closed again when idle."""
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    # No pre-ping: it is a round trip before every request's query. A server-side disconnect
    # fails one request (a 503 the caller may retry) and the pool drops that connection;
    # connections are recycled every half hour, before idle timeouts of servers and proxies.
    kwargs: dict[str, Any] = {"pool_pre_ping": False, "pool_recycle": 1800}
    if is_sqlite:
        kwargs["connect_args"] = {"check_same_thread": False}
    kwargs["pool_size"] = pool_size
    kwargs["max_overflow"] = pool_size + OVERFLOW_EXTRA
    # The most recently returned connection first: work one request after another (an export's
    # chunks) reuses one warm connection. Handed out in turn (FIFO), every pooled SQLite connection
    # filled its own page cache: an export after the write workloads grew the server by 56 MB (29 now).
    kwargs["pool_use_lifo"] = True
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        event.listen(engine, "begin", _sqlite_begin)
    return engine


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(
        settings.database_url,
        pool_size=settings.threads,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
    )


def fetch_one(engine: Engine, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """One row through the driver on a pooled connection, for the hot read paths that skip the
    ORM (tens of microseconds). ``sql`` writes its parameters as ``{mark}``: the driver's style.

    One round trip on either engine: the statement runs in autocommit (SQLite's connections
    already do, see ``_sqlite_pragmas``; on PostgreSQL a transaction would add a BEGIN before it
    and a ROLLBACK when the pool takes the connection back: three round trips for one row)."""
    postgres = engine.dialect.name == "postgresql"
    raw = engine.raw_connection()
    driver = raw.driver_connection
    try:
        if postgres:
            driver.autocommit = True  # type: ignore[union-attr]  # a connection from the pool is idle
        cursor = raw.cursor()
        cursor.execute(sql.format(mark="%s" if postgres else "?"), params)
        row = cursor.fetchone()
        cursor.close()
    finally:
        if postgres and not driver.closed:  # type: ignore[union-attr]
            driver.autocommit = False  # type: ignore[union-attr]
        raw.close()
    return None if row is None else tuple(row)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def writing(session: Session) -> Session:
    """Mark the session's transaction as a writer's (BEGIN IMMEDIATE on SQLite; nothing elsewhere)."""
    session.connection(execution_options={IMMEDIATE: True})
    return session


@contextmanager
def committing(session: Session) -> Iterator[Session]:
    """``session`` committed when the block succeeds, rolled back on any error (a savepoint's
    session: the savepoint released or rolled back)."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A writer's session that commits on success and rolls back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session, committing(writing(session)):
        yield session
