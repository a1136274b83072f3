"""Figures: numbers inside claims, each stored with its words and its interval."""

from typing import Annotated

from fastapi import Query, Response
from fastapi.responses import StreamingResponse

from app.api import export
from app.api.access import Reader
from app.api.crud import CascadeQuery, Deleted
from app.api.deps import (
    IdPath,
    IfMatch,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    json_body,
    tag,
)
from app.api.problems import Router, responses
from app.db import get_engine
from app.domain import wording
from app.domain.errors import DomainError
from app.domain.intervals import Interval
from app.domain.vocab import is_count_unit
from app.errors import Invalid, NotFound
from app.models.common import Page
from app.models.entities import Claim, Figure, FigureCreate, FigurePublic, FigureUpdate
from app.models.filters import FigureFilters
from app.models.readings import (
    ParseError,
    ParseItem,
    ParseRequest,
    ParseResponse,
    RederiveRequest,
    RederiveResult,
    reading_public,
)
from app.services import figures
from app.services.common import delete_row, get_or_404

router = Router(prefix="/figures", tags=["figures"])
MAX_BATCH = 1000


@router.post(
    "",
    status_code=201,
    response_model=FigurePublic,
    summary="Add a figure to a claim",
    responses=responses(404, 409, 422),
)
def create_figure(
    body: FigureCreate, session: WriteSessionDep, settings: SettingsDep, response: Response
) -> FigurePublic:
    """Add a figure to an existing claim. Send its words in `text` ("more than 200") and the
    service reads the bound and interval; or send `bound` with `low`/`high`. When both are sent
    they must agree. A relative figure ("more than double that number") names `reference_id`."""
    get_or_404(session, Claim, body.claim_id, "claim_id")
    row = figures.build(session, body.claim_id, body, settings.tolerance)
    response.headers["Location"] = f"/figures/{row.id}"
    return figures.read_one(session, row.id or 0)


@router.get(
    "", response_model=Page[FigurePublic], summary="List figures", responses={**responses(422), **export.FILE_RESPONSES}
)
def list_figures(
    session: SessionDep, filters: Annotated[FigureFilters, Query()], listing: export.ListingDep
) -> StreamingResponse | Page[FigurePublic]:
    """List figures by event, metric, scope, claim, claimant and bound, or by value
    (`low__gte`, `high__lte`); each comes with its claimant. `format=csv` or `ndjson` (or an
    `Accept: text/csv` header) streams every matching figure as a file instead of a page, with
    its event and scope names, the claimant, the relays, the stated date, the modality and the quote
    in each row; `hxl=true` adds HXL hashtags. In
    CSV, a text cell that would start a spreadsheet formula (`=`, `+`, `-`, `@`, a tab or a
    carriage return first, as in a claimant named `=HYPERLINK(...)`) is written with a `'` before
    it; numbers and NDJSON are written as stored."""
    listing.check(FigureFilters)
    if (fmt := listing.file_format()) is not None:
        engine = get_engine()
        rows = export.chunked(lambda after, limit: figures.export_chunk(engine, filters, after, limit))
        return listing.file(rows, figures.EXPORT_COLUMNS, fmt, "figures")
    return listing.page_of(*figures.list_figures(session, filters, listing.page))


@router.get(
    "/{ident:int}",
    response_model=FigurePublic,
    summary="Read a figure",
    responses=responses(404),
    dependencies=[Reader],
)
async def read_figure(ident: IdPath) -> Response:
    """Read one figure with its words, bound, interval and claimant."""
    # async and lean on purpose: one indexed query of tens of microseconds (see README, Performance)
    found = figures.read_one_lean(get_engine(), ident)
    if found is None:
        raise NotFound(f"figure {ident} does not exist")
    response = json_body(found)  # built and validated once by the service: not validated again
    tag(response, found.version)
    return response


@router.patch(
    "/{ident:int}", response_model=FigurePublic, summary="Update a figure", responses=responses(404, 409, 412, 422)
)
def update_figure(
    ident: IdPath,
    body: FigureUpdate,
    session: WriteSessionDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> FigurePublic:
    """Change a figure. New `text` is read again; new `bound`/`low`/`high` are checked. Figures
    that refer to this one are re-derived in the same transaction."""
    row = figures.update(session, ident, body, settings.tolerance, if_match)
    tag(response, row.version)
    return figures.read_one(session, ident)


@router.delete("/{ident:int}", response_model=Deleted, summary="Delete a figure", responses=responses(404, 409, 412))
def delete_figure(
    ident: IdPath, session: WriteSessionDep, cascade: CascadeQuery = False, if_match: IfMatch = None
) -> Deleted:
    """Delete a figure. If relative figures refer to it the answer is 409, unless `cascade=true`."""
    return Deleted(deleted=delete_row(session, Figure, ident, cascade=cascade, if_match=if_match))


@router.post(
    "/parse",
    response_model=ParseResponse,
    summary="Preview how words read as a figure",
    responses=responses(422),
    dependencies=[Reader],
)
def parse_figures(body: ParseRequest, settings: SettingsDep) -> ParseResponse:
    """Read one phrase or a batch of up to 1,000 — bound, interval, the numbers stated, a central
    value and a one-line explanation — without storing anything. A phrase that cannot be read
    gives an `error` naming the words not understood; a single unreadable phrase answers 422.

    A relative phrase ("more than double that number") gets its interval from `reference`;
    without one, only its factor and bound are returned."""
    phrases = body.phrases()
    if len(phrases) > MAX_BATCH:
        raise Invalid(f"at most {MAX_BATCH} phrases per request", field="text")
    tolerance = settings.tolerance if body.tolerance is None else body.tolerance
    reference = Interval(body.reference.low, body.reference.high) if body.reference else None
    integer = is_count_unit(body.unit)
    items: list[ParseItem] = []
    for phrase in phrases:
        try:
            found = wording.read(phrase, tolerance=tolerance, integer=integer, reference=reference)
        except DomainError as exc:
            if isinstance(body.text, str):
                raise
            items.append(ParseItem(error=ParseError(text=phrase, detail=str(exc), words=getattr(exc, "words", None))))
            continue
        items.append(ParseItem(reading=reading_public(found)))
    return ParseResponse(items=items)


@router.post(
    "/rederive",
    response_model=RederiveResult,
    summary="Re-read every figure under a new tolerance",
    responses=responses(422),
)
def rederive_figures(body: RederiveRequest, session: WriteSessionDep) -> RederiveResult:
    """Re-read every figure whose words depend on the tolerance ("around 100" with t = 0.1 is
    [90, 110]) and re-derive the relative figures that follow them, in one transaction. Explicit
    bounds stay as given. Set `COUNTERCHECK_TOLERANCE` to make the new t the default for new figures."""
    examined, changed = figures.rederive_all(session, body.tolerance)
    return RederiveResult(tolerance=body.tolerance, examined=examined, changed=changed)
