"""Group commit on SQLite: the writers queued behind one another share one transaction.

SQLite has one writer at a time, so its writers take turns, first come first served (``Writer``:
its busy handler is not fair). A request's own transaction would pay a BEGIN, a COMMIT and a
recompute of every group it touched; under many writers to one group most of that is repeated
work. So while writers are queued, the turn passes from one to the next inside one transaction
on one connection (a ``Batch``):

- each request's work runs in a SAVEPOINT of it (a session joined with
  ``join_transaction_mode="create_savepoint"``): a request that fails rolls back its savepoint
  only and answers as it would alone (its 4xx), while the others go on;
- the groups each request touched are collected rather than recomputed
  (``summaries.defer_refresh``) and recomputed once, for the whole batch, before its COMMIT: a
  burst of claims to one group refreshes it once;
- every request waits for the COMMIT that holds its changes before it is answered (an
  acknowledged write is durable; a failed COMMIT answers every member with its error);
- the batch closes when nobody is waiting (a lone writer commits at once; while writers arrive
  close together it first waits ``LINGER_S`` for the next), at ``MAX_MEMBERS`` requests or
  ``MAX_OPEN_S`` after it opened, so its first member does not wait for many more.

PostgreSQL needs none of this: its writers commit on their own and writers of different groups
never wait for each other (``app.api.deps.writer_turn``)."""

import asyncio
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from anyio import to_thread
from sqlalchemy import Connection, Engine
from sqlmodel import Session

from app.db import IMMEDIATE, committing
from app.services.summaries import Group, defer_refresh, refresh

MAX_MEMBERS = 32  # one turn of every connection of the benchmark's 32
MAX_OPEN_S = 0.1  # the most a batch's first request waits for later ones (beside its own queueing)
LINGER_S = 0.005  # how long a batch with nobody queued waits for one more writer ...
BUSY_GAP_S = 0.02  # ... when the last two writers arrived this close together


class Batch:
    """One transaction on the writer's connection holding the work of one or more requests."""

    def __init__(self, engine: Engine, loop: asyncio.AbstractEventLoop) -> None:
        self.engine = engine
        self.members = 0
        self.opened = loop.time()
        self.touched: set[Group] = set()  # the groups to recompute before the COMMIT
        self.done: asyncio.Future[None] = loop.create_future()
        self.done.add_done_callback(lambda f: f.cancelled() or f.exception())  # read: no warning if none waits
        self._conn: Connection | None = None

    @property
    def holds_changes(self) -> bool:
        """A member took the write lock (and may have written): there is a COMMIT to share."""
        return self._conn is not None

    @contextmanager
    def scope(self) -> Iterator[Session]:
        """A member's session, for the turn's holder (in a worker thread): its work in a savepoint,
        released on success and rolled back on any error; the COMMIT is the batch's."""
        if self._conn is None:  # the write lock is taken once, for the whole batch
            conn = self.engine.connect()
            try:
                conn.execution_options(**{IMMEDIATE: True}).begin()
            except BaseException:  # the lock not had (another process held it past the busy timeout)
                conn.close()
                raise
            self._conn = conn
        with Session(bind=self._conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
            defer_refresh(session, self.touched)
            with committing(session):
                yield session

    def commit(self) -> None:
        """Recompute the groups the members touched, once each, then COMMIT (in a worker thread)."""
        conn, self._conn = self._conn, None
        if conn is None:  # every member failed before it touched the database
            return
        try:
            if self.touched:
                with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
                    refresh(session, self.touched)
                    session.commit()
            conn.commit()
        except BaseException:
            # SQLite can keep the transaction open after a failed COMMIT, and the pool would take the
            # connection back as it is: it is closed instead, which rolls the batch back.
            conn.invalidate()
            raise
        finally:
            conn.close()


class Writer:
    """The writers' queue of one event loop: one turn at a time, in arrival order. The turn passes
    to the next writer inside the open batch until the batch closes; then the batch commits (a
    task of its own, so a client that goes away cannot cut the COMMIT short) and the next writer
    opens a new one. ``sessions``: the commit's thread holds a session permit like a request."""

    def __init__(self, engine: Callable[[], Engine], sessions: asyncio.Semaphore) -> None:
        self._engine = engine
        self._sessions = sessions
        self._busy = False
        self._queue: deque[asyncio.Future[None]] = deque()
        self._batch: Batch | None = None
        self._commits: set[asyncio.Task[None]] = set()
        self._lingering: asyncio.TimerHandle | None = None
        self._arrived = float("-inf")  # when the last writer asked for its turn
        self._gap = float("inf")  # and how long after the one before it

    async def turn(self) -> Batch:
        """Wait for this writer's turn; the batch its work joins."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        self._gap, self._arrived = now - self._arrived, now
        if self._busy or self._queue:
            granted: asyncio.Future[None] = loop.create_future()
            self._queue.append(granted)
            if self._lingering is not None:  # the open batch was waiting for one more: this one
                self._lingering.cancel()
                self._lingering = None
                self._grant()
            try:
                await granted
            except asyncio.CancelledError:
                if granted.done() and not granted.cancelled():
                    self.pass_turn()  # the turn came as this writer was cancelled: not kept
                elif granted in self._queue:
                    self._queue.remove(granted)
                raise
        else:
            self._busy = True
        if self._batch is None:
            self._batch = Batch(self._engine(), loop)
        self._batch.members += 1
        return self._batch

    def pass_turn(self) -> None:
        """The turn's holder is done with the connection: the next writer joins the batch, or the
        batch closes and commits. With nobody queued but writers arriving close together, the
        batch waits ``LINGER_S`` for one more (they reach the queue a few milliseconds apart:
        without it batches stayed at one to three requests under 32 writers); a lone writer
        commits at once."""
        batch = self._batch
        if batch is None:
            self._grant()
            return
        loop = asyncio.get_running_loop()
        open_ = batch.members < MAX_MEMBERS and loop.time() - batch.opened < MAX_OPEN_S
        if open_ and self._waiting():
            self._grant()
            return
        if open_ and batch.holds_changes and self._gap < BUSY_GAP_S:
            self._lingering = loop.call_later(LINGER_S, self._close, batch)  # the turn stays taken
            return
        self._close(batch)

    def _close(self, batch: Batch) -> None:
        self._lingering = None
        self._batch = None
        task = asyncio.get_running_loop().create_task(self._commit(batch))
        self._commits.add(task)
        task.add_done_callback(self._commits.discard)

    async def _commit(self, batch: Batch) -> None:
        try:
            async with self._sessions:
                await to_thread.run_sync(batch.commit)
        except asyncio.CancelledError:  # the loop is closing
            batch.done.cancel()
            raise
        except Exception as exc:  # every member answers with it
            batch.done.set_exception(exc)
        else:
            batch.done.set_result(None)
        finally:
            self._grant()

    def _waiting(self) -> bool:
        return any(not f.done() for f in self._queue)

    def _grant(self) -> None:
        """The turn to the first writer still waiting, else free."""
        while self._queue:
            first = self._queue.popleft()
            if not first.done():
                first.set_result(None)
                return
        self._busy = False
