"""Who reports high, who reports low: the reporting-bias model's answers, served from the latest
stored fit (``app.services.bias``). Reads never wait for a fit; each says how stale its fit is."""

from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.responses import StreamingResponse

from app.api import export
from app.api.access import Reader, Writer
from app.api.deps import IdPath, PageDep, known_params
from app.api.export import FormatQuery, HxlQuery
from app.api.problems import Router, responses
from app.db import get_engine
from app.domain.bias import Party
from app.models.bias import BIAS_COLUMNS, BiasPage, EventEstimate, FitInfo, SourceBias
from app.models.entities import MAX_ID
from app.models.filters import Name
from app.services import bias

router = Router(prefix="/bias", tags=["reporting bias"])
sources = Router(prefix="/sources", tags=["reporting bias"])
events = Router(prefix="/events", tags=["reporting bias"])

BIAS_FILTERS = frozenset({"by", "claimant_id", "affiliation", "party", "family", "min_groups", "format", "hxl"})


@router.get(
    "",
    response_model=BiasPage,
    summary="Who reports high, who reports low",
    responses={**responses(422), **export.FILE_RESPONSES},
    dependencies=[Reader],
)
def list_biases(
    request: Request,
    page: PageDep,
    by: Annotated[
        Literal["claimant", "affiliation"],
        Query(description="`claimant`: one row per claimant; `affiliation`: a side's shared habit."),
    ] = "claimant",
    claimant_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this claimant.")] = None,
    affiliation: Annotated[Name | None, Query(description="Only claimants of this side (any case).")] = None,
    party: Annotated[Party | None, Query(description="Whose losses: own, other or third.")] = None,
    family: Annotated[Name | None, Query(description="Metric family: deaths, injuries, equipment, cases ...")] = None,
    min_groups: Annotated[int | None, Query(ge=0, le=MAX_ID, description="Seen in at least this many groups.")] = None,
    format: FormatQuery = None,
    hxl: HxlQuery = False,
) -> StreamingResponse | BiasPage:
    """The multiplicative reporting bias of each claimant (or, `by=affiliation`, each side) about
    its own side's losses, the other side's and third parties', per metric family: `factor` is what
    it reports over the bias-corrected true value (2 = twice as high, 0.5 = half), with its 95%
    interval (`low`, `high`), the groups and statements it rests on. Biases are relative to the
    reference sources when one took part (`fit.anchored`), else to the consensus of the sources
    present; a claimant seen in few groups is shrunk towards its side's habit, or towards no bias.
    Sorted by `factor`, largest first; `sort=` `factor`, `low`, `high`, `groups`, `statements`,
    `claimants`, `claimant_id`, `affiliation`, `family` (`-` for descending); any other sort is a
    422. `format=csv` or `ndjson` streams every matching row (CSV text cells that would start a
    formula get a `'`). `fit` says when the model was fitted and whether the data changed since:
    a read never waits for a fit."""
    known_params(request, extra=BIAS_FILTERS)
    q = bias.BiasQuery(by, claimant_id, affiliation, party, family, min_groups)
    engine = get_engine()
    fmt = export.wanted(request, format)
    if fmt is not None:
        _, rows = bias.bias_rows(engine, q, page.sort)
        return export.stream((r.model_dump(mode="json") for r in rows), BIAS_COLUMNS, fmt, hxl, "bias")
    return bias.bias_page(
        engine, q, page, lambda offset: str(request.url.include_query_params(offset=offset, limit=page.limit))
    )


@router.post(
    "/fit",
    response_model=FitInfo,
    summary="Fit the reporting-bias model now",
    responses=responses(422),
    dependencies=[Writer],
)
def fit_now(request: Request) -> FitInfo:
    """Fit the model to every stored figure now and store the result; answers when it is stored
    (about a second and a half of CPU per 5,000 statements). The service also fits in the background
    after writes (`COUNTERCHECK_BIAS_FIT_DEBOUNCE_SECONDS`), and `countercheck fit` does the same
    from the command line. A failed fit answers 200 with `status: failed` and its `error`; the
    previous result stays served."""
    known_params(request)
    return bias.run_fit(get_engine())


@sources.get(
    "/{ident:int}/bias",
    response_model=SourceBias,
    summary="A source's reporting biases and the statements behind them",
    responses=responses(404, 422),
    dependencies=[Reader],
)
def source_bias(ident: IdPath, request: Request) -> SourceBias:
    """The source's bias factor about each party relation (own side, other side, third party) in
    each metric family, with its 95% interval, largest deviation from 1 first, and for each its
    most influential statements: the figure, its words, its ratio to the bias-corrected value, and
    how far the bias would shrink back without it. Empty `items` when the source is not in the fit."""
    known_params(request)
    return bias.source_bias(get_engine(), ident)


@events.get(
    "/{ident:int}/estimate",
    response_model=EventEstimate,
    summary="An event's bias-corrected best estimates",
    responses=responses(404, 422),
    dependencies=[Reader],
)
def event_estimate(
    ident: IdPath,
    request: Request,
    metric: Annotated[str | None, Query(max_length=60, description="Only this metric.")] = None,
) -> EventEstimate:
    """Per metric and scope, the true value the reporting-bias model infers once every claimant's
    bias is accounted for, with its 95% interval; for running totals (cumulative figures) the
    trajectory day by day, never falling, and its last day as the estimate. From the latest stored
    fit: `fit` says when, and whether the data changed since."""
    known_params(request, extra=frozenset({"metric"}))
    return bias.event_estimate(get_engine(), ident, metric)
