"""Claims, with their relays and figures inline."""

from typing import Annotated

from fastapi import Query, Response
from fastapi.responses import StreamingResponse

from app.api import export
from app.api.crud import CascadeQuery, Deleted
from app.api.deps import (
    IdPath,
    IfMatch,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    tag,
)
from app.api.idempotency import IdempotencyDep, replay_doc
from app.api.problems import Router, responses
from app.models.common import Page
from app.models.entities import Claim, ClaimCreate, ClaimPublic, ClaimUpdate
from app.models.filters import ClaimFilters
from app.services import claims
from app.services.common import delete_row

router = Router(prefix="/claims", tags=["claims"])


@router.post(
    "",
    status_code=201,
    response_model=ClaimPublic,
    summary="Create a claim with its figures",
    responses={**responses(404, 409, 422), **replay_doc()},
)
def create_claim(
    body: ClaimCreate, session: WriteSessionDep, settings: SettingsDep, response: Response, idempotency: IdempotencyDep
) -> Response:
    """Create a claim: its claimant, the chain of sources it came through (`relay_ids`, in order),
    the document and quote span it was read in, and its figures inline — all in one transaction.

    A quote span must lie inside the document's text and match `quote`; leave `quote` out to take
    it from the span. Without `stated_at` the document's publication date is used.

    With an `Idempotency-Key`, a retry with the same key and body creates nothing more and answers
    as the first time (with `Idempotent-Replayed: true`); the same key with another body is a 422."""
    replayed = idempotency.claim(session)
    if replayed is not None:
        return replayed
    claim = claims.create(session, body, settings.tolerance)
    response.headers["Location"] = f"/claims/{claim.id}"
    tag(response, claim.version)
    return idempotency.respond(session, ClaimPublic, claims.read_one(session, claim.id or 0), response=response)


@router.get(
    "",
    response_model=Page[ClaimPublic],
    summary="List claims",
    responses={**responses(422), **export.FILE_RESPONSES},
)
def list_claims(
    session: SessionDep, filters: Annotated[ClaimFilters, Query()], listing: export.ListingDep
) -> StreamingResponse | Page[ClaimPublic]:
    """List claims by claimant, relay, document, event (claims with a figure about it), modality and
    `stated_at` range; sortable by `stated_at`, `modality`, `id`. `format=csv` or `ndjson` (or
    `Accept: text/csv`) streams every matching claim as a file, with its quote, claimant, relays and
    figures."""
    listing.check(ClaimFilters)
    return listing.answer(lambda p: claims.list_claims(session, filters, p), ClaimPublic, "claims")


@router.get("/{ident:int}", response_model=ClaimPublic, summary="Read a claim", responses=responses(404))
def read_claim(ident: IdPath, session: SessionDep, response: Response) -> ClaimPublic:
    """Read one claim with its claimant, relays and figures; its version is the `ETag`."""
    found = claims.read_one(session, ident)
    tag(response, found.version)
    return found


@router.patch("/{ident:int}", response_model=ClaimPublic, summary="Update a claim", responses=responses(404, 412, 422))
def update_claim(
    ident: IdPath, body: ClaimUpdate, session: WriteSessionDep, response: Response, if_match: IfMatch = None
) -> ClaimPublic:
    """Change some fields of a claim; `relay_ids`, when given, replaces the whole chain.
    Figures are changed through `/figures`."""
    claims.update(session, ident, body, if_match)
    session.flush()
    found = claims.read_one(session, ident)
    tag(response, found.version)
    return found


@router.delete("/{ident:int}", response_model=Deleted, summary="Delete a claim", responses=responses(404, 409, 412))
def delete_claim(
    ident: IdPath, session: WriteSessionDep, cascade: CascadeQuery = False, if_match: IfMatch = None
) -> Deleted:
    """Delete a claim. A claim with figures answers 409 unless `cascade=true` deletes them too."""
    return Deleted(deleted=delete_row(session, Claim, ident, cascade=cascade, if_match=if_match))
