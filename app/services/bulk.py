"""Bulk import of figures in the long format (one figure per row: source, subject, metric, low,
high, hedge, date, and optionally unit and period), at the speed of the database's own bulk path.

Each row becomes a figure about the event named by ``subject``, claimed by ``source`` on ``date``;
rows of one source on one date form one claim of the import (a daily report listing many
figures). Sources, events and metrics are created as needed.

The interval (see ``figure_of``): without hedge words it is the one given, ``low`` and ``high``
(exact when equal, a range when not, ``ge`` with only a low end, ``le`` [0, high] with only a high
end), checked by ``wording.check_explicit``. With hedge words, the wording reader reads the words
with the number: ``about`` + ``25`` reads "about 25" (approx [20, 30]), ``more than`` + ``1170``
"more than 1170" (gt [1171, inf)); a parenthesised note is moved after the number
("at least 1170 (visually confirmed)"), and that phrase is the figure's text. Ends given on the
wrong side of the words are refused with what the words mean. Words the reader cannot read are
kept verbatim as the text and the interval is the one given (``interval_source`` ``given``).
Readings are cached per distinct phrase: real files repeat a few phrases many times.

By default any bad row refuses the whole file (``ImportRefused`` lists every one); with
``OnError.skip`` the valid rows are stored and the refused ones kept with the import's record
(``import_reject``). Either way a malformed line refuses the file: what follows it cannot be read.
Every import leaves a record (``app.services.import_records``) and its figures and claims carry
its id. Group summaries of the touched groups are recomputed in the same transaction: groups
that had no figures before it from the figures it holds (``bulk_facts``), the others read back.

``read_csv`` reads the file for the API and the CLI alike, strictly: UTF-8 (a BOM allowed), lines
ending with LF or CRLF (a CR or a quote anywhere else belongs inside a quoted field), no NUL
character, no field longer than the csv module's ``field_size_limit`` (131,072 characters). The
first malformed line stops the import: it is reported with its line (and column where known)
after the bad rows before it, and nothing is stored."""

import codecs
import csv
import gc
import hashlib
import json
import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlmodel import Session

from app.config import get_settings
from app.db import IMMEDIATE
from app.domain import wording
from app.domain.discrepancy import Period
from app.domain.errors import DomainError, Unreadable
from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind, is_count_unit
from app.models.entities import MAX_VALUE, IntervalSource
from app.models.imports import Created, ImportKind, ImportPublic, OnError
from app.services import import_records, summaries
from app.services.bulk_facts import HeldFacts
from app.services.dates import read_date
from app.services.import_records import Origin

BATCH = 20_000
_SEARCHED = frozenset({"source", "event", "claim"})  # tables with a full-text index kept by triggers
ANALYSE_AFTER = 10_000  # figures: a smaller import leaves the statistics to autovacuum
METRIC_RE = re.compile(r"^[a-z][a-z0-9_]*$")
NOTE_RE = re.compile(r"\s*\([^()]*\)")
MAX_UNIT = 40
PERIODS = frozenset(p.value for p in Period)


@dataclass(frozen=True)
class LongFormat:
    """Which CSV column holds what (``unit`` and ``period`` are optional columns)."""

    source: str = "source"
    subject: str = "subject"
    metric: str = "metric"
    low: str = "value_low"
    high: str = "value_high"
    hedge: str = "hedge"
    date: str = "date"
    unit: str = "unit"
    period: str = "period"

    def columns(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class RowError:
    line: int
    field: str  # the column; empty when not known (a malformed line)
    reason: str
    type: str = "row"  # or MALFORMED


@dataclass
class Tally:
    """What an import has read, created and refused so far."""

    rows: int = 0
    figures: int = 0
    claims: int = 0
    sources_created: int = 0
    events_created: int = 0
    metrics_created: int = 0
    unread: int = 0
    groups: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first 1,000
    error_count: int = 0


class ImportRefused(Exception):
    """Some rows were bad: nothing was stored. ``report.errors`` lists them (the first 1,000)."""

    def __init__(self, report: Tally) -> None:
        super().__init__(f"{report.error_count} bad rows; nothing was imported")
        self.report = report


MALFORMED = "malformed-csv"
NUL_REASON = "malformed CSV: a NUL character (a UTF-16 file? save it as UTF-8)"


class Malformed(Exception):
    """The CSV cannot be read past ``error.line``: ``import_long`` refuses the whole file."""

    def __init__(self, error: RowError) -> None:
        super().__init__(f"line {error.line}: {error.reason}")
        self.error = error


def read_csv(lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The rows of a CSV file, given as its lines of bytes (a file opened in binary mode, or
    ``io.BytesIO``), by the header's column names. Raises ``Malformed`` at the first line that
    is not UTF-8, holds a NUL, or that the csv module refuses (``strict``: a bare CR outside
    quotes, a stray quote, a field over ``field_size_limit``), naming the line."""
    nul: list[int] = []  # the line of the first NUL, seen while decoding
    reader = csv.DictReader(_decoded(lines, nul), strict=True)
    row: dict[str, Any] = {}
    try:
        for row in reader:
            if nul:
                break
            yield row
    except csv.Error as exc:
        raise Malformed(RowError(reader.reader.line_num, "", _csv_reason(exc), MALFORMED)) from exc
    if nul:  # the row holding it was just read: name its column (none if the NUL is in the header)
        column = next((k for k, v in row.items() if isinstance(k, str) and isinstance(v, str) and "\x00" in v), "")
        raise Malformed(RowError(nul[0], column, NUL_REASON, MALFORMED))


def _decoded(lines: Iterable[bytes], nul: list[int]) -> Iterator[str]:
    for n, line in enumerate(lines, start=1):
        if b"\x00" in line and not nul:
            nul.append(n)
        try:
            yield (line.removeprefix(codecs.BOM_UTF8) if n == 1 else line).decode("utf-8")
        except UnicodeDecodeError as exc:
            reason = f"malformed CSV: not UTF-8 (byte {exc.start + 1} of the line)"
            raise Malformed(RowError(n, "", reason, MALFORMED)) from exc


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if text.startswith("new-line character seen in unquoted field"):
        text = "a carriage return (CR) outside quotes: quote the field, or end lines with LF or CRLF"
    elif text.startswith("field larger than field limit"):
        text = f"a field is longer than {csv.field_size_limit():,} characters"
    return f"malformed CSV: {text}"


@dataclass(frozen=True, slots=True)
class Figured:
    """The interval columns of a row's figure, and its words; ``cells`` holds them as stored
    (text, bound, low, high, central, tolerance), made once per distinct figure: ``_figure`` is
    cached and the writer copies the cells into each row."""

    bound: Bound
    low: float
    high: float | None
    central: float | None
    tolerance: float | None
    text: str | None
    source: IntervalSource
    cells: tuple[Any, ...] = field(init=False, default=())
    source_value: str = field(init=False, default="")

    def __post_init__(self) -> None:
        cells = (self.text, self.bound.value, self.low, self.high, self.central, self.tolerance)
        object.__setattr__(self, "cells", cells)
        object.__setattr__(self, "source_value", self.source.value)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a row's numbers and words make no figure; ``field`` is low, high or hedge."""

    field: str
    reason: str


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each field through object.__setattr__
class Parsed:
    source: str
    subject: str
    metric: str
    figure: Figured
    stated_at: datetime | None
    unit: str
    period: str | None  # None: the metric's

    @property
    def low(self) -> float:
        return self.figure.low

    @property
    def high(self) -> float | None:
        return self.figure.high


FIELDS = tuple(LongFormat.__dataclass_fields__)


def parse_row(
    row: Mapping[str, str | None],
    fmt: LongFormat,
    line: int,
    columns: tuple[str, ...] | None = None,
    *,
    unit: str = "people",
    tolerance: float = 0.2,
) -> Parsed | RowError:
    """One CSV row checked and typed, or the first thing wrong with it. The per-row work is a few
    cache lookups: numbers with their words (``_figure``), the date, the metric name, the unit."""
    get = row.get
    source, subject, metric_raw, low_raw, high_raw, hedge, date, unit_raw, period_raw = [
        (get(column) or "").strip() for column in columns or fmt.columns()
    ]
    for name, value in (("source", source), ("subject", subject), ("metric", metric_raw)):
        if not value:
            return RowError(line, getattr(fmt, name), "missing")
    metric = _metric_name(metric_raw)
    if metric is None:
        return RowError(line, fmt.metric, f"{metric_raw!r} is not a metric name")
    row_unit = unit_raw or unit
    found = _figure(low_raw, high_raw, hedge, _is_count(row_unit), tolerance, fmt.low, fmt.high)
    if isinstance(found, Refusal):
        return RowError(line, getattr(fmt, found.field), found.reason)
    stated_at, bad = _date(date)
    if bad:
        return RowError(line, fmt.date, bad)
    if len(source) > 300 or len(subject) > 300:
        return RowError(line, fmt.source, "a name is longer than 300 characters")
    if len(row_unit) > MAX_UNIT:
        return RowError(line, fmt.unit, f"a unit is at most {MAX_UNIT} characters")
    period = period_raw.lower() or None
    if period is not None and period not in PERIODS:
        return RowError(line, fmt.period, f"{period_raw!r} is not a period: {', '.join(sorted(PERIODS))}")
    return Parsed(source, subject, metric, found, stated_at, row_unit, period)


@lru_cache(maxsize=65536)
def _figure(
    low_raw: str, high_raw: str, hedge: str, integer: bool, tolerance: float, low_column: str, high_column: str
) -> Figured | Refusal:
    """The figure of a row's numbers and words, or why there is none; cached per distinct
    (numbers, words): real files repeat them a lot."""
    if not hedge and low_raw == high_raw and low_raw.isascii() and low_raw.isdigit() and len(low_raw) <= 15:
        value = float(low_raw)  # the common row, a whole count given twice: what _explicit makes of it
        if value <= MAX_VALUE:
            return Figured(Bound.exact, value, value, value, None, None, IntervalSource.given)
    if not low_raw and not high_raw:
        return Refusal("low", f"missing: give {low_column}, {high_column} (an upper end only) or both")
    low = _number(low_raw) if low_raw else None
    if isinstance(low, str):
        return Refusal("low", low)
    high = _number(high_raw) if high_raw else None
    if isinstance(high, str):
        return Refusal("high", high)
    if low is not None and high is not None and low > high:
        return Refusal("high", f"low {low:g} is above high {high:g}")
    if hedge:
        return figure_of(hedge, low_raw, high_raw, low, high, integer, tolerance, low_column, high_column)
    return _explicit(low, high, integer)


_date = lru_cache(maxsize=8192)(read_date)  # a file's rows share few dates


@lru_cache(maxsize=4096)
def _metric_name(raw: str) -> str | None:
    """``Cumulative deaths`` -> ``cumulative_deaths``; None when no metric name can be made."""
    name = raw.lower().replace(" ", "_").replace("-", "_")
    return name if METRIC_RE.match(name) and len(name) <= 60 else None


@lru_cache(maxsize=256)
def _is_count(unit: str) -> bool:
    return is_count_unit(unit)


def _number(raw: str) -> float | str:
    """The value, or why it is not one."""
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        return f"{raw!r} is not a number"
    if not math.isfinite(value) or value < 0 or value > MAX_VALUE:
        return f"{raw!r} is not a finite, non-negative count"
    return value


def _explicit(low: float | None, high: float | None, integer: bool) -> Figured | Refusal:
    """The interval as given: exact, range, ge (no high end) or le (no low end, [0, high])."""
    if low is None:
        bound, low = Bound.le, 0.0
    elif high is None:
        bound = Bound.ge
    else:
        bound = Bound.exact if low == high else Bound.range
    try:
        interval = wording.check_explicit(bound, low, high, integer=integer)
    except DomainError as exc:
        return Refusal("high" if "high" in str(exc) and "low" not in str(exc) else "low", str(exc))
    central = interval.low if bound is Bound.exact else None
    return Figured(bound, interval.low, interval.high, central, None, None, IntervalSource.given)


def figure_of(
    hedge: str,
    low_raw: str,
    high_raw: str,
    low: float | None,
    high: float | None,
    integer: bool,
    tolerance: float,
    low_column: str = "value_low",
    high_column: str = "value_high",
) -> Figured | Refusal:
    """A row's figure from its hedge words and numbers, through the wording reader.

    The phrase read is the words with the number given (``low``, else ``high``; "low to high" when
    both are given and differ), a parenthesised note moved after it: ``at least (visually
    confirmed)`` + ``1170`` -> "at least 1170 (visually confirmed)"; hedge words that hold a
    number themselves ("more than 200") are read as they are and must state the number given.
    The ends given must sit where the words put the number: "up to 50" is an upper end (in the
    high column), "more than 50" a lower one (in the low column). Words the reader cannot read
    keep the interval given, and are kept verbatim."""
    words = NOTE_RE.sub("", hedge).strip()
    notes = " ".join(m.group(0).strip() for m in NOTE_RE.finditer(hedge))
    given = [v for v in (low, high) if v is not None]
    if any(ch.isdigit() for ch in words):
        phrase = hedge
    else:
        two = low is not None and high is not None and low != high
        number = f"{low_raw} to {high_raw}" if two else (low_raw or high_raw)
        phrase = " ".join(p for p in (words, number, notes) if p)
    try:
        reading = wording.read(phrase, tolerance=tolerance, integer=integer)
    except Unreadable:
        explicit = _explicit(low, high, integer)
        return explicit if isinstance(explicit, Refusal) else replace(explicit, text=hedge)
    except DomainError as exc:
        return Refusal("hedge", f"{phrase!r}: {exc}")
    if reading.low is None or reading.bound is Bound.relative:
        return Refusal("hedge", f"{phrase!r} is relative to another figure, which a CSV row cannot name")
    means = f"the words {phrase!r} mean {_shape(reading.bound, reading.low, reading.high)}"
    if set(reading.numbers) != set(given):
        stated = " and ".join(_fmt(n) for n in reading.numbers)
        where = "low" if low is not None else "high"
        return Refusal(where, f"{means}: they state {stated}, not the {_given(low, high)}")
    if high is None and reading.bound in (Bound.lt, Bound.le):
        moved = f"put it in {high_column}"
        return Refusal("low", f"{means}, an upper end, but {low_raw} was given as {low_column}: {moved}")
    if reading.high is None and high is not None and low != high:
        side = f"as {high_column}: put it in {low_column}" if low is None else f"as {high_column}: leave it empty"
        return Refusal("high", f"{means}, with no upper end, but {high_raw} was given {side}")
    return Figured(
        reading.bound, reading.low, reading.high, reading.central, reading.tolerance, phrase, IntervalSource.read
    )


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _shape(bound: Bound, low: float, high: float | None) -> str:
    return f"{bound.value} [{_fmt(low)}, {'inf)' if high is None else _fmt(high) + ']'}"


def _given(low: float | None, high: float | None) -> str:
    if low is not None and high is not None and low != high:
        return f"{_fmt(low)} to {_fmt(high)} given"
    return f"{_fmt(low if low is not None else high or 0)} given"


# --- writing ----------------------------------------------------------------------------------------
class Names:
    """Ids of sources, events and metrics by name, created on first sight inside the import, a
    batch of rows at a time (one statement per table, not one per name: an import of incident
    lists creates tens of thousands of events); the ones created are remembered, so that undoing
    the import can remove them."""

    def __init__(self, conn: Connection, report: Tally, writer: "Writer") -> None:
        self.conn, self.report, self.writer = conn, report, writer
        self.sources: dict[str, int] = dict(
            conn.execute(text("SELECT name, id FROM source WHERE parent_id IS NULL")).all()
        )
        self.events: dict[str, int] = dict(conn.execute(text("SELECT name, min(id) FROM event GROUP BY name")).all())
        self.periods: dict[str, str] = dict(conn.execute(text("SELECT name, period FROM metric")).all())
        self.created: dict[str, list[Any]] = {"sources": [], "events": [], "metrics": []}

    def resolve(self, rows: list[Parsed]) -> list[tuple[Parsed, int, int, str]]:
        """Each row with its claimant's id, its event's id and its metric's period."""
        sources, events, periods = self.sources, self.events, self.periods
        self._create("source", [p.source for p in rows if p.source not in sources], sources, SourceKind.other.value)
        self._create("event", [p.subject for p in rows if p.subject not in events], events)
        for metric in dict.fromkeys(p.metric for p in rows if p.metric not in periods):
            self._metric(metric)
        resolved = [(p, sources[p.source], events[p.subject], periods[p.metric]) for p in rows]
        self.writer.held.meet(self.conn, {event for _, _, event, _ in resolved})
        return resolved

    def _create(self, table: str, names: list[str], known: dict[str, int], kind: str | None = None) -> None:
        """Insert the distinct ``names`` into ``table`` (``source`` with ``kind``, or ``event``)."""
        if not names:
            return
        fresh = list(dict.fromkeys(names))
        ids = self.writer.insert_named(table, fresh, kind)
        known.update(zip(fresh, ids, strict=True))
        self.created[f"{table}s"].extend(ids)
        if table == "source":
            self.report.sources_created += len(ids)
        else:
            self.report.events_created += len(ids)
            self.writer.held.create(ids)

    def _metric(self, name: str) -> None:
        """A new metric, of the default period (a file names few metrics: one statement each)."""
        self.conn.execute(
            text("INSERT INTO metric (name, period, created_at, updated_at, version) VALUES (:n, :p, :t, :t, 1)"),
            {"n": name, "p": Period.event.value, "t": self.writer.now},
        )
        self.periods[name] = Period.event.value
        self.created["metrics"].append(name)
        self.report.metrics_created += 1


CLAIM_COLUMNS = ("id", "claimant_id", "stated_at", "modality", "import_id", "created_at", "updated_at", "version")
FIGURE_COLUMNS = (
    "id",
    "claim_id",
    "event_id",
    "metric",
    "unit",
    "text",
    "bound",
    "low",
    "high",
    "central",
    "tolerance",
    "period",
    "interval_source",
    "import_id",
    "created_at",
    "updated_at",
    "version",
)


class Writer:
    """Rows into claim and figure through the driver's bulk path: executemany on SQLite, COPY on
    PostgreSQL. Ids are allocated here, a block per batch, inside the import's transaction (tables
    locked on PostgreSQL), so figures can point at their claims without a round trip per row.

    An allocated id was never used, not even by a row deleted since (its restore needs the id):
    on SQLite the block starts above the table's AUTOINCREMENT counter, which the inserts then
    move past it; on PostgreSQL it is taken from the table's sequence."""

    def __init__(self, conn: Connection, import_id: int) -> None:
        self.conn, self.import_id = conn, import_id
        self.postgres = conn.dialect.name == "postgresql"
        if self.postgres:
            conn.execute(text("LOCK TABLE claim, figure IN SHARE ROW EXCLUSIVE MODE"))
        else:
            conn.exec_driver_sql("PRAGMA cache_size = -65536")  # 64 MB: index pages stay in memory
        self.held = HeldFacts(self._when)  # the figures of groups new to the database
        self.claims: dict[tuple[int, datetime | None], int] = {}
        self.now = datetime.now(UTC)
        self.stamp: Any = self.now if self.postgres else self.now.strftime("%Y-%m-%d %H:%M:%S.%f")

    def _when(self, moment: datetime | None) -> Any:
        if moment is None or self.postgres:
            return moment
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    def write(self, batch: list[tuple[Parsed, int, int, str]]) -> tuple[int, set[tuple[int, str]]]:
        """Insert one batch of (row, claimant id, event id, metric's period); returns new claims and
        touched groups."""
        fresh = list(
            dict.fromkeys(key for p, claimant, _, _ in batch if (key := (claimant, p.stated_at)) not in self.claims)
        )
        first_claim = self.allocate("claim", len(fresh))
        claims: list[tuple[Any, ...]] = []
        reported, stamp, import_id = Modality.reported.value, self.stamp, self.import_id
        for ident, (claimant, stated_at) in enumerate(fresh, start=first_claim):
            self.claims[claimant, stated_at] = ident
            claims.append((ident, claimant, self._when(stated_at), reported, import_id, stamp, stamp, 1))
        figures: list[tuple[Any, ...]] = []
        groups: set[tuple[int, str]] = set()
        held, created, had = self.held, self.held.created, self.held.had
        for ident, (p, claimant, event, period) in enumerate(batch, start=self.allocate("figure", len(batch))):
            f = p.figure
            claim = self.claims[claimant, p.stated_at]
            row_period = p.period or period
            cells = (ident, claim, event, p.metric, p.unit, *f.cells, row_period, f.source_value)
            figures.append((*cells, import_id, stamp, stamp, 1))
            groups.add((event, p.metric))
            if event in created or p.metric not in had[event]:  # a group new to the database
                held.add((event, p.metric), ident, claim, claimant, f.low, f.high, (f.text, row_period, p.stated_at))
        self._copy("claim", CLAIM_COLUMNS, claims)
        self._copy("figure", FIGURE_COLUMNS, figures)
        return len(claims), groups

    def insert_named(self, table: str, names: list[str], kind: str | None) -> list[int]:
        """Insert rows of ``table`` (source or event) with these names, and ``kind`` for a source;
        returns their ids, in order."""
        extra = {} if kind is None else {"kind": kind}
        if self.postgres:  # one statement, the ids back by name (distinct in ``names``)
            columns = ", ".join(["name", *extra, "created_at", "updated_at", "version"])
            values = ", ".join(["n", *(f":{k}" for k in extra), ":t", ":t", "1"])
            stmt = text(
                f"INSERT INTO {table} ({columns}) SELECT {values} FROM unnest(CAST(:names AS text[])) AS n "
                "RETURNING name, id"
            )
            found = {str(n): int(i) for n, i in self.conn.execute(stmt, {"names": names, "t": self.now, **extra})}
            return [found[name] for name in names]
        first = self.allocate(table, len(names))
        ids = list(range(first, first + len(names)))
        rows = [(i, name, *extra.values(), self.stamp, self.stamp, 1) for i, name in zip(ids, names, strict=True)]
        self._copy(table, ("id", "name", *extra, "created_at", "updated_at", "version"), rows)
        return ids

    def allocate(self, table: str, count: int) -> int:
        """The first of ``count`` consecutive ids of ``table`` that were never used."""
        if count == 0:
            return 0
        if self.postgres:
            # Draws the block [nextval, nextval + count - 1] and moves the sequence past it in one
            # statement: under the import's lock no other insert can draw from it meanwhile.
            sequence = "pg_get_serial_sequence(:table, 'id')"
            stmt = text(f"SELECT setval({sequence}, nextval({sequence}) + :count - 1)")
            return int(self.conn.execute(stmt, {"table": table, "count": count}).scalar_one()) - count + 1
        counter = "SELECT seq FROM sqlite_sequence WHERE name = :table"
        stmt = text(f"SELECT max(coalesce(({counter}), 0), coalesce((SELECT max(id) FROM {table}), 0))")
        return int(self.conn.execute(stmt, {"table": table}).scalar_one()) + 1

    def _copy(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        raw: Any = self.conn.connection.dbapi_connection
        cursor = raw.cursor()
        try:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            elif table in _SEARCHED:
                # One statement for the whole batch: the search index's trigger flushes its pending
                # terms at every statement, so row-by-row inserts cost 65 µs each (26,000 events:
                # 2.2 s as executemany, 0.3 s as one INSERT ... SELECT from a JSON array).
                picks = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
                stmt = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picks} FROM json_each(?)"
                for start in range(0, len(rows), BATCH):
                    cursor.execute(stmt, (json.dumps(rows[start : start + BATCH]),))
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        finally:
            cursor.close()

    def finish(self) -> None:
        if not self.postgres:
            self.conn.exec_driver_sql("PRAGMA cache_size = -2000")  # back to SQLite's default

    def analyse(self, figures: int, tables: str) -> None:
        """On PostgreSQL, after a large import, refresh the planner's statistics of the tables it
        grew (autovacuum would, later). The stored rows first, before the summaries are read back
        from them: the planner's picture of a table is otherwise that of before the import (an
        import into a database that already held 110,000 figures spent 21 s instead of 9 s reading
        back the groups of 49,000 new rows). Then the summary tables: without statistics the first
        page of disputes read all of ``group_summary`` instead of its severity index (6 ms against
        0.03 ms over a million figures). SQLite keeps no statistics unless asked, and its plans
        here need none."""
        if self.postgres and figures >= ANALYSE_AFTER:
            self.conn.exec_driver_sql(f"ANALYZE {tables}")


_pausing = threading.Lock()
_paused = 0  # imports running with the cycle collector paused
_was_enabled = True  # the collector's state when the first of them began


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector re-scans the live objects each time enough new ones survive; an
    import makes millions (none in cycles: they go by reference counting) while the caller's rows
    stay alive, and those scans cost about a quarter of its CPU. So it is paused while any import
    runs; whatever other threads leave in cycles meanwhile is collected when the last one ends,
    which puts the collector back as it found it."""
    global _paused, _was_enabled
    with _pausing:
        if _paused == 0:
            _was_enabled = gc.isenabled()
        _paused += 1
        gc.disable()
    try:
        yield
    finally:
        with _pausing:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_long(
    engine: Engine,
    rows: Iterable[Mapping[str, str | None]],
    fmt: LongFormat | None = None,
    *,
    unit: str = "people",
    on_error: OnError = OnError.fail,
    origin: Origin | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportPublic:
    """Import the rows; returns the import's record. With ``OnError.fail`` (the default) any bad
    row raises ImportRefused listing them and nothing is stored; with ``OnError.skip`` the bad rows
    are kept with the record and the others stored. A malformed line raises ImportRefused either way."""
    fmt = fmt or LongFormat()
    origin = origin or Origin()
    tolerance = get_settings().tolerance
    skip = on_error is OnError.skip
    report = Tally()
    touched: set[tuple[int, str]] = set()
    columns: list[str] = []
    with (
        _collector_paused(),
        engine.connect() as plain,
        plain.execution_options(**{IMMEDIATE: True}).begin() as transaction,
    ):
        conn = transaction.connection
        with Session(bind=conn) as session:
            session.info["actor"] = origin.actor
            import_id = import_records.start(session, ImportKind.csv, origin, on_error, unit)
        writer = Writer(conn, import_id)
        names = Names(conn, report, writer)
        malformed: list[RowError] = []
        for chunk in _chunks(enumerate(_until_malformed(rows, malformed), start=2), BATCH):  # line 1: header
            if not columns:
                columns = [str(c) for c in chunk[0][1] if c is not None]
            good, bad = _check(chunk, fmt, report, unit, tolerance)
            report.rows += len(chunk)
            if skip:
                import_records.add_rejects(conn, import_id, [_reject(e, row, columns) for e, row in bad])
            if skip or (report.error_count == 0 and not malformed):
                resolved = names.resolve(good)
                claims, groups = writer.write(resolved)
                report.claims += claims
                report.figures += len(resolved)
                touched |= groups
            if progress:
                progress(len(chunk))
        if malformed:  # the file cannot be read further: listed after the bad rows before it
            report.error_count += 1
            report.errors += malformed
            raise ImportRefused(report)  # leaving the block rolls everything back
        if report.error_count and not skip:
            raise ImportRefused(report)
        writer.finish()
        writer.analyse(report.figures, "figure, claim, source, event")
        with Session(bind=conn) as session:
            session.info["actor"] = origin.actor
            summaries.refresh(session, touched, locked=True, held=writer.held)
            writer.analyse(report.figures, "group_summary, group_voice")
            report.groups = len(touched)
            created = Created(
                sources=report.sources_created,
                events=report.events_created,
                metrics=report.metrics_created,
                claims=report.claims,
                figures=report.figures,
            )
            record = import_records.finish(
                session,
                import_id,
                rows=report.rows,
                created=created,
                created_ids=names.created,
                rejected=report.error_count,
                unread=report.unread,
                groups=report.groups,
                columns=columns,
            )
            result = import_records.public(session, record)
            session.flush()
    return result


def _check(
    chunk: list[tuple[int, Mapping[str, str | None]]], fmt: LongFormat, report: Tally, unit: str, tolerance: float
) -> tuple[list[Parsed], list[tuple[RowError, Mapping[str, str | None]]]]:
    good: list[Parsed] = []
    bad: list[tuple[RowError, Mapping[str, str | None]]] = []
    columns = fmt.columns()
    for line, row in chunk:
        parsed = parse_row(row, fmt, line, columns, unit=unit, tolerance=tolerance)
        if isinstance(parsed, RowError):
            report.error_count += 1
            if len(report.errors) < 1000:
                report.errors.append(parsed)
            bad.append((parsed, row))
        else:
            good.append(parsed)
            if parsed.figure.source is IntervalSource.given and parsed.figure.text is not None:
                report.unread += 1
    return good, bad


def _reject(error: RowError, row: Mapping[str, str | None], columns: list[str]) -> dict[str, Any]:
    return {
        "line": error.line,
        "field": error.field,
        "reason": error.reason,
        "type": error.type,
        "key": None,
        "row": {c: row.get(c) for c in columns},
    }


def _until_malformed(rows: Iterable[Mapping[str, str | None]], malformed: list[RowError]) -> Iterator[Any]:
    """The rows up to a malformed line, whose error is put in ``malformed``."""
    try:
        yield from rows
    except Malformed as exc:
        malformed.append(exc.error)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
