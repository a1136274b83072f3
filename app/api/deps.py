"""Dependencies as vocabulary: a session per request, settings, pagination parameters."""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from pydantic import BaseModel
from sqlmodel import Session

from app.config import Settings, get_settings
from app.db import get_engine
from app.errors import Invalid
from app.services.common import PageRequest


def get_session() -> Iterator[Session]:
    """One session per request: committed when the route returns, rolled back on any error.

    Scoped to the route function, so the commit happens BEFORE the response is sent: a client
    that got 201 can read its write at once, and a failed commit answers as an error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def page_params(
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, description="Items per page (at most the max page size).")] = None,
    offset: Annotated[int, Query(ge=0, le=10**12, description="Items to skip.")] = 0,
    sort: Annotated[
        str | None,
        Query(max_length=40, description="Field to sort by; prefix with `-` for descending. Ties break by id."),
    ] = None,
) -> PageRequest:
    size = settings.default_page_size if limit is None else limit
    if size > settings.max_page_size:
        raise Invalid(f"limit {size} is above the max page size {settings.max_page_size}", field="limit")
    return PageRequest(limit=size, offset=offset, sort=sort)


PageDep = Annotated[PageRequest, Depends(page_params)]
PAGE_PARAMS = frozenset({"limit", "offset", "sort"})


def known_params(request: Request, *models: type[BaseModel], extra: frozenset[str] = frozenset()) -> None:
    """Refuse query parameters a list does not know: a misspelt filter must not return everything."""
    allowed = PAGE_PARAMS | extra | {name for model in models for name in model.model_fields}
    for name in request.query_params:
        if name not in allowed:
            raise Invalid(f"unknown query parameter {name!r}; known: {', '.join(sorted(allowed))}", field=name)


def page_body(request: Request, page: PageRequest, items: list[Any], total: int) -> dict[str, Any]:
    """A page of a list: its items, the total, and the URL of the next page (None on the last)."""
    more = page.offset + page.limit < total
    following = request.url.include_query_params(offset=page.offset + page.limit, limit=page.limit)
    return {
        "items": items,
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
        "next": str(following) if more else None,
    }


IdPath = Annotated[int, Path(ge=1, le=2**63 - 1, description="The record's id.")]
