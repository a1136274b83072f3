"""Bulk import of figures in the long format (one figure per row: source, subject, metric, low,
high, hedge, date), all or nothing, at the speed of the database's own bulk path.

Each row becomes a figure about the event named by ``subject``, claimed by ``source`` on ``date``;
rows of one source on one date form one claim (a daily report listing many figures). Sources,
events and metrics are created as needed. The interval is the published one: ``low``, ``high``
(empty = no upper bound); the bound follows from it (exact, range, ge) and the ``hedge`` words,
when given, are kept as the figure's text. Every bad row is reported with its line and why; if
any row is bad nothing is stored. Group summaries of the touched groups are recomputed in the same
transaction before it commits.

``read_csv`` reads the file for the API and the CLI alike, strictly: UTF-8 (a BOM allowed), lines
ending with LF or CRLF (a CR or a quote anywhere else belongs inside a quoted field), no NUL
character, no field longer than the csv module's ``field_size_limit`` (131,072 characters). The
first malformed line stops the import: it is reported with its line (and column where known)
after the bad rows before it, and nothing is stored."""

import codecs
import csv
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlmodel import Session

from app.db import IMMEDIATE
from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.models.entities import MAX_VALUE
from app.services import summaries

BATCH = 20_000
METRIC_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class LongFormat:
    """Which CSV column holds what."""

    source: str = "source"
    subject: str = "subject"
    metric: str = "metric"
    low: str = "value_low"
    high: str = "value_high"
    hedge: str = "hedge"
    date: str = "date"

    def columns(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class RowError:
    line: int
    field: str  # the column; empty when not known (a malformed line)
    reason: str
    type: str = "row"  # or MALFORMED


@dataclass
class ImportReport:
    rows: int = 0
    figures: int = 0
    claims: int = 0
    sources_created: int = 0
    events_created: int = 0
    metrics_created: int = 0
    groups: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0


class ImportRefused(Exception):
    """Some rows were bad: nothing was stored. ``report.errors`` lists them (the first 1,000)."""

    def __init__(self, report: ImportReport) -> None:
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


@dataclass(frozen=True)
class Parsed:
    source: str
    subject: str
    metric: str
    low: float
    high: float | None
    hedge: str | None
    stated_at: datetime | None


FIELDS = tuple(LongFormat.__dataclass_fields__)
REQUIRED = ("source", "subject", "metric", "low")


def parse_row(
    row: Mapping[str, str | None], fmt: LongFormat, line: int, columns: tuple[str, ...] | None = None
) -> Parsed | RowError:
    """One CSV row checked and typed, or the first thing wrong with it."""
    get = row.get
    values = dict(zip(FIELDS, [(get(column) or "").strip() for column in columns or fmt.columns()], strict=True))
    for name in REQUIRED:
        if not values[name]:
            return RowError(line, getattr(fmt, name), "missing")
    metric = _metric_name(values["metric"])
    if metric is None:
        return RowError(line, fmt.metric, f"{values['metric']!r} is not a metric name")
    low = _number(values["low"])
    if isinstance(low, str):
        return RowError(line, fmt.low, low)
    high = _number(values["high"]) if values["high"] else None
    if isinstance(high, str):
        return RowError(line, fmt.high, high)
    if high is not None and low > high:
        return RowError(line, fmt.high, f"low {low:g} is above high {high:g}")
    stated_at, bad = _date(values["date"])
    if bad:
        return RowError(line, fmt.date, bad)
    if len(values["source"]) > 300 or len(values["subject"]) > 300:
        return RowError(line, fmt.source, "a name is longer than 300 characters")
    return Parsed(values["source"], values["subject"], metric, low, high, values["hedge"] or None, stated_at)


@lru_cache(maxsize=4096)
def _metric_name(raw: str) -> str | None:
    """``Cumulative deaths`` -> ``cumulative_deaths``; None when no metric name can be made."""
    name = raw.lower().replace(" ", "_").replace("-", "_")
    return name if METRIC_RE.match(name) and len(name) <= 60 else None


def _number(raw: str) -> float | str:
    """The value, or why it is not one."""
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        return f"{raw!r} is not a number"
    if not math.isfinite(value) or value < 0 or value > MAX_VALUE:
        return f"{raw!r} is not a finite, non-negative count"
    return value


@lru_cache(maxsize=65536)
def _date(raw: str) -> tuple[datetime | None, str | None]:
    if not raw:
        return None, None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None, f"{raw!r} is not an ISO date"
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC), None


def _bound(p: Parsed) -> Bound:
    if p.high is None:
        return Bound.ge
    return Bound.exact if p.low == p.high else Bound.range


# --- writing ----------------------------------------------------------------------------------------
class Names:
    """Ids of sources, events and metrics by name, created on first sight inside the import."""

    def __init__(self, conn: Connection, report: ImportReport) -> None:
        self.conn, self.report = conn, report
        self.sources: dict[str, int] = dict(
            conn.execute(text("SELECT name, id FROM source WHERE parent_id IS NULL")).all()
        )
        self.events: dict[str, int] = dict(conn.execute(text("SELECT name, min(id) FROM event GROUP BY name")).all())
        self.metrics = set(conn.execute(text("SELECT name FROM metric")).scalars())
        self.now = datetime.now(UTC)

    def source(self, name: str) -> int:
        if name not in self.sources:
            self.sources[name] = self._insert("source", {"name": name, "kind": SourceKind.other.value})
            self.report.sources_created += 1
        return int(self.sources[name])

    def event(self, name: str) -> int:
        if name not in self.events:
            self.events[name] = self._insert("event", {"name": name})
            self.report.events_created += 1
        return int(self.events[name])

    def metric(self, name: str) -> str:
        if name not in self.metrics:
            self.conn.execute(
                text("INSERT INTO metric (name, created_at, updated_at, version) VALUES (:n, :t, :t, 1)"),
                {"n": name, "t": self.now},
            )
            self.metrics.add(name)
            self.report.metrics_created += 1
        return name

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        columns = ", ".join([*values, "created_at", "updated_at", "version"])
        marks = ", ".join([f":{k}" for k in values] + [":t", ":t", "1"])
        stmt = text(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id")
        return int(self.conn.execute(stmt, {**values, "t": self.now}).scalar_one())


CLAIM_COLUMNS = ("id", "claimant_id", "stated_at", "modality", "created_at", "updated_at", "version")
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

    def __init__(self, conn: Connection, unit: str) -> None:
        self.conn, self.unit = conn, unit
        self.postgres = conn.dialect.name == "postgresql"
        if self.postgres:
            conn.execute(text("LOCK TABLE claim, figure IN SHARE ROW EXCLUSIVE MODE"))
        else:
            conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MB: index pages stay in memory
        self.claims: dict[tuple[int, datetime | None], int] = {}
        self.now = datetime.now(UTC)
        self.stamp: Any = self.now if self.postgres else self.now.strftime("%Y-%m-%d %H:%M:%S.%f")

    def _when(self, moment: datetime | None) -> Any:
        if moment is None or self.postgres:
            return moment
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    def write(self, batch: list[tuple[Parsed, int, int]]) -> tuple[int, set[tuple[int, str]]]:
        """Insert one batch of (row, claimant id, event id); returns new claims and touched groups."""
        fresh = list(
            dict.fromkeys(key for p, claimant, _ in batch if (key := (claimant, p.stated_at)) not in self.claims)
        )
        first_claim = self.allocate("claim", len(fresh))
        claims: list[tuple[Any, ...]] = []
        for ident, (claimant, stated_at) in enumerate(fresh, start=first_claim):
            self.claims[claimant, stated_at] = ident
            claims.append((ident, claimant, self._when(stated_at), Modality.reported.value, self.stamp, self.stamp, 1))
        figures: list[tuple[Any, ...]] = []
        groups: set[tuple[int, str]] = set()
        for ident, (p, claimant, event) in enumerate(batch, start=self.allocate("figure", len(batch))):
            bound = _bound(p)
            figures.append(
                (
                    ident,
                    self.claims[claimant, p.stated_at],
                    event,
                    p.metric,
                    self.unit,
                    p.hedge,
                    bound.value,
                    p.low,
                    p.high,
                    p.low if bound is Bound.exact else None,
                    self.stamp,
                    self.stamp,
                    1,
                )
            )
            groups.add((event, p.metric))
        self._copy("claim", CLAIM_COLUMNS, claims)
        self._copy("figure", FIGURE_COLUMNS, figures)
        return len(claims), groups

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
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        finally:
            cursor.close()

    def finish(self) -> None:
        if not self.postgres:
            self.conn.exec_driver_sql("PRAGMA cache_size = -2000")  # back to SQLite's default


def import_long(
    engine: Engine,
    rows: Iterable[Mapping[str, str | None]],
    fmt: LongFormat | None = None,
    *,
    unit: str = "people",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every row or none; raises ImportRefused listing the bad rows."""
    fmt = fmt or LongFormat()
    report = ImportReport()
    touched: set[tuple[int, str]] = set()
    with engine.connect() as plain, plain.execution_options(**{IMMEDIATE: True}).begin() as transaction:
        conn = transaction.connection
        names, writer = Names(conn, report), Writer(conn, unit)
        malformed: list[RowError] = []
        for chunk in _chunks(enumerate(_until_malformed(rows, malformed), start=2), BATCH):  # line 1: header
            good = _check(chunk, fmt, report)
            report.rows += len(chunk)
            if report.error_count == 0 and not malformed:
                resolved = [(p, names.source(p.source), names.event(p.subject)) for p in good]
                for p in good:
                    names.metric(p.metric)
                claims, groups = writer.write(resolved)
                report.claims += claims
                report.figures += len(resolved)
                touched |= groups
            if progress:
                progress(len(chunk))
        if malformed:  # the file cannot be read further: listed after the bad rows before it
            report.error_count += 1
            report.errors += malformed
        if report.error_count:
            raise ImportRefused(report)  # leaving the block rolls everything back
        writer.finish()
        with Session(bind=conn) as session:
            summaries.refresh(session, touched, locked=True)
            session.flush()
        report.groups = len(touched)
    return report


def _check(chunk: list[tuple[int, Mapping[str, str | None]]], fmt: LongFormat, report: ImportReport) -> list[Parsed]:
    good: list[Parsed] = []
    columns = fmt.columns()
    for line, row in chunk:
        parsed = parse_row(row, fmt, line, columns)
        if isinstance(parsed, RowError):
            report.error_count += 1
            if len(report.errors) < 1000:
                report.errors.append(parsed)
        else:
            good.append(parsed)
    return good


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
