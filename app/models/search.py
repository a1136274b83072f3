"""Full-text search: the database objects behind it (kept out of the SQLModel metadata, created by
migration 0006) and the API's hit schema.

- SQLite: an FTS5 table ``<table>_fts`` per indexed table, with external content (the indexed
  table itself, ``content_rowid`` its id: no text is stored twice), kept in step by triggers.
- PostgreSQL: a stored generated ``tsvector`` column ``search_vector`` on each indexed table and
  a GIN index ``ix_<table>_search_vector`` on it.

Alembic autogenerate must not take these for differences: ``include_object`` below is the hook
``migrations/env.py`` passes to it."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

# table -> its indexed text columns (the first is the hit's title or name)
INDEXED: dict[str, tuple[str, ...]] = {
    "source": ("name",),
    "source_alias": ("alias",),
    "event": ("name",),
    "claim": ("quote",),
    "document": ("title", "text"),
}
VECTOR_COLUMN = "search_vector"
FTS5_SHADOWS = ("", "_data", "_idx", "_docsize", "_config", "_content")


def fts_table(table: str) -> str:
    return f"{table}_fts"


def vector_index(table: str) -> str:
    return f"ix_{table}_{VECTOR_COLUMN}"


SEARCH_TABLES = frozenset(fts_table(t) + suffix for t in INDEXED for suffix in FTS5_SHADOWS)
SEARCH_INDEXES = frozenset(vector_index(t) for t in INDEXED)


def include_object(_obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's ``include_object`` hook: the search objects exist only in the database."""
    if not reflected or compare_to is not None:
        return True
    if type_ == "table":
        return name not in SEARCH_TABLES
    if type_ == "column":
        return name != VECTOR_COLUMN
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True


# --- API ------------------------------------------------------------------------------------------
class HitKind(StrEnum):
    source = "source"
    claim = "claim"
    document = "document"
    event = "event"


class SearchHit(BaseModel):
    kind: HitKind
    id: int
    title: str = Field(description="The source's or event's name, the document's title, the claimant of a claim")
    snippet: str = Field(description="HTML: the matching text, escaped, the words that matched in `<mark>`…`</mark>`")
    matched: str = Field(description="The field that matched: name, alias, quote, title or text")
    score: float = Field(
        description="Relevance, higher first: the engine's rank scaled into [0, 1) and weighted by field, "
        "plus 1 when the query is the whole name or title. Comparable within one engine only"
    )
    link: str = Field(description="The record's URL")
