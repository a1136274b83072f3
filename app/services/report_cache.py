"""A per-process cache of rendered event reports, keyed by what changes them.

An event's report is recomputed by the engine on a miss (milliseconds of Python); a hit costs one
indexed query for the event's change token: the event's own ``updated_at`` and the count and
latest ``updated_at`` of its group summaries, which every write touching its figures, claims,
claimants or scopes rewrites before it commits (``app.services.summaries``)."""

from collections import OrderedDict
from threading import Lock
from typing import Any

from sqlalchemy import Engine

from app.db import fetch_one

TOKEN = (
    "SELECT e.updated_at, (SELECT max(g.updated_at) FROM group_summary g WHERE g.event_id = e.id), "
    "(SELECT count(*) FROM group_summary g WHERE g.event_id = e.id) FROM event e WHERE e.id = {mark}"
)


def change_token(engine: Engine, event_id: int) -> tuple[Any, ...] | None:
    """What a cached report of this event must match; None when the event does not exist."""
    return fetch_one(engine, TOKEN, (event_id,))


class ReportCache:
    """Least recently used, bounded, thread-safe."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], bytes]] = OrderedDict()
        self.lock = Lock()

    def get(self, key: tuple[Any, ...], token: tuple[Any, ...]) -> bytes | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[0] != token:
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key: tuple[Any, ...], token: tuple[Any, ...], body: bytes) -> None:
        with self.lock:
            self.entries[key] = (token, body)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


reports = ReportCache()
