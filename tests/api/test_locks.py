"""Reads and previews never take SQLite's write lock: a writer is never held up by a reader, however
long the read (an anonymous POST /extract on a big text used to stall every writer)."""

import sqlite3
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session
from starlette.requests import Request

from app.api.access import ANONYMOUS
from app.api.deps import read_session, write_session

SessionFactory = Callable[..., Iterator[Session]]


def _request() -> Request:
    return Request({"type": "http", "method": "POST", "path": "/extract", "headers": [], "query_string": b""})


def _lock_is_free(engine: Engine) -> bool:
    """Whether another connection can take the write lock at once (no waiting)."""
    path = engine.url.database
    assert path is not None
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.parametrize(("factory", "locks"), [(read_session, False), (write_session, True)])
def test_only_a_writers_session_holds_the_write_lock(engine: Engine, factory: SessionFactory, locks: bool) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's; PostgreSQL locks rows, not the database")
    sessions = factory(_request(), ANONYMOUS)
    session = next(sessions)
    session.execute(text("SELECT count(*) FROM source")).scalar_one()  # a read inside the request
    assert _lock_is_free(engine) is not locks
    sessions.close()
    assert _lock_is_free(engine)
