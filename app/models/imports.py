"""Rows of a bulk import (``POST /import``), the record every import leaves (``ImportRecord``,
``ImportReject``) and the one answer of every import path (``ImportPublic``).

Each row model is the single-record endpoint's own ``XCreate`` (same fields, limits and
validators) plus a client-chosen ``key`` and references by key (``parent``, ``claimant``, ...).
A reference may instead name an existing record by id (``parent_id``, ``claimant_id``, ...), so the
id fields a create requires are optional here: the import checks that one of the two is given."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic import Field as PydField
from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from app.models.common import AUTOINCREMENT, DateTimeField, Tracked
from app.models.entities import (
    MAX_ID,
    ClaimCreate,
    DocumentCreate,
    EventCreate,
    FigureInput,
    ScopeCreate,
    SourceCreate,
    SourceId,
    enum_column,
)

MAX_ROWS = 10_000  # sources, documents, events, scopes, claims and figures (inline ones too) per request
KINDS = ("sources", "documents", "events", "scopes", "claims", "figures")
ROW: Any = ConfigDict(extra="forbid", json_schema_extra=None)  # not the create models' examples: no key

Key = Annotated[str, StringConstraints(min_length=1, max_length=200)]
KEY = "Your name for this record, unique among its kind in the batch: other rows refer to it."


def _ref(kind: str, id_field: str) -> Any:
    return Field(default=None, description=f"The key of a {kind} in this batch (or give `{id_field}`).")


class SourceRow(SourceCreate):
    model_config = ROW
    key: Key = Field(description=KEY)
    parent: Key | None = _ref("source", "parent_id")


class DocumentRow(DocumentCreate):
    model_config = ROW
    key: Key = Field(description=KEY)
    publisher: Key | None = _ref("source", "publisher_id")


class EventRow(EventCreate):
    model_config = ROW
    key: Key = Field(description=KEY)
    parent: Key | None = _ref("event", "parent_id")


class ScopeRow(ScopeCreate):
    model_config = ROW
    key: Key = Field(description=KEY)
    parent: Key | None = _ref("scope", "parent_id")


class FigureRow(FigureInput):
    """A figure inside a claim: ``FigureInput`` with references by key."""

    model_config = ROW
    key: Key | None = Field(default=None, description="Needed only if a relative figure refers to this one.")
    event_id: int | None = Field(default=None, ge=1, le=MAX_ID)  # type: ignore[assignment]
    event: Key | None = _ref("event", "event_id")
    scope: Key | None = _ref("scope", "scope_id")
    reference: Key | None = _ref("figure (the one a relative figure is relative to)", "reference_id")


class FigureLine(FigureRow):
    """A figure on its own (a line of NDJSON, or an item of `figures`): it names its claim."""

    claim: Key | None = _ref("claim", "claim_id")
    claim_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class ClaimRow(ClaimCreate):
    model_config = ROW
    key: Key = Field(description=KEY)
    claimant_id: int | None = Field(default=None, ge=1, le=MAX_ID)  # type: ignore[assignment]
    claimant: Key | None = _ref("source", "claimant_id")
    document: Key | None = _ref("document", "document_id")
    relays: list[Key | SourceId] = Field(
        default_factory=list, max_length=20, description="Sources it came through, in order: keys or ids."
    )
    figures: list[FigureRow] = Field(default_factory=list, max_length=200)  # type: ignore[assignment]


ROW_MODELS: dict[str, type[BaseModel]] = {
    "sources": SourceRow,
    "documents": DocumentRow,
    "events": EventRow,
    "scopes": ScopeRow,
    "claims": ClaimRow,
    "figures": FigureLine,
}


class ImportBatch(BaseModel):
    """The JSON form of a batch (documents the request body; rows are checked one by one)."""

    model_config = ROW
    sources: list[SourceRow] = []
    documents: list[DocumentRow] = []
    events: list[EventRow] = []
    scopes: list[ScopeRow] = []
    claims: list[ClaimRow] = []
    figures: list[FigureLine] = []


class KeyIds(BaseModel):
    """Your keys, each with the id the record got (or already had)."""

    sources: dict[str, int] = {}
    documents: dict[str, int] = {}
    events: dict[str, int] = {}
    scopes: dict[str, int] = {}
    claims: dict[str, int] = {}
    figures: dict[str, int] = {}


class Created(BaseModel):
    """How many records of each kind the import created (matched ones are not counted)."""

    sources: int = 0
    documents: int = 0
    events: int = 0
    scopes: int = 0
    claims: int = 0
    figures: int = 0
    metrics: int = 0


class Matched(BaseModel):
    """Keys of rows that named an existing source or scope, which was used rather than duplicated."""

    sources: dict[str, int] = {}
    scopes: dict[str, int] = {}


# --- the record of an import ----------------------------------------------------------------------
class ImportKind(StrEnum):
    csv = "csv"  # POST /figures/import, countercheck import
    json = "json"  # POST /import
    ndjson = "ndjson"  # POST /import


class OnError(StrEnum):
    """What a bad row does: ``fail`` refuses the whole import (the default), ``skip`` loads every
    valid row and lists the refused ones."""

    fail = "fail"
    skip = "skip"


class ImportRecord(Tracked, table=True):
    """One import: who, when, what file, what it created and what it refused. Never deleted: undoing
    an import (``DELETE /imports/{id}``) removes what it created and marks the record deleted."""

    __tablename__ = "import_record"
    __table_args__ = AUTOINCREMENT
    id: int | None = Field(default=None, primary_key=True)
    kind: ImportKind = Field(sa_type=enum_column(ImportKind))
    actor: str | None = Field(default=None, max_length=100)
    filename: str | None = Field(default=None, max_length=300)
    sha256: str | None = Field(default=None, max_length=64)
    on_error: OnError = Field(default=OnError.fail, sa_type=enum_column(OnError))
    unit: str | None = Field(default=None, max_length=40)
    rows: int = 0
    rejected: int = 0
    unread: int = 0
    groups: int = 0
    created: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    created_ids: dict[str, list[Any]] = Field(default_factory=dict, sa_type=JSON)  # sources, events ... by id
    columns: list[str] | None = Field(default=None, sa_type=JSON)  # a CSV's header, for its rejects file
    removed: dict[str, int] | None = Field(default=None, sa_type=JSON)
    deleted_at: datetime | None = DateTimeField()
    deleted_by: str | None = Field(default=None, max_length=100)


class ImportReject(SQLModel, table=True):
    """A row an import refused (``on_error=skip``), with the row itself when it was a CSV line."""

    __tablename__ = "import_reject"
    __table_args__ = AUTOINCREMENT
    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="import_record.id", ondelete="CASCADE", index=True)
    line: int | None = None
    field: str = Field(default="", sa_type=Text)
    reason: str = Field(sa_type=Text)
    type: str = Field(default="row", max_length=40)
    key: str | None = Field(default=None, sa_type=Text)
    row: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class RowError(BaseModel):
    """One thing wrong with one row."""

    field: str = PydField(description="Where: `claims.3.figures.0.text`, or within the NDJSON line; empty: the row")
    reason: str
    type: str = PydField(
        description="`unknown-key`, `duplicate-key`, `cycle`, `unreadable`, `rule`, a pydantic type..."
    )
    key: str | None = PydField(default=None, description="The row's key, when it has one")
    line: int | None = PydField(default=None, description="The NDJSON line (from 1)")


class ImportProblem(BaseModel):
    """problem+json listing every bad row (the first 1,000; ``detail`` gives the count)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[RowError] | None = None


MAX_LISTED = 1000  # rejects listed in an answer; every one is in GET /imports/{id}/rejects.csv


class ImportPublic(BaseModel):
    """An import, as its answer and in `GET /imports`: one model for the CSV route, `POST /import`
    and the command line."""

    id: int
    kind: ImportKind
    actor: str | None = PydField(description="The name of the API key that ran it (`cli` from the command line)")
    filename: str | None = PydField(description="The file name given (`filename=`), or the command line's path")
    sha256: str | None = PydField(description="SHA-256 of the body, in hex")
    on_error: OnError
    unit: str | None = PydField(description="The default unit of its figures (CSV)")
    created_at: datetime
    rows: int = PydField(description="Rows read: CSV lines after the header, or JSON/NDJSON rows")
    created: Created
    unread: int = PydField(
        description="Figures whose words the reader could not read: stored with the interval given "
        "(`interval_source: given`)"
    )
    groups: int = PydField(description="Groups whose summaries were recomputed")
    rejected: int = PydField(description="Rows refused (`on_error=skip`); 0 otherwise")
    rejects: list[RowError] = PydField(default=[], description=f"The first {MAX_LISTED:,} refused rows")
    rejects_url: str | None = PydField(default=None, description="Every refused row as CSV")
    ids: KeyIds | None = PydField(default=None, description="`POST /import` only: the id of every key")
    matched: Matched | None = PydField(default=None, description="`POST /import` only: existing records used")
    removed: Created | None = PydField(default=None, description="What `DELETE /imports/{id}` removed")
    deleted_at: datetime | None = None
    deleted_by: str | None = None
