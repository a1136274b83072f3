"""Views across records: an event's figures with their claimants, a source's claims, metrics."""

from typing import Annotated

from fastapi import Path, Query, Response
from fastapi.responses import StreamingResponse

from app.api import export
from app.api.crud import Deleted
from app.api.deps import IdPath, SessionDep, WriteSessionDep
from app.api.problems import Router, responses
from app.models.common import Page, Tracked
from app.models.entities import ClaimPublic, Event, FigurePublic, Metric, MetricCreate, MetricPublic, Source
from app.models.filters import ClaimFilters, FigureFilters
from app.services import claims, figures, records
from app.services.common import delete_row, get_or_404

events = Router(prefix="/events", tags=["events"])
sources = Router(prefix="/sources", tags=["sources"])
metrics = Router(prefix="/metrics", tags=["metrics"])


@events.get(
    "/{ident:int}/figures",
    response_model=Page[FigurePublic],
    summary="List an event's figures",
    responses={**responses(404, 422), **export.FILE_RESPONSES},
)
def event_figures(
    ident: IdPath,
    session: SessionDep,
    listing: export.ListingDep,
    metric: Annotated[str | None, Query(max_length=60, description="Only this metric.")] = None,
) -> StreamingResponse | Page[FigurePublic]:
    """Every figure about the event, each with its claimant, optionally for one metric.
    `format=csv` or `ndjson` (or `Accept: text/csv`) streams every matching item as a file."""
    listing.check(extra=frozenset({"metric"}))
    get_or_404(session, Event, ident)
    filters = FigureFilters.model_validate({"event_id": ident, "metric": metric})
    return listing.answer(lambda p: figures.list_figures(session, filters, p), FigurePublic, "figures")


@sources.get(
    "/{ident:int}/claims",
    response_model=Page[ClaimPublic],
    summary="List a source's claims",
    responses={**responses(404, 422), **export.FILE_RESPONSES},
)
def source_claims(
    ident: IdPath, session: SessionDep, listing: export.ListingDep
) -> StreamingResponse | Page[ClaimPublic]:
    """The claims this source made as claimant, with their relays and figures.
    `format=csv` or `ndjson` (or `Accept: text/csv`) streams every matching item as a file."""
    listing.check()
    get_or_404(session, Source, ident)
    mine = ClaimFilters.model_validate({"claimant_id": ident})
    return listing.answer(lambda p: claims.list_claims(session, mine, p), ClaimPublic, "claims")


@metrics.get(
    "", response_model=Page[MetricPublic], summary="List metrics", responses={**responses(422), **export.FILE_RESPONSES}
)
def list_metrics(session: SessionDep, listing: export.ListingDep) -> StreamingResponse | Page[Tracked]:
    """The controlled vocabulary of metrics (killed, injured, missing, displaced, arrested,
    participants, and any added since).
    `format=csv` or `ndjson` (or `Accept: text/csv`) streams every matching item as a file."""
    listing.check()
    every = records.NoFilters()
    return listing.answer(lambda p: records.list_rows(session, records.METRICS, every, p), Tracked, "metrics")


@metrics.post("", status_code=201, response_model=MetricPublic, summary="Add a metric", responses=responses(409, 422))
def create_metric(body: MetricCreate, session: WriteSessionDep, response: Response) -> Metric:
    """Extend the vocabulary with a new metric (lower-case, letters, digits and `_`)."""
    row: Metric = records.create(session, records.METRICS, body)
    response.headers["Location"] = f"/metrics/{row.name}"
    return row


MetricName = Annotated[str, Path(max_length=60, description="The metric's name.")]


@metrics.get("/{name}", response_model=MetricPublic, summary="Read a metric", responses=responses(404))
def read_metric(name: MetricName, session: SessionDep) -> Metric:
    """Read one metric."""
    return get_or_404(session, Metric, name)


@metrics.delete("/{name}", response_model=Deleted, summary="Delete an unused metric", responses=responses(404, 409))
def delete_metric(name: MetricName, session: WriteSessionDep) -> Deleted:
    """Delete a metric no figure uses; a metric in use answers 409 (there is no cascade)."""
    return Deleted(deleted=delete_row(session, Metric, name, cascade=False))
