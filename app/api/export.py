"""Lists as files: ``?format=csv`` or ``ndjson`` (or an ``Accept`` header asking for them) streams
every row matching the list's filters, in chunks read by id, so exporting a million figures never
holds them in memory. ``&hxl=true`` adds a row of HXL hashtags under the CSV header, for
humanitarian data tools.

CSV is read by spreadsheets, which run a cell beginning with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK(...)`` sends data away, ``+cmd|...`` runs a program): every text cell that
begins with one of those, a tab or a carriage return is written with a single quote before it
(OWASP's rule for CSV injection), in ``spreadsheet_cell``, the one place every CSV writer goes
through (the list exports and ``countercheck export``). A spreadsheet shows ``'=1+1`` as the text
``=1+1``. Numbers are written as they are: ``-3.5`` stays a number; only text changes. NDJSON is
not touched: it is data for programs, not a sheet, and a value there is exactly what was stored."""

import csv
import io
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.api.deps import PageDep, fixed_order, known_params, page_body
from app.errors import Invalid
from app.models.common import Page
from app.services.common import PageRequest

MEDIA = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}
ACCEPT = {"text/csv": "csv", "application/x-ndjson": "ndjson", "application/ndjson": "ndjson"}
EXPORT_PARAMS = frozenset({"format", "hxl"})
CHUNK = 5000

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}}},
        "description": "A page as JSON, or with `format=csv|ndjson` every matching row as a file.",
    }
}
FormatQuery = Annotated[
    str | None, Query(pattern="^(json|csv|ndjson)$", description="json (a page, default), csv or ndjson (every row)")
]
HxlQuery = Annotated[bool, Query(description="With format=csv: a second row of HXL hashtags")]
Row = Mapping[str, object]  # one exported record, flat: column name -> stored value
# HXL hashtags of the columns that have one (https://hxlstandard.org)
HXL = {
    "id": "#meta+id",
    "name": "#org+name",
    "claimant_name": "#org+name+claimant",
    "claimant_id": "#org+id",
    "metric": "#indicator+name",
    "low": "#affected+num+min",
    "high": "#affected+num+max",
    "stated_at": "#date+reported",
    "published_at": "#date+published",
    "event_id": "#event+id",
    "event_name": "#event+name",
    "scope_name": "#group+name",
    "relays": "#org+name+relay",
    "text": "#description+words",
    "quote": "#description+quote",
    "started_at": "#date+start",
    "ended_at": "#date+end",
    "place": "#loc+name",
    "affiliation": "#org+type",
    "scope_id": "#group+id",
    "modality": "#status",
}


def wanted(request: Request, format: str | None) -> str | None:
    """``csv`` or ``ndjson`` when asked for by parameter or Accept header; None for a JSON page."""
    if format is not None:
        return None if format == "json" else format
    accept = request.headers.get("accept", "")
    return next((fmt for media, fmt in ACCEPT.items() if media in accept), None)


def stream(rows: Iterator[Row], columns: list[str], fmt: str, hxl: bool, name: str) -> StreamingResponse:
    if hxl and fmt != "csv":
        raise Invalid("hxl=true needs format=csv", field="hxl")
    body = csv_lines(rows, columns, hxl) if fmt == "csv" else ndjson_lines(rows)
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return StreamingResponse(body, media_type=MEDIA[fmt], headers=headers)


def csv_lines(rows: Iterator[Row], columns: list[str], hxl: bool) -> Iterator[bytes]:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(columns)
    if hxl:
        out.writerow([HXL.get(c, "") for c in columns])
    for n, row in enumerate(rows, start=1):
        out.writerow([spreadsheet_cell(row.get(c)) for c in columns])
        if n % 1000 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


# A text cell beginning with one of these is read as a formula by a spreadsheet (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A value as a CSV cell that a spreadsheet shows and never runs: text that would start a
    formula gets a leading ``'``; numbers (negative ones too) are written as they are."""
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(value: object) -> object:
    """A value as a CSV cell (None as empty) or as orjson cannot write it: times in UTC with a Z,
    enums by value."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Enum):
        return value.value
    return value


def ndjson_lines(rows: Iterator[Row]) -> Iterator[bytes]:
    lines = []
    for n, row in enumerate(rows, start=1):
        lines.append(orjson.dumps(row, default=_cell) + b"\n")
        if n % 1000 == 0:
            yield b"".join(lines)
            lines = []
    yield b"".join(lines)


def chunked(fetch: Callable[[int, int], Sequence[Row]]) -> Iterator[Row]:
    """Rows by ascending id, ``CHUNK`` at a time: ``fetch(after_id, limit)`` reads one chunk."""
    after = 0
    while True:
        rows = fetch(after, CHUNK)
        yield from rows
        if len(rows) < CHUNK:
            return
        last = rows[-1]["id"]
        assert isinstance(last, int)  # exported lists are read by their integer id
        after = last


# --- any list as a file ---------------------------------------------------------------------------
T = TypeVar("T", bound=BaseModel)
Fetch = Callable[[PageRequest], tuple[list[T], int | None]]


@dataclass
class Listing:
    """What every list route takes besides its filters, as one dependency: the request, the page
    (``limit``, ``offset``, ``after``, ``sort``) and the file format asked for (``format``, ``hxl``).
    Its methods refuse unknown query parameters, then answer a page or a file."""

    request: Request
    page: PageDep
    format: FormatQuery = None
    hxl: HxlQuery = False

    def check(self, *filters: type[BaseModel], extra: frozenset[str] = frozenset(), order: str | None = None) -> None:
        """Refuse a query parameter that is not a filter, a page or a format one (and, for a list
        whose ``order`` is part of its meaning, any ``sort``)."""
        known_params(self.request, *filters, extra=extra | EXPORT_PARAMS)
        if order is not None:
            fixed_order(self.page, order)

    def file_format(self) -> str | None:
        """``csv`` or ``ndjson`` when a file is asked for, else None (a page)."""
        return wanted(self.request, self.format)

    def file(self, rows: Iterator[Row], columns: list[str], fmt: str, name: str) -> StreamingResponse:
        return stream(rows, columns, fmt, self.hxl, name)

    def page_of(self, items: list[T], total: int | None) -> Page[T]:
        return page_body(self.request, self.page, items, total)

    def answer(self, fetch: Fetch[T], model: type[T], name: str) -> StreamingResponse | Page[T]:
        """A list's answer: one page of ``fetch``, or with ``format=csv|ndjson`` (or an ``Accept``
        asking for them) every matching item as a file, read ``CHUNK`` at a time by the list's own
        query. (Figures and the simple records stream their own, leaner export: ``chunked``.)"""
        fmt = self.file_format()
        if fmt is None:
            return self.page_of(*fetch(self.page))
        first, rest = _peek(_every(fetch, self.page.sort))
        return self.file(rest, list(first) if first else list(model.model_fields), fmt, name)


ListingDep = Annotated[Listing, Depends()]


def _every(fetch: Fetch[T], sort: str | None) -> Iterator[Row]:
    """Every item, page by page in the list's own order (offset paging: every list honours it)."""
    offset = 0
    while True:
        items, _ = fetch(PageRequest(CHUNK, offset, sort, count=False))
        yield from (flat(item) for item in items)
        if len(items) < CHUNK:
            return
        offset += CHUNK


def _peek(rows: Iterator[Row]) -> tuple[Row | None, Iterator[Row]]:
    first = next(rows, None)
    return first, (itertools.chain([first], rows) if first is not None else iter(()))


def flat(item: BaseModel) -> Row:
    """One item as one row: a nested record that names something (``{"id", "name"}``) becomes two
    columns (``claimant_id``, ``claimant_name``), other nested values a JSON text cell."""
    row: dict[str, object] = {}
    for key, value in item.model_dump(mode="json").items():
        if isinstance(value, dict) and set(value) <= {"id", "name"}:
            row.update({f"{key}_{k}": v for k, v in value.items()})
        elif isinstance(value, dict | list):
            row[key] = orjson.dumps(value).decode()
        else:
            row[key] = value
    return row
