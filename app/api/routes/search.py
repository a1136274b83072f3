"""Full-text search across sources, events, claims and documents."""

from typing import Annotated

from fastapi import Query, Request

from app.api.deps import SessionDep, SettingsDep, page_body
from app.api.problems import Router, responses
from app.errors import Invalid
from app.models.common import Page
from app.models.search import HitKind, SearchHit
from app.services import search
from app.services.common import PageRequest

router = Router(tags=["search"])
PARAMS = frozenset({"q", "kind", "limit", "offset"})


@router.get("/search", response_model=Page[SearchHit], summary="Search everything", responses=responses(422))
def search_records(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=500,
            description='Words (all must match), "a quoted phrase", `or` between alternatives, `-word` to exclude. '
            "Words are stemmed (killed finds kill) and case is ignored.",
        ),
    ],
    kind: Annotated[list[HitKind] | None, Query(description="Only hits of these kinds (repeat the parameter).")] = None,
    limit: Annotated[int | None, Query(ge=1, description="Hits per page (at most the max page size).")] = None,
    offset: Annotated[int, Query(ge=0, le=10**12, description="Hits to skip.")] = 0,
) -> Page[SearchHit]:
    """Search source names and aliases, event names, claim quotes, and document titles and texts.
    Hits come best first: each with its kind, id, title (a claim's is its claimant), the field that
    matched, an HTML snippet (the text escaped, matches in `<mark>`…`</mark>`), a score and a link.
    A source found by its name and by an alias is one hit. The whole name or title typed as the query
    ranks first; then names and titles outrank quotes, and quotes outrank a passing mention in a text.

    Any text is a valid query: quotes and operators are read as words where they make no sense."""
    for name in request.query_params:
        if name not in PARAMS:
            raise Invalid(f"unknown query parameter {name!r}; known: {', '.join(sorted(PARAMS))}", field=name)
    size = settings.default_page_size if limit is None else limit
    if size > settings.max_page_size:
        raise Invalid(f"limit {size} is above the max page size {settings.max_page_size}", field="limit")
    items, total = search.search(session, q, size, offset, kind)
    return page_body(request, PageRequest(size, offset, None), items, total)
