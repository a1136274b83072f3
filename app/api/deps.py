"""Dependencies as vocabulary: a session per request (a reader's, a writer's or an admin's: each
also declares the key it needs, see app.api.access, and waits for its admission, see ``Gates``),
settings, pagination parameters."""

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from weakref import WeakKeyDictionary

from fastapi import Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from app.api.access import Caller, admin, reader, writer
from app.api.writers import Batch, Writer
from app.config import Settings, get_settings
from app.db import get_engine, is_sqlite, session_scope
from app.errors import Invalid
from app.models.common import Page
from app.models.entities import MAX_ID
from app.services.common import PageRequest, etag


@dataclass(slots=True)
class Gates:
    """Admission for the database, waited for on the event loop (a waiting request holds no worker
    thread and no connection). ``sessions``: at most ``COUNTERCHECK_THREADS`` requests hold a
    session at once, so a request that holds one always finds a thread and the pool (sized in
    ``app.db.make_engine``) never makes a worker thread wait for a connection. ``writer``: on
    SQLite, the one writer at a time, first come first served (SQLite's busy handler is not fair:
    under many writers some waited out the busy timeout while later ones went through), the
    writers queued together committed together (``app.api.writers``)."""

    sessions: asyncio.Semaphore
    writer: Writer


_gates: "WeakKeyDictionary[asyncio.AbstractEventLoop, Gates]" = WeakKeyDictionary()


def gates() -> Gates:
    """This event loop's gates (each loop has its own: a test client runs its own loop)."""
    loop = asyncio.get_running_loop()
    found = _gates.get(loop)
    if found is None:
        sessions = asyncio.Semaphore(get_settings().threads)
        found = _gates[loop] = Gates(sessions, Writer(get_engine, sessions))
    return found


async def session_permit() -> AsyncIterator[None]:
    """A permit to hold a database session for this request (released after the session closes)."""
    async with gates().sessions:
        yield


async def writer_turn() -> AsyncIterator[Batch | None]:
    """A writer's turn: on SQLite, queued behind the writers before it, then a session permit, for
    its work in the writers' batch (returned); it is answered once the batch has committed. On
    PostgreSQL, a permit only (None: the request commits on its own; writers of different rows
    never wait for each other)."""
    found = gates()
    if not is_sqlite(get_engine()):
        async with found.sessions:
            yield None
        return
    batch = await found.writer.turn()
    try:
        async with found.sessions:
            yield batch
    except Exception:
        found.writer.pass_turn()
        # Its savepoint is rolled back; its error answers only after what it may have read of the
        # batch's earlier writes is committed (or not: then its own error still answers).
        await asyncio.wait([batch.done])  # (wait never cancels what it waits for)
        raise
    except BaseException:  # cancelled: nobody to answer
        found.writer.pass_turn()
        raise
    found.writer.pass_turn()
    await asyncio.shield(batch.done)  # the batch's COMMIT (or its failure, raised here)


PermitDep = Annotated[None, Depends(session_permit, scope="function")]
TurnDep = Annotated[Batch | None, Depends(writer_turn, scope="function")]


def _reading(request: Request) -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        session.info["actor"] = getattr(request.state, "actor", None)
        yield session  # never committed: closing it rolls back, and it never took a write lock


def _writing(request: Request, batch: Batch | None) -> Iterator[Session]:
    with session_scope() if batch is None else batch.scope() as session:
        session.info["actor"] = getattr(request.state, "actor", None)  # history: who changed what
        yield session


def read_session(
    request: Request, _caller: Annotated[Caller, Depends(reader)], _permit: PermitDep = None
) -> Iterator[Session]:
    """A read (or a preview): a plain transaction that is never committed, so on SQLite it never
    takes the write lock and cannot hold up a writer (nor waits for the writers' queue)."""
    yield from _reading(request)


def write_session(
    request: Request, _caller: Annotated[Caller, Depends(writer)], batch: TurnDep = None
) -> Iterator[Session]:
    """A writer's session (a write key): its turn in the writers' queue (``writer_turn``), then
    BEGIN IMMEDIATE on SQLite, committed when the route returns and rolled back on any error. On
    SQLite the transaction is the writers' batch and the request's work a savepoint of it
    (``app.api.writers``): the batch commits once its last member is done.

    Scoped to the route function, so the commit happens BEFORE the response is sent: a client
    that got 201 can read its write at once, and a failed commit answers as an error."""
    yield from _writing(request, batch)


def admin_session(
    request: Request, _caller: Annotated[Caller, Depends(admin)], batch: TurnDep = None
) -> Iterator[Session]:
    """As ``write_session``, for an admin key."""
    yield from _writing(request, batch)


SessionDep = Annotated[Session, Depends(read_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(write_session, scope="function")]
AdminSessionDep = Annotated[Session, Depends(admin_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def page_params(
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, description="Items per page (at most the max page size).")] = None,
    offset: Annotated[int, Query(ge=0, le=10**12, description="Items to skip.")] = 0,
    sort: Annotated[
        str | None,
        Query(max_length=40, description="Field to sort by; prefix with `-` for descending. Ties break by id."),
    ] = None,
    after: Annotated[
        int | None,
        Query(ge=0, le=2**31 - 1, description="Keyset paging: the items with an id above this, by id (see `next`)."),
    ] = None,
    total: Annotated[bool, Query(description="Count the matching items (false skips it on big lists).")] = True,
) -> PageRequest:
    size = settings.default_page_size if limit is None else limit
    if size > settings.max_page_size:
        raise Invalid(f"limit {size} is above the max page size {settings.max_page_size}", field="limit")
    if after is not None and (sort is not None or offset):
        raise Invalid("`after` pages by id: it cannot be combined with `sort` or `offset`", field="after")
    return PageRequest(limit=size, offset=offset, sort=sort, after=after, count=total)


PageDep = Annotated[PageRequest, Depends(page_params)]
PAGE_PARAMS = frozenset({"limit", "offset", "sort", "after", "total"})


def known_params(
    request: Request, *models: type[BaseModel], extra: frozenset[str] = frozenset(), paged: bool = True
) -> None:
    """Refuse query parameters a route does not know: a misspelt filter must not return everything.
    ``paged=False``: the route is not a page (``limit``, ``sort`` ... are unknown to it)."""
    allowed = (PAGE_PARAMS if paged else frozenset()) | extra | {n for model in models for n in model.model_fields}
    for name in request.query_params:
        if name not in allowed:
            raise Invalid(f"unknown query parameter {name!r}; known: {', '.join(sorted(allowed))}", field=name)


def fixed_order(page: PageRequest, order: str) -> None:
    """A list whose order is part of what it means (a history, oldest first) refuses ``sort``."""
    if page.sort:
        raise Invalid(f"this list is always {order}: it cannot be sorted", field="sort")


T = TypeVar("T")


def page_body(request: Request, page: PageRequest, items: list[T], total: int | None) -> Page[T]:
    """A page of a list: its items, the total, and the URL of the next page (None on the last).
    A keyset page (``after``) links to the next keyset page; an offset page to the next offset."""
    if page.after is not None or total is None:
        more = len(items) == page.limit
        last_id = getattr(items[-1], "id", None) if items else None
        following = request.url.include_query_params(after=last_id, limit=page.limit)
    else:
        more = page.offset + page.limit < total
        following = request.url.include_query_params(offset=page.offset + page.limit, limit=page.limit)
    return Page[T](
        items=items, total=total, limit=page.limit, offset=page.offset, next=str(following) if more else None
    )


IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The record's id.")]

# A `\u0000` escape in JSON text: a backslash-u0000 not itself escaped (an even run of backslashes before it).
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
NUL_DETAIL = "text cannot contain a NUL character (\\u0000)"


async def refuse_nul(request: Request) -> None:
    """PostgreSQL cannot store or compare text holding a NUL character: refuse it on every engine,
    in a path, a query parameter or the JSON body, naming where it was."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if "\x00" in f"{name}{value}":
            raise Invalid(NUL_DETAIL, field=name)
    body = await request.body()  # already read (and kept) by FastAPI for a route with a body
    if b"\\u0000" in body and _NUL_ESCAPE.search(body):
        raise Invalid(NUL_DETAIL, field=_nul_field(body))


def _nul_field(body: bytes) -> str | None:
    """Where the first NUL is in a JSON body (``figures.0.text``); None if the body is not JSON
    (or not strict JSON: too deep to parse safely, or a key twice)."""
    from app.strict_json import loads_strict  # only a body holding a NUL escape comes here

    try:
        stack: list[tuple[str, Any]] = [("", loads_strict(body))]
    except ValueError:
        return None
    while stack:
        path, value = stack.pop(0)
        if isinstance(value, str) and "\x00" in value:
            return path or None
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            if "\x00" in str(key):
                return f"{path}.{key}".lstrip(".")
            stack.append((f"{path}.{key}".lstrip("."), item))
    return None


def json_body(found: BaseModel) -> Response:
    """A model already built (and validated) by a service, serialized once in Rust: returned as
    itself, FastAPI would validate it against ``response_model`` and serialize it again."""
    return Response(found.model_dump_json(), media_type="application/json")


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        description='The ETag you read (`"3"`): the change applies only if the record is still at that version, '
        "else 412.",
    ),
]


def tag(response: Response, version: int) -> None:
    """Send the record's version as its ETag, for a later If-Match."""
    response.headers["ETag"] = etag(version)
