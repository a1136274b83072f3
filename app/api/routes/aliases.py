"""A source's aliases, and merging a duplicate source into it."""

from typing import Annotated

from fastapi import Path, Response
from fastapi.responses import StreamingResponse

from app.api import export
from app.api.crud import Deleted
from app.api.deps import IdPath, SessionDep, WriteSessionDep, tag
from app.api.problems import Router, responses
from app.models.aliases import MergeRequest, MergeResult, SourceAliasCreate, SourceAliasPublic
from app.models.common import Page
from app.models.entities import MAX_ID
from app.services import aliases, merge

router = Router(prefix="/sources", tags=["sources"])
AliasId = Annotated[int, Path(ge=1, le=MAX_ID, description="The alias's id.")]


@router.get(
    "/{ident:int}/aliases",
    response_model=Page[SourceAliasPublic],
    summary="List a source's aliases",
    responses={**responses(404, 422), **export.FILE_RESPONSES},
)
def list_aliases(
    ident: IdPath, session: SessionDep, listing: export.ListingDep
) -> StreamingResponse | Page[SourceAliasPublic]:
    """The other names the source goes by, oldest first. Reading an article, a name matches the
    source by its name or any alias (case, accents, spacing and a leading "the" ignored).
    `format=csv` or `ndjson` (or `Accept: text/csv`) streams every matching item as a file."""
    listing.check(order="oldest first")
    return listing.answer(lambda p: aliases.of_source(session, ident, p), SourceAliasPublic, "aliases")


@router.post(
    "/{ident:int}/aliases",
    status_code=201,
    response_model=SourceAliasPublic,
    summary="Add an alias to a source",
    responses=responses(401, 403, 404, 409, 422),
)
def create_alias(
    ident: IdPath, body: SourceAliasCreate, session: WriteSessionDep, response: Response
) -> SourceAliasPublic:
    """Give the source another name ("AP" for "The Associated Press"). An alias names one source
    only: 409 if its normalised form is another source's alias, or the source's own name."""
    row = aliases.create(session, ident, body.alias)
    tag(response, row.version)
    return row


@router.delete(
    "/{ident:int}/aliases/{alias_id:int}",
    response_model=Deleted,
    summary="Remove an alias from a source",
    responses=responses(401, 403, 404),
)
def delete_alias(ident: IdPath, alias_id: AliasId, session: WriteSessionDep) -> Deleted:
    """Remove one alias of the source; 404 if the source has no alias of that id."""
    aliases.delete(session, ident, alias_id)
    return Deleted(deleted={"source_alias": 1})


@router.post(
    "/{ident:int}/merge",
    response_model=MergeResult,
    summary="Merge a duplicate source into this one",
    responses=responses(401, 403, 404, 409, 422),
)
def merge_source(ident: IdPath, body: MergeRequest, session: WriteSessionDep) -> MergeResult:
    """Fold the duplicate (`duplicate_id`, "AP") into this source ("The Associated Press"), in one
    transaction: its claims, the relay positions naming it (a chain that would list this source twice
    keeps the first position), the documents it published, its child sources (one whose name this
    source already has under it is merged into that child, the same way) and its aliases move here;
    its name becomes an alias; it is deleted. Every changed record gets an `update` in its history and
    the duplicate a `delete`; the discrepancy summaries of the moved claims are refreshed.

    404 for an unknown id; 409 to merge a source into itself or into one of its own descendants."""
    return merge.merge(session, ident, body.duplicate_id)
