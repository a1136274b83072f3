"""One router shape for the simple records (sources, documents, events, scopes): create, read,
list with filters, PATCH, DELETE with an explicit cascade."""

from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import Query, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlmodel import SQLModel

from app.api import export
from app.api.deps import IdPath, IfMatch, SessionDep, WriteSessionDep, tag
from app.api.problems import Router, responses
from app.db import get_engine
from app.models.common import Page, Tracked
from app.services import records
from app.services.common import delete_row, get_or_404


class Deleted(BaseModel):
    """What a delete removed, by kind (a cascade may remove more than the record itself)."""

    deleted: dict[str, int]


class Stored(Protocol):
    """A record just created or updated, as its route reads it back (the response shows it as the
    resource's ``public`` model)."""

    @property
    def id(self) -> int | None: ...

    @property
    def version(self) -> int: ...


CascadeQuery = Annotated[
    bool, Query(description="Also delete every record that depends on this one (see the 409 body).")
]


@dataclass(frozen=True)
class Resource:
    spec: records.Spec[Any]
    singular: str
    plural: str
    create: type[SQLModel]
    update: type[SQLModel]
    public: type[SQLModel]
    filters: type[BaseModel]


def crud_router(res: Resource) -> Router:
    router = Router(prefix=f"/{res.plural}", tags=[res.plural])
    one, many, public, model = res.singular, res.plural, res.public, res.spec.model

    @router.post(
        "",
        status_code=201,
        response_model=public,
        summary=f"Create a {one}",
        responses=responses(404, 409, 422),
    )
    def create_record(body: res.create, session: WriteSessionDep, response: Response) -> Stored:  # type: ignore[name-defined]
        row: Stored = records.create(session, res.spec, body)
        response.headers["Location"] = f"/{many}/{row.id}"
        tag(response, row.version)
        return row

    create_record.__doc__ = f"Create a {one}. Every id it names must exist; a duplicate unique key answers 409."

    @router.get(
        "",
        response_model=Page[public],  # type: ignore[valid-type]
        summary=f"List {many}",
        responses={**responses(422), **export.FILE_RESPONSES},
    )
    def list_records(
        session: SessionDep,
        filters: Annotated[res.filters, Query()],  # type: ignore[name-defined]
        listing: export.ListingDep,
    ) -> StreamingResponse | Page[Tracked]:
        listing.check(res.filters)
        if (fmt := listing.file_format()) is not None:
            engine = get_engine()
            every = export.chunked(lambda after, limit: records.export_chunk(engine, res.spec, filters, after, limit))
            return listing.file(every, records.columns(res.spec), fmt, many)
        return listing.page_of(*records.list_rows(session, res.spec, filters, listing.page))

    list_records.__doc__ = (
        f"List {many}, filtered, sorted (`sort`: {', '.join(res.spec.sortable)}) and paginated "
        "by `limit`/`offset`; the body gives the `total` and the `next` page's URL. `format=csv` or `ndjson` "
        "(or `Accept: text/csv`) streams every matching record as a file instead. In CSV, a text cell that "
        "would start a spreadsheet formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is written "
        "with a `'` before it; numbers and NDJSON are written as stored."
    )

    @router.get("/{ident:int}", response_model=public, summary=f"Read a {one}", responses=responses(404))
    def read_record(ident: IdPath, session: SessionDep, response: Response) -> Tracked:
        row: Tracked = get_or_404(session, model, ident)
        tag(response, row.version)
        return row

    read_record.__doc__ = f"Read one {one} by id."

    @router.patch(
        "/{ident:int}", response_model=public, summary=f"Update a {one}", responses=responses(404, 409, 412, 422)
    )
    def update_record(
        ident: IdPath,
        body: res.update,  # type: ignore[name-defined]
        session: WriteSessionDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> Tracked:
        row: Tracked = records.update(session, res.spec, ident, body, if_match)
        session.flush()
        tag(response, row.version)
        return row

    update_record.__doc__ = (
        f"Change some fields of a {one}; fields left out keep their value. The version goes up by one and is "
        "sent as the `ETag`; send it back as `If-Match` to be sure nobody changed the record in between (412 if so)."
    )

    @router.delete(
        "/{ident:int}", response_model=Deleted, summary=f"Delete a {one}", responses=responses(404, 409, 412)
    )
    def delete_record(
        ident: IdPath, session: WriteSessionDep, cascade: CascadeQuery = False, if_match: IfMatch = None
    ) -> Deleted:
        return Deleted(deleted=delete_row(session, model, ident, cascade=cascade, if_match=if_match))

    delete_record.__doc__ = (
        f"Delete a {one}. If other records depend on it the answer is 409 with `dependents` "
        "counted by kind, unless `cascade=true`."
    )
    return router
