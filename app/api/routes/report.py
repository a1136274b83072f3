"""What people look at: an event's range chart (SVG) and its printable report (HTML)."""

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import IdPath, SessionDep, known_params
from app.api.problems import Router, responses
from app.report import views

router = Router(prefix="/events", tags=["reports"])

MetricQuery = Annotated[
    str | None, Query(max_length=60, description="Only this metric; without it, every metric, stacked.")
]


# No script may run in a chart or a report, whatever text the records hold.
POLICY = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'"
}


class SVGResponse(Response):
    media_type = "image/svg+xml"


def _documented(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """A 200 of ``media_type``; 404 and 422 as problem+json only (``responses`` names a model, which
    FastAPI would also list under the route's own media type)."""
    errors = responses(404, 422)
    return {200: {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}, **errors}


@router.get(
    "/{ident:int}/chart.svg",
    response_class=SVGResponse,
    summary="An event's figures as a range chart (SVG)",
    responses=_documented(SVGResponse.media_type, "A standalone SVG image."),
)
def event_chart(ident: IdPath, request: Request, session: SessionDep, metric: MetricQuery = None) -> SVGResponse:
    """One row per claimant: its interval as a bar (an arrow where there is no upper bound, a dot
    where the figure is exact), the agreement shaded behind the rows, outliers marked with their
    factor, narrower-scope figures drawn hollow with the scope's name, and, once the reporting-bias
    model is fitted, its bias-corrected estimate as a row of its own with its 95% interval. Logarithmic scale when the
    largest end is more than ten times the smallest. Plain SVG, no script."""
    known_params(request, extra=frozenset({"metric"}))
    return SVGResponse(views.chart(session, ident, metric), headers=POLICY)  # majority, with the model's estimate


@router.get(
    "/{ident:int}/report",
    response_class=HTMLResponse,
    summary="An event's printable report (HTML)",
    responses=_documented("text/html", "A standalone HTML page, no script."),
)
def event_report(ident: IdPath, request: Request, session: SessionDep, metric: MetricQuery = None) -> HTMLResponse:
    """The event (name, dates, place), then per metric: its chart, the headline of each group, the
    agreement, the outliers with their factors, the narrower-scope comparisons with their
    explanation; then every claim behind the figures with its quote, claimant, relays and a link to
    the document it was read in. Server-rendered, printable, no script."""
    known_params(request, extra=frozenset({"metric"}))
    return HTMLResponse(views.page_html(session, ident, metric), headers=POLICY)
