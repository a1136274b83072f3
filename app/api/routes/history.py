"""History of every record, restoring deletions, purging them, and the changes feed."""

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import StreamingResponse

from app.api import export
from app.api.deps import AdminSessionDep, IdPath, SessionDep, WriteSessionDep, known_params
from app.api.problems import Router, responses
from app.models.common import Page
from app.models.entities import MAX_ID
from app.models.history import ChangePublic, ChangesPage, Purged, Restored
from app.services import history
from app.services.common import PageRequest

PLURALS = {
    "source": "sources",
    "document": "documents",
    "event": "events",
    "scope": "scopes",
    "claim": "claims",
    "figure": "figures",
}


def history_router(resource: str) -> Router:
    plural = PLURALS[resource]
    router = Router(prefix=f"/{plural}", tags=[plural])

    @router.get(
        "/{ident:int}/history",
        response_model=Page[ChangePublic],
        summary=f"A {resource}'s history",
        responses={**responses(404, 422), **export.FILE_RESPONSES},
    )
    def record_history(
        ident: IdPath, session: SessionDep, listing: export.ListingDep
    ) -> StreamingResponse | Page[ChangePublic]:
        listing.check(order="oldest first")

        def fetch(p: PageRequest) -> tuple[list[ChangePublic], int | None]:
            return history.of_record(session, resource, ident, p.limit, p.offset)

        return listing.answer(fetch, ChangePublic, f"{resource}-history")

    record_history.__doc__ = (
        f"Every change of the {resource}, oldest first: create, update, delete, restore, purge; who made it "
        "(the API key's name), when, and the record before and after."
    )

    @router.post(
        "/{ident:int}/restore",
        response_model=Restored,
        summary=f"Restore a deleted {resource}",
        responses=responses(401, 403, 404, 409),
    )
    def restore_record(ident: IdPath, session: WriteSessionDep) -> Restored:
        return history.restore(session, resource, ident)

    restore_record.__doc__ = (
        f"Bring back a deleted {resource} as it was, with everything its delete cascaded to, under the same "
        "ids. 409 if it exists or was purged."
    )

    @router.post(
        "/{ident:int}/purge",
        response_model=Purged,
        summary=f"Purge a deleted {resource} (admin)",
        responses=responses(401, 403, 404, 409),
    )
    def purge_record(ident: IdPath, session: AdminSessionDep) -> Purged:
        return history.purge(session, resource, ident)

    purge_record.__doc__ = (
        f"Forget the content of a deleted {resource} (and of its cascade): it can no longer be restored. "
        "The history keeps that it existed and who purged it. Needs an admin key."
    )
    return router


routers = [history_router(name) for name in PLURALS]
changes = Router(prefix="/changes", tags=["changes"])


@changes.get("", response_model=ChangesPage, summary="Every change, in order, from a cursor", responses=responses(422))
def list_changes(
    request: Request,
    session: SessionDep,
    since: Annotated[int, Query(ge=0, le=MAX_ID, description="Changes after this cursor (0: from the start).")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many changes.")] = 100,
) -> ChangesPage:
    """Creations, updates, deletions and restores in the order they happened, so a mirror or a
    notebook can stay in sync: keep the returned `since` and ask again with it. A bulk import is one
    change (resource `import`, `GET /imports/{id}`), not one per figure."""
    known_params(request, extra=frozenset({"since", "limit"}), paged=False)
    rows = history.feed(session, since, limit)
    cursor = rows[-1].id if rows else since
    following = str(request.url.include_query_params(since=cursor, limit=limit))
    return ChangesPage(items=rows, since=cursor, next=following)
