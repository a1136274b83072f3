"""Views across records: an event's figures with their claimants, a source's claims, metrics."""

from typing import Annotated

from fastapi import Path, Query, Request, Response

from app.api.crud import Deleted
from app.api.deps import IdPath, PageDep, SessionDep, WriteSessionDep, known_params, page_body
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
    responses=responses(404, 422),
)
def event_figures(
    ident: IdPath,
    request: Request,
    session: SessionDep,
    page: PageDep,
    metric: Annotated[str | None, Query(max_length=60, description="Only this metric.")] = None,
) -> Page[FigurePublic]:
    """Every figure about the event, each with its claimant, optionally for one metric."""
    known_params(request, extra=frozenset({"metric"}))
    get_or_404(session, Event, ident)
    filters = FigureFilters.model_validate({"event_id": ident, "metric": metric})
    items, total = figures.list_figures(session, filters, page)
    return page_body(request, page, items, total)


@sources.get(
    "/{ident:int}/claims",
    response_model=Page[ClaimPublic],
    summary="List a source's claims",
    responses=responses(404, 422),
)
def source_claims(ident: IdPath, request: Request, session: SessionDep, page: PageDep) -> Page[ClaimPublic]:
    """The claims this source made as claimant, with their relays and figures."""
    known_params(request)
    get_or_404(session, Source, ident)
    items, total = claims.list_claims(session, ClaimFilters.model_validate({"claimant_id": ident}), page)
    return page_body(request, page, items, total)


@metrics.get("", response_model=Page[MetricPublic], summary="List metrics")
def list_metrics(request: Request, session: SessionDep, page: PageDep) -> Page[Tracked]:
    """The controlled vocabulary of metrics (killed, injured, missing, displaced, arrested,
    participants, and any added since)."""
    known_params(request)
    rows, total = records.list_rows(session, records.METRICS, records.NoFilters(), page)
    return page_body(request, page, rows, total)


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
