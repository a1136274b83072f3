"""Bulk import: sources, documents, events, scopes, claims and figures that refer to one another by
keys the client chooses, as JSON or NDJSON, all or nothing (or skipping bad rows on request),
retry-safe with ``Idempotency-Key``; and the record of every import, its refused rows and its undoing."""

import inspect
import json
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.responses import StreamingResponse
from starlette.exceptions import HTTPException

from app.api import export
from app.api.deps import IdPath, SessionDep, SettingsDep, WriteSessionDep, known_params
from app.api.idempotency import IdempotencyDep, replay_doc
from app.api.problems import Router, inline_schema, problem_content, responses
from app.api.routes.csv_import import FilenameQuery, OnErrorQuery
from app.db import get_engine
from app.models.common import Page
from app.models.imports import ImportBatch, ImportProblem, ImportPublic, OnError
from app.services import import_records, imports
from app.services.bulk import sha256_of
from app.services.common import PageRequest
from app.services.import_records import Origin

router = Router(tags=["import"])
NDJSON_TYPES = frozenset({"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"})


async def raw_body(request: Request) -> bytes:
    return await request.body()


def is_ndjson(request: Request) -> bool:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media in NDJSON_TYPES


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "There was an error parsing the body: it is not UTF-8") from exc


def code_block(doc: str, language: str) -> str:
    """The first fenced block of ``language`` in a docstring (the examples below, kept in one place)."""
    start = doc.index(f"```{language}\n") + len(language) + 4
    return doc[start : doc.index("```", start)]


NDJSON_NOTE = "One JSON object per line, each with its `type`: source, document, event, scope, claim or figure."


def _documented_body(doc: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": inline_schema(ImportBatch),
                    "example": json.loads(code_block(doc, "json")),
                },
                "application/x-ndjson": {
                    "schema": {"type": "string", "description": NDJSON_NOTE},
                    "example": code_block(doc, "ndjson"),
                },
            },
        }
    }


TOO_MANY: dict[int | str, dict[str, Any]] = {
    413: {"description": "More than 10,000 rows.", "content": problem_content(ImportProblem)}
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"description": "Bad rows: `errors` lists each.", "content": problem_content(ImportProblem)}
}


def import_batch(
    request: Request,
    session: WriteSessionDep,
    settings: SettingsDep,
    idempotency: IdempotencyDep,
    body: Annotated[bytes, Depends(raw_body)],
    on_error: OnErrorQuery = OnError.fail,
    filename: FilenameQuery = None,
) -> Response:
    """Import a batch of sources, documents, events, scopes, claims and figures that refer to one
    another by **keys you choose**, in **one transaction**: all of it is stored, or none of it.

    **Formats.** JSON (`Content-Type: application/json`): an object of lists, `sources`,
    `documents`, `events`, `scopes`, `claims` (figures inline, as in `POST /claims`) and, optionally,
    `figures` on their own (each naming its `claim`). NDJSON (`Content-Type: application/x-ndjson`):
    one object per line, each with its `type` (`source`, `document`, `event`, `scope`, `claim`,
    `figure`) and its fields; figures inline in a claim or on lines of their own with
    `"claim": "<claim key>"`. Rows may come in any order.

    **Rows.** Each row has the fields of the single-record endpoint (`POST /sources`, `/documents`,
    `/events`, `/scopes`, `/claims`, a figure of `/claims`) and is checked by the same models and
    service rules, plus a `key`: any string, unique among rows of its kind (a source and an event
    may share one), required except on figures (give a figure a key when a relative figure refers
    to it). **References by key**: `parent` (source, event, scope), `publisher` (document),
    `claimant`, `document` and `relays` (claim; `relays` is a list in order), `event`, `scope`,
    `reference` (figure: the figure a relative one is relative to) and `claim` (a figure on its own).
    Any reference may instead name an existing record by id: `parent_id`, `publisher_id`,
    `claimant_id`, `document_id`, an integer in `relays` (or `relay_ids`), `event_id`, `scope_id`,
    `reference_id`, `claim_id`; give one form or the other, not both.

    **Matching.** A source whose name already exists under the same parent, and a scope whose name
    already exists, is used rather than duplicated: the answer lists it under `matched` (its other
    fields are neither compared nor changed). The same source or scope twice in one batch is a
    problem. Documents (by `url`) are not matched: a taken url is a problem.

    **Words.** A figure's `text` is read by the wording reader. Words it cannot read ("killed
    seven", "somewhere between 6 and 18") are refused, unless the figure also gives `bound` with
    `low`/`high`: then the words are kept verbatim and the interval is the one given
    (`interval_source: given`). Words and explicit ends that the reader reads differently are refused.

    **Refusal.** If any row is bad, nothing is stored and the answer is 422 problem+json whose
    `errors` list **every** problem (the first 1,000): `field` (the path, `claims.3.figures.0.text`,
    or for NDJSON the field within the line), `line` (NDJSON, from 1), `key` and `reason`, with a
    `type`: a pydantic type for a bad field (`missing`, `extra_forbidden`, `string_too_long` ...),
    `unknown-key`, `duplicate-key`, `cycle` (a parent or reference loop), `unreadable` (words the
    reader cannot read), `rule` (a service rule: a quote span outside the document's text, a
    relative figure without its reference ...), `not-found` (an id that does not exist), `conflict`
    (a taken unique name or url), `malformed-json`, `shape`, `json-duplicate-key` (an object holding
    a key twice: `duplicate key 'name' at sources.0`), `json-too-deep`. A row that names a refused
    row is checked no further until that row is fixed.

    **Skipping bad rows.** With `on_error=skip` every valid row is stored (each in a savepoint of
    its own) and the answer (201) lists the refused ones in `rejects` (the first 1,000; all of them
    at `rejects_url`, as CSV), a row that names a refused row among them (type
    `refused-reference`). Each row stands alone: a claim is kept when one of its figures is refused.

    **Limits.** At most 10,000 rows per request, counting inline figures: more answers 413 before
    anything is read further. A body that is not UTF-8 answers 400. JSON is read strictly, the
    body and each NDJSON line alike: an object may not hold a key twice, and arrays and objects
    may nest at most 64 levels deep (a batch needs 5); either is a 422 (on NDJSON, naming the
    line).

    **Answer.** 201 with the import's record (`GET /imports/{id}`: who, when, `filename`, the
    SHA-256 of the body) and `ids`: the id of every key, by kind (figures with a key); `created`:
    how many records of each kind were created; `matched`: the keys of the sources and scopes that
    existed. Group summaries and history are written in the same transaction, as for single
    writes; history records each row under the API key's name, and the import itself.
    `DELETE /imports/{id}` undoes it.

    **Idempotency-Key.** Send one (a UUID) and retry freely: a retry with the same key and body
    answers with the stored status and body and `Idempotent-Replayed: true`, storing nothing again;
    the same key with another body is a 422. The stored answer commits in the same transaction as
    the data. A retry arriving while the first is still running waits for it. Keys are kept 24 hours.

    Example (the seed story, without the article's text):

    ```json
    {
      "sources": [
        {"key": "bloomberg", "name": "Bloomberg", "kind": "outlet"},
        {"key": "ap", "name": "The Associated Press", "kind": "outlet"},
        {"key": "mfa", "name": "Russian Foreign Ministry", "kind": "government", "affiliation": "Russia"},
        {"key": "zakharova", "name": "Maria Zakharova", "kind": "person", "affiliation": "Russia", "parent": "mfa"},
        {"key": "official", "name": "U.S. official (anonymous)", "kind": "anonymous", "affiliation": "United States"},
        {"key": "russians", "name": "Three Russian sources (anonymous)", "kind": "anonymous", "affiliation": "Russia"}
      ],
      "documents": [
        {"key": "article", "title": "US Strikes Allegedly Killed 'Scores' of Russian Fighters in Syria",
         "published_at": "2018-02-15T00:00:00Z", "language": "en"}
      ],
      "events": [
        {"key": "strike", "name": "U.S. strike on Russian contract fighters near Deir ez-Zor",
         "started_at": "2018-02-05T00:00:00Z", "ended_at": "2018-02-11T23:59:00Z", "place": "Deir ez-Zor, Syria"}
      ],
      "scopes": [
        {"key": "force", "name": "attacking force"},
        {"key": "citizens", "name": "Russian citizens in the attacking force", "parent": "force"}
      ],
      "claims": [
        {"key": "toll", "claimant": "official", "relays": ["bloomberg"], "document": "article", "modality": "reported",
         "quote": "The official said the death toll was around 100, with another 200 to 300 injured",
         "figures": [
           {"key": "around-100", "event": "strike", "metric": "killed", "scope": "force", "text": "around 100"},
           {"event": "strike", "metric": "injured", "scope": "force", "text": "another 200 to 300"}
         ]},
        {"key": "double", "claimant": "russians", "relays": ["bloomberg"], "document": "article",
         "modality": "reported", "quote": "the Russians said more than double that number died",
         "figures": [
           {"event": "strike", "metric": "killed", "scope": "force", "text": "more than double that number",
            "reference": "around-100"}
         ]},
        {"key": "five", "claimant": "zakharova", "relays": ["ap"], "document": "article", "modality": "hedged",
         "quote": "five people, presumably Russian citizens, may have been killed in combat",
         "figures": [
           {"event": "strike", "metric": "killed", "scope": "citizens",
            "text": "five people, presumably Russian citizens"}
         ]}
      ]
    }
    ```

    The same kind of batch as NDJSON, a figure on a line of its own:

    ```ndjson
    {"type": "source", "key": "bloomberg", "name": "Bloomberg", "kind": "outlet"}
    {"type": "source", "key": "official", "name": "U.S. official (anonymous)", "kind": "anonymous"}
    {"type": "event", "key": "strike", "name": "U.S. strike near Deir ez-Zor"}
    {"type": "claim", "key": "toll", "claimant": "official", "relays": ["bloomberg"], "modality": "reported"}
    {"type": "figure", "claim": "toll", "event": "strike", "metric": "killed", "text": "around 100"}
    ```

    The answer to the JSON example on an empty database: `{"id": 1, "kind": "json", ...,
    "ids": {"sources": {"bloomberg": 1, ...}, "documents": {"article": 1}, "events": {"strike": 1},
    "scopes": {"force": 1, "citizens": 2}, "claims": {"toll": 1, "double": 2, "five": 3},
    "figures": {"around-100": 1}}, "created": {"sources": 6, "documents": 1, "events": 1,
    "scopes": 2, "claims": 3, "figures": 4, "metrics": 0}, "matched": {"sources": {}, "scopes": {}}}`."""
    replayed = idempotency.claim(session)
    if replayed is not None:
        return replayed
    known_params(request, extra=frozenset({"on_error", "filename"}))
    origin = Origin(getattr(request.state, "actor", None), filename, sha256_of(body))
    text = decode(body)
    result = imports.run(session, text, is_ndjson(request), settings.tolerance, on_error=on_error, origin=origin)
    return idempotency.respond(session, ImportPublic, result)


router.add_api_route(
    "/import",
    import_batch,
    methods=["POST"],
    status_code=201,
    response_model=ImportPublic,
    summary="Import a batch, all or nothing",
    responses={**responses(400, 401, 403, 409), **TOO_MANY, **REFUSED, **replay_doc()},
    openapi_extra=_documented_body(inspect.cleandoc(import_batch.__doc__ or "")),
)


# --- the record of every import -----------------------------------------------------------------
records = Router(prefix="/imports", tags=["import"])


@records.get(
    "",
    response_model=Page[ImportPublic],
    summary="List imports, newest first",
    responses={**responses(422), **export.FILE_RESPONSES},
)
def list_imports(session: SessionDep, listing: export.ListingDep) -> StreamingResponse | Page[ImportPublic]:
    """Every import, newest first: CSV (`POST /figures/import`, `countercheck import`), JSON and
    NDJSON (`POST /import`), with who ran it, when, the file name, the SHA-256 of the body, what it
    created, how many rows it refused, and whether it was deleted."""
    listing.check(order="newest first")

    def fetch(p: PageRequest) -> tuple[list[ImportPublic], int | None]:
        found, total = import_records.listed(session, p.limit, p.offset)
        return [import_records.public(session, r) for r in found], total

    return listing.answer(fetch, ImportPublic, "imports")


@records.get("/{ident:int}", response_model=ImportPublic, summary="An import", responses=responses(404, 422))
def read_import(ident: IdPath, session: SessionDep) -> ImportPublic:
    """One import's record: who, when, file name, SHA-256, counts, the first 1,000 refused rows and
    the link to all of them."""
    return import_records.public(session, import_records.get(session, ident))


@records.get(
    "/{ident:int}/rejects.csv",
    summary="An import's refused rows, as CSV",
    responses={**responses(404, 422), 200: {"content": {"text/csv": {}}, "description": "The refused rows."}},
)
def import_rejects(ident: IdPath, session: SessionDep) -> StreamingResponse:
    """Every row the import refused (`on_error=skip`): `reject_line`, `reject_field`,
    `reject_reason`, `reject_type`, `reject_key`, then the row's own columns as they were sent (a
    CSV import). Fix the rows and send the file again as it is: the importer reads only its own
    columns. Cells that a spreadsheet would run as a formula are written with a `'` first."""
    record = import_records.get(session, ident)
    rows = import_records.rejects_rows(get_engine(), ident)
    body = export.csv_lines(rows, import_records.reject_columns(record), False)
    headers = {"Content-Disposition": f'attachment; filename="import-{ident}-rejects.csv"'}
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)


@records.delete(
    "/{ident:int}", response_model=ImportPublic, summary="Undo an import", responses=responses(401, 403, 404, 409)
)
def delete_import(ident: IdPath, session: WriteSessionDep) -> ImportPublic:
    """Remove exactly what the import added: its figures; its claims, unless a figure added since
    belongs to one; the sources, documents, events, scopes and metrics it created, unless
    something else uses them now. Summaries of the touched groups are recomputed. The record stays,
    with `deleted_at`, `deleted_by` and what was `removed`; history keeps the delete. 409 if it was
    deleted already, or if a figure of another import or claim refers to one of its figures."""
    return import_records.public(session, import_records.undo(session, ident))
