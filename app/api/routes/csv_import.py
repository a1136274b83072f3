"""Figures from a CSV file in the long format, through the API (small files; the CLI's
`countercheck import` takes large ones with a progress bar)."""

import io
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.concurrency import run_in_threadpool

from app.api.access import Writer
from app.api.deps import known_params
from app.api.problems import Router, responses
from app.db import get_engine
from app.errors import Invalid
from app.models.imports import ImportPublic, OnError
from app.services.bulk import ImportRefused, LongFormat, import_long, read_csv, sha256_of
from app.services.import_records import Origin

router = Router(prefix="/figures", tags=["figures"])
EXAMPLE = (
    "source,subject,metric,value_low,value_high,hedge,date\n"
    "General Staff of the Armed Forces of Ukraine,Russian equipment losses,tank,2262,2262,,2022-09-24\n"
    "Oryx,Russian equipment losses,tank,1170,,at least (visually confirmed),2022-09-24\n"
)
Column = Annotated[str | None, Query(max_length=100)]
# query parameter -> the LongFormat field it maps (``unit`` is the default unit, so its column is ``unit_column``)
MAPPED = {
    "source": "source",
    "subject": "subject",
    "metric": "metric",
    "low": "low",
    "high": "high",
    "hedge": "hedge",
    "date": "date",
    "unit_column": "unit",
    "period": "period",
}
OnErrorQuery = Annotated[
    OnError,
    Query(description="`fail` (default): any bad row refuses the file. `skip`: store the valid rows, list the others."),
]
FilenameQuery = Annotated[
    str | None, Query(max_length=300, description="The file's name, kept with the import's record.")
]


def error_list(refused: ImportRefused) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(p for p in (f"line {e.line}", e.field) if p), "reason": e.reason, "type": e.type}
        for e in refused.report.errors
    ]


@router.post(
    "/import",
    status_code=201,
    response_model=ImportPublic,
    summary="Import figures from a long-format CSV",
    dependencies=[Writer],
    responses=responses(401, 403, 413, 422),
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}, "example": EXAMPLE}}}
    },
)
async def import_csv(
    request: Request,
    source: Column = None,
    subject: Column = None,
    metric: Column = None,
    low: Column = None,
    high: Column = None,
    hedge: Column = None,
    date: Column = None,
    unit_column: Column = None,
    period: Column = None,
    unit: Annotated[
        str, Query(min_length=1, max_length=40, description="The unit of figures whose row gives none.")
    ] = "people",
    on_error: OnErrorQuery = OnError.fail,
    filename: FilenameQuery = None,
) -> ImportPublic:
    """Import a CSV body (`Content-Type: text/csv`): one figure per row, about the event named by
    `subject`, claimed by `source` on `date`; rows of one source on one date form one claim.
    Sources, events and metrics are created as needed. Columns (the README lists them with a
    sample file): `source`, `subject`, `metric` (required), `value_low`, `value_high` (at least
    one; `value_high` alone is an upper end, "up to 50"), `hedge` (the words around the number),
    `date` (ISO 8601, `7 October 2023`, `October 7, 2023`; an ambiguous `03/04/2023` is refused),
    `unit` (default: the `unit` parameter) and `period` (`event`, `day`, `week`, `cumulative`;
    default: the metric's). The query parameters map other column names
    (`?subject=country&low=deaths`; `unit_column=` for the unit column).

    **Words.** With `hedge` words the interval is read from the words with the number, by the same
    reader as `POST /claims`: `about` + `25` reads "about 25" (approx [20, 30]), `more than` +
    `1170` "more than 1170" (gt [1171, inf)). A parenthesised note is kept after the number
    ("at least 1170 (visually confirmed)"); that phrase is the figure's `text`. A number on the
    wrong side of its words (`up to` with only `value_low`) is refused saying what the words mean.
    Words the reader cannot read are kept verbatim and the interval is the one given
    (`interval_source: given`, counted in `unread`).

    **Errors.** By default every bad row is listed with its line and why, and nothing is stored
    (422). With `on_error=skip` the valid rows are stored and the answer lists the refused ones
    (`rejects`, the first 1,000) with a link to all of them as CSV (`rejects_url`).

    **Record.** The answer is the import's record (`GET /imports/{id}`): who, when, `filename`,
    the SHA-256 of the body and what was created; `DELETE /imports/{id}` undoes it.

    The file is read strictly: UTF-8 (a BOM is allowed), lines ending with LF or CRLF, a carriage
    return or a double quote anywhere else only inside a quoted field, no NUL character, no field
    longer than 131,072 characters. A malformed line ends the reading: the answer is 422 listing
    it (`line 7`, type `malformed-csv`, with the column when known) after any bad rows before it,
    and nothing is stored, whatever `on_error` says. Bodies are limited by
    `COUNTERCHECK_MAX_BODY_BYTES`."""
    known_params(request, extra=frozenset({*MAPPED, "unit", "on_error", "filename"}))
    if not request.headers.get("content-type", "").startswith("text/csv"):
        raise Invalid("send the file as the body, with Content-Type: text/csv", field="body")
    body = await request.body()
    given = {
        "source": source,
        "subject": subject,
        "metric": metric,
        "low": low,
        "high": high,
        "hedge": hedge,
        "date": date,
        "unit_column": unit_column,
        "period": period,
    }
    fmt = LongFormat(**{MAPPED[k]: v for k, v in given.items() if v})
    origin = Origin(getattr(request.state, "actor", None), filename, sha256_of(body))
    rows = read_csv(io.BytesIO(body))
    try:
        return await run_in_threadpool(
            lambda: import_long(get_engine(), rows, fmt, unit=unit, on_error=on_error, origin=origin)
        )
    except ImportRefused as refused:
        detail = f"{refused.report.error_count} bad rows; nothing was imported"
        raise Invalid(detail, errors=error_list(refused)) from refused
