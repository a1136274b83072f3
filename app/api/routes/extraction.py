"""Read an article: propose its figures with who said them, then store what the user confirms."""

from fastapi import Request, Response

from app.api.deps import SessionDep, SettingsDep, WriteSessionDep
from app.api.problems import Router, responses
from app.models.extraction import Article, CommitRequest, Committed, Proposals
from app.services import extraction

router = Router(prefix="/extract", tags=["extract"])


@router.post("", response_model=Proposals, summary="Propose the figures of an article", responses=responses(422, 503))
async def propose(body: Article, request: Request, session: SessionDep, settings: SettingsDep) -> Proposals:
    """Read the text and propose every figure about people or things counted, with its span,
    words, bound and interval (by the same reader as `/figures/parse`), metric, scope, claimant,
    relays, modality, stated date, the figure a relative one refers to, a confidence and the
    cue words that produced it; and the sources it names, each matched to an existing source by
    name when there is one. Nothing is stored: review, then send them to `/extract/commit`.

    The reading runs in a worker thread within a time budget (503 past it) and stops if the
    client disconnects; a text longer than the cap, or with more figures than one extraction
    proposes, answers 422 naming `text`."""
    return await extraction.propose_stoppable(session, body, settings.tolerance, request.is_disconnected)


@router.post(
    "/commit",
    status_code=201,
    response_model=Committed,
    summary="Store an article's reviewed figures",
    responses=responses(401, 403, 404, 409, 422, 503),
)
def commit(body: CommitRequest, session: WriteSessionDep, settings: SettingsDep, response: Response) -> Committed:
    """Store the document, its sources (matched by name, case and accents ignored, never
    duplicated), the event, the scopes, the claims and their figures in one transaction, and
    link to the event's discrepancy report. Send back `figures` and `sources` as reviewed (or
    leave them out to store the proposals as they are); map proposed scope names to existing
    scopes with `scopes`."""
    stored = extraction.commit(session, body, settings.tolerance)
    response.headers["Location"] = stored.report
    return stored
