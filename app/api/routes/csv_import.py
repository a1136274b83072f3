"""Figures from a CSV file in the long format, through the API (small files; the CLI's
`countercheck import` takes large ones with a progress bar)."""

import io
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from app.api.access import Writer
from app.api.deps import known_params
from app.api.problems import Router, responses
from app.db import get_engine
from app.errors import Invalid
from app.services.bulk import ImportRefused, LongFormat, import_long, read_csv

router = Router(prefix="/figures", tags=["figures"])
EXAMPLE = (
    "source,subject,metric,value_low,value_high,hedge,date\n"
    "General Staff of the Armed Forces of Ukraine,Russian equipment losses,tank,2262,2262,,2022-09-24\n"
    "Oryx,Russian equipment losses,tank,1170,,at least (visually confirmed),2022-09-24\n"
)
Column = Annotated[str | None, Query(max_length=100)]


class CsvImported(BaseModel):
    rows: int
    figures: int
    claims: int
    sources_created: int
    events_created: int
    metrics_created: int
    groups: int = Field(description="Groups whose summaries were recomputed")


@router.post(
    "/import",
    status_code=201,
    response_model=CsvImported,
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
) -> Any:
    """Import every row of a CSV body (`Content-Type: text/csv`) or none: one figure per row, about
    the event named by `subject`, claimed by `source` on `date`, with the published interval
    (`value_low`, `value_high`, empty = unbounded) and the `hedge` words kept as its text; sources,
    events and metrics are created as needed. The query parameters map other column names
    (`?subject=country&low=deaths`). Every bad row is listed with its line and why, and then
    nothing is stored (422). Bodies are limited by `COUNTERCHECK_MAX_BODY_BYTES`.

    The file is read strictly: UTF-8 (a BOM is allowed), lines ending with LF or CRLF, a carriage
    return or a double quote anywhere else only inside a quoted field, no NUL character, no field
    longer than 131,072 characters. A malformed line ends the reading: the answer is 422 listing
    it (`line 7`, type `malformed-csv`, with the column when known) after any bad rows before it,
    and nothing is stored."""
    known_params(request, extra=frozenset({"source", "subject", "metric", "low", "high", "hedge", "date"}))
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
    }
    mapped = {k: v for k, v in given.items() if v}
    fmt = LongFormat(**mapped)
    rows = read_csv(io.BytesIO(body))
    try:
        report = await run_in_threadpool(import_long, get_engine(), rows, fmt)
    except ImportRefused as refused:
        errors = [
            {"field": ".".join(p for p in (f"line {e.line}", e.field) if p), "reason": e.reason, "type": e.type}
            for e in refused.report.errors
        ]
        raise Invalid(f"{refused.report.error_count} bad rows; nothing was imported", errors=errors) from refused
    return {k: getattr(report, k) for k in CsvImported.model_fields}
