"""Where sources disagree, by how much, and who stands apart."""

from typing import Annotated

from fastapi import Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from app.api import export
from app.api.access import Reader
from app.api.deps import IdPath, PageDep, SessionDep, known_params
from app.api.problems import Router, responses
from app.db import get_engine
from app.domain.discrepancy import Policy
from app.domain.vocab import SourceKind
from app.models.common import Instant, Page
from app.models.discrepancies import (
    Comparison,
    DisputeRow,
    EventDiscrepancies,
    ReportPolicy,
    TimelineOut,
    TrackRecord,
)
from app.models.dispute_filters import DisputeFilters
from app.models.entities import MAX_ID
from app.report import cache
from app.report.model import with_model
from app.services import discrepancies

events = Router(prefix="/events", tags=["discrepancies"])
disputes = Router(prefix="/discrepancies", tags=["discrepancies"])
sources = Router(prefix="/sources", tags=["discrepancies"])

MetricQuery = Annotated[str | None, Query(max_length=60, description="Only this metric.")]


@events.get(
    "/{ident:int}/discrepancies",
    response_model=EventDiscrepancies,
    summary="Where an event's sources disagree",
    responses=responses(404, 422),
    dependencies=[Reader],
)
async def event_discrepancies(
    ident: IdPath,
    request: Request,
    metric: MetricQuery = None,
    as_of: Annotated[Instant | None, Query(description="Only claims stated on or before this time.")] = None,
    policy: Annotated[
        ReportPolicy,
        Query(
            description="How to form the best estimate; `model`: the bias-corrected estimate of the latest "
            "reporting-bias fit (see GET /bias)."
        ),
    ] = ReportPolicy.majority,
    hierarchy: Annotated[
        list[SourceKind] | None, Query(description="For policy=hierarchy: source kinds, most trusted first.")
    ] = None,
) -> Response:
    """Every metric and scope of the event: the envelope, the agreement interval (the values most
    independent claimants cover), who agrees, the outliers with direction and factor, every
    conflicting pair, figures of narrower scopes set beside the agreement, revisions, denials, a
    best estimate under the chosen `policy` (range, majority, conservative, latest, hierarchy, or
    model: each group's bias-corrected estimate from the latest reporting-bias fit, whose
    explanation says when there is no fit yet or the data changed since; the fit covers every
    claim, whatever `as_of`) and a one-line `headline`. Claimants are counted once however many
    outlets relayed them."""
    known_params(request, extra=frozenset({"metric", "as_of", "policy", "hierarchy"}))
    engine = get_engine()
    by_model = policy is ReportPolicy.model
    rule = Policy.majority if by_model else Policy(policy.value)  # the engine's report beside the model's
    key = cache.ReportKey(ident, metric, as_of, rule, tuple(hierarchy or ()))
    token, found = cache.lookup(engine, key)  # one indexed query: fine on the event loop
    if found is None:
        found = await run_in_threadpool(cache.fill_alone, engine, key, token)
    if by_model:
        report = await run_in_threadpool(lambda: with_model(engine, found.report, as_policy=True))
        return Response(report.model_dump_json(), media_type="application/json")
    return Response(found.json, media_type="application/json")


@events.get(
    "/{ident:int}/timeline",
    response_model=TimelineOut,
    summary="An event's figures in the order stated",
    responses=responses(404, 422),
)
def event_timeline(
    ident: IdPath,
    request: Request,
    session: SessionDep,
    metric: Annotated[str, Query(max_length=60, description="The metric.")],
) -> TimelineOut:
    """The figures of one metric by `stated_at` (undated first), each marked counted, revised (the
    claimant's own earlier statement) or excluded (denied or retracted)."""
    known_params(request, extra=frozenset({"metric"}))
    return discrepancies.event_timeline(session, ident, metric)


@disputes.get(
    "",
    response_model=Page[DisputeRow],
    summary="The disputes, most severe first",
    responses={**responses(422), **export.FILE_RESPONSES},
)
def list_disputes(
    session: SessionDep, filters: Annotated[DisputeFilters, Query()], listing: export.ListingDep
) -> StreamingResponse | Page[DisputeRow]:
    """Every disputed group (event, metric, scope), ordered by severity — the largest gap factor
    between independent claimants — then by the size of the minority. Read from summaries that
    every write keeps current, so it costs the same on ten figures or a million."""
    listing.check(DisputeFilters)
    return listing.answer(lambda p: discrepancies.list_disputes(session, filters, p), DisputeRow, "discrepancies")


@sources.get(
    "/compare",
    response_model=Comparison,
    summary="Where two sources both spoke, and how far apart",
    responses=responses(404, 422),
)
def compare_sources(
    request: Request,
    session: SessionDep,
    a: Annotated[int, Query(ge=1, le=MAX_ID, description="A source id.")],
    b: Annotated[int, Query(ge=1, le=MAX_ID, description="Another source id.")],
) -> Comparison:
    """Every group where both gave a counted figure: their intervals, whether they disagree, which
    one is higher and by what factor."""
    known_params(request, extra=frozenset({"a", "b"}))
    return discrepancies.compare(session, a, b)


@sources.get(
    "/{ident:int}/track-record",
    response_model=TrackRecord,
    summary="How often a source stands apart",
    responses=responses(404, 422),
)
def track_record(ident: IdPath, request: Request, session: SessionDep, page: PageDep) -> TrackRecord:
    """For a claimant: how many groups it spoke in, how often it was an outlier and in which
    direction (under- or over-count), the median and worst factor, and the groups themselves."""
    known_params(request)
    return discrepancies.track_record(session, ident, page)
