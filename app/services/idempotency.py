"""Idempotency keys in the database: claim a key inside the request's transaction, store the
response in that same transaction, read back what an earlier request stored.

The key is the table's primary key. ``claim`` inserts it first thing, before the request writes
anything else: a concurrent request with the same key blocks on that INSERT (PostgreSQL waits for
the uncommitted key, SQLite for the write lock) until the first one ends. If the first commits,
the second's INSERT fails with an IntegrityError and it answers with the stored response; if the
first rolls back (a refused request), the second goes ahead as if it were the first. An entry is
therefore never seen half-made; ``status`` 0 (in flight) exists only inside its own transaction.
Entries are kept 24 hours (``KEEP``, deliberately not a setting)."""

import logging
from datetime import timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col

from app.db import session_scope
from app.models.common import utcnow
from app.models.idempotency import Idempotency

KEEP = timedelta(hours=24)
IN_FLIGHT = 0
log = logging.getLogger("countercheck")


def claim(session: Session, key: str, fingerprint: str) -> Idempotency | None:
    """Claim ``key`` for this transaction (None), or return the entry a committed request left.

    Call it before the request writes anything: on a lost race the transaction is rolled back."""
    expired = col(Idempotency.created_at) < utcnow() - KEEP
    session.execute(delete(Idempotency).where(col(Idempotency.key) == key, expired))
    session.add(Idempotency(key=key, fingerprint=fingerprint, status=IN_FLIGHT, body=""))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # nothing else was written yet
        return session.get(Idempotency, key)
    return None


def store(session: Session, key: str, status: int, body: str, headers: dict[str, str]) -> None:
    """Record the response under a key this transaction claimed; it commits with the data."""
    entry = session.get(Idempotency, key)
    assert entry is not None, "store() needs the key claimed first"
    entry.status, entry.body, entry.headers = status, body, headers
    session.flush()


def purge_expired(engine: Engine) -> int:
    """Forget entries older than ``KEEP``, in a short transaction of its own (best effort)."""
    expired = col(Idempotency.created_at) < utcnow() - KEEP
    try:
        with Session(engine) as session:  # a read first: most calls find nothing and take no write lock
            if session.execute(select(col(Idempotency.key)).where(expired)).first() is None:
                return 0
        with session_scope(engine) as session:
            removed = session.execute(delete(Idempotency).where(expired))
            return int(getattr(removed, "rowcount", 0) or 0)
    except SQLAlchemyError as exc:  # the database is busy: a later response purges them
        log.warning("idempotency purge skipped: %s", exc)
        return 0
