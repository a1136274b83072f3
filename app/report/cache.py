"""A per-process cache of event reports, keyed by what changes them; the JSON, the chart and the
page are all served from it (the rendered chart and page are cached too, by the same token and what
else they show: ``app.report.views``).

An entry holds the typed report and its JSON bytes. An event's report is built by the engine on a
miss (milliseconds of Python); a hit costs one indexed query for the event's change token: the
event's own ``updated_at`` and the count and latest ``updated_at`` of its group summaries, which
every write touching its figures, claims, claimants or scopes rewrites before it commits
(``app.services.summaries``)."""

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from threading import Lock
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from app.db import fetch_one
from app.domain.discrepancy import Policy
from app.errors import NotFound
from app.models.discrepancies import EventDiscrepancies
from app.report import build

TOKEN = (
    "SELECT e.updated_at, (SELECT max(g.updated_at) FROM group_summary g WHERE g.event_id = e.id), "
    "(SELECT count(*) FROM group_summary g WHERE g.event_id = e.id) FROM event e WHERE e.id = {mark}"
)

Token = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class ReportKey:
    """What a report depends on besides the data: the event and the request's choices."""

    event_id: int
    metric: str | None = None
    as_of: datetime | None = None
    policy: Policy = Policy.majority
    hierarchy: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CachedReport:
    """The typed report and its JSON body, made once."""

    report: EventDiscrepancies
    json: bytes

    @staticmethod
    def of(report: EventDiscrepancies) -> "CachedReport":
        return CachedReport(report, report.model_dump_json().encode())


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TokenCache(Generic[K, V]):
    """Least recently used, bounded, thread-safe; an entry answers only while its token matches."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.entries: OrderedDict[K, tuple[Hashable, V]] = OrderedDict()
        self.lock = Lock()

    def get(self, key: K, token: Hashable) -> V | None:
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[0] != token:
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key: K, token: Hashable, entry: V) -> None:
        with self.lock:
            self.entries[key] = (token, entry)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


ReportCache = TokenCache[ReportKey, CachedReport]
reports = ReportCache()


def change_token(engine: Engine, event_id: int) -> Token | None:
    """What a cached report of this event must match; None when the event does not exist."""
    return fetch_one(engine, TOKEN, (event_id,))


def lookup(engine: Engine, key: ReportKey) -> tuple[Token, CachedReport | None]:
    """The event's change token and the cached report when it still matches it (one indexed
    query: fine on the event loop). NotFound when the event does not exist."""
    token = change_token(engine, key.event_id)
    if token is None:
        raise NotFound(f"event {key.event_id} does not exist")
    return token, reports.get(key, token)


def fill(session: Session, key: ReportKey, token: Token) -> CachedReport:
    """Build the report (the token was read first, so the report is at least as new) and keep it."""
    report = build.build_report(session, key.event_id, key.metric, key.as_of, key.policy, key.hierarchy)
    entry = CachedReport.of(report)
    reports.put(key, token, entry)
    return entry


def fill_alone(engine: Engine, key: ReportKey, token: Token) -> CachedReport:
    """``fill`` in a session of its own (for a worker thread)."""
    with Session(engine) as session:
        return fill(session, key, token)


def event_report(session: Session, key: ReportKey) -> CachedReport:
    """The report of ``key``: from the cache while the event is unchanged, else built with ``session``."""
    return tokened_report(session, key)[1]


def tokened_report(session: Session, key: ReportKey) -> tuple[Token, CachedReport]:
    """``event_report`` with the change token it matches (the page and the chart are cached by it)."""
    token, found = lookup(engine_of(session), key)
    return token, found if found is not None else fill(session, key, token)


def engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind
