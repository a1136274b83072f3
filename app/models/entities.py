"""Tables and API schemas of every entity: ``XBase`` -> ``XCreate`` / ``XUpdate`` / ``X`` (table) / ``XPublic``.

Each table carries ``created_at``, ``updated_at`` and ``version``. Integer ids. Foreign keys
RESTRICT deletes: the service answers 409 with the dependents unless a cascade is asked for.
"""

from enum import StrEnum
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, FiniteFloat, StringConstraints, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint, text
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from app.domain.discrepancy import Period
from app.domain.intervals import MAX_VALUE as MAX_VALUE  # one cap, defined in the domain; re-exported
from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.models.common import AUTOINCREMENT, DateTimeField, Instant, Tracked, TrackedPublic

STRICT: Any = ConfigDict(extra="forbid")  # typed Any: SQLModel declares its own config type


def enum_column(enum: type[StrEnum]) -> SAEnum:
    """A VARCHAR holding the enum's values: read back as members, extendable without a type migration."""
    return SAEnum(
        enum, native_enum=False, create_constraint=False, length=20, values_callable=lambda e: [m.value for m in e]
    )


def strict(example: dict[str, Any]) -> Any:
    """Request bodies refuse unknown fields and carry an example for the OpenAPI docs."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


NAME = 300
LONG_TEXT = 2_000_000
MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL, so no id (in a path, body or filter) is larger
SourceId = Annotated[int, Ge(1), Le(MAX_ID)]  # an item of `relay_ids`


PARTY_DOC = (
    "The side whose losses the figures count (e.g. `Russia`, `Ukraine`); compared with a claimant's `affiliation`, "
    'it makes each figure own-side, other-side or third-party (see README, "Reporting bias").'
)
REFERENCE_DOC = (
    "Treat this source as unbiased in the reporting-bias model (e.g. visually confirmed counts): the other sources' "
    "biases are then measured against it."
)


# --- Metric: a controlled, extendable vocabulary -------------------------------------------------
PERIOD_DOC = (
    "What stretch of time a figure counts: the whole `event`, a `day`, a `week`, or a `cumulative` running "
    "total up to the date it was stated."
)


class MetricBase(SQLModel):
    description: str | None = Field(default=None, max_length=1000)
    period: Period = Field(
        default=Period.event,
        sa_type=enum_column(Period),
        sa_column_kwargs={"server_default": Period.event.value},
        description="The period a figure of this metric counts unless it says otherwise. " + PERIOD_DOC,
    )


class Metric(MetricBase, Tracked, table=True):
    name: str = Field(primary_key=True, max_length=60)


class MetricCreate(MetricBase):
    model_config = strict({"name": "evacuated", "description": "People evacuated."})
    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")] = Field(min_length=1, max_length=60)


class MetricPublic(MetricBase, TrackedPublic):
    name: str


# --- Source ---------------------------------------------------------------------------------------
class SourceBase(SQLModel):
    name: str = Field(min_length=1, max_length=NAME, index=True)
    kind: SourceKind = Field(default=SourceKind.other, sa_type=enum_column(SourceKind))
    affiliation: str | None = Field(default=None, max_length=200, index=True)
    parent_id: int | None = Field(
        default=None, foreign_key="source.id", ondelete="RESTRICT", ge=1, le=MAX_ID, index=True
    )
    description: str | None = Field(default=None, max_length=10_000)
    url: str | None = Field(default=None, max_length=2000)
    reference: bool = Field(
        default=False, sa_column_kwargs={"server_default": text("false")}, description=REFERENCE_DOC
    )


class Source(SourceBase, Tracked, table=True):
    __table_args__ = (
        UniqueConstraint("name", "parent_id", name="uq_source_name_parent"),
        # NULL parents are distinct in a UNIQUE constraint: top-level names need their own index.
        Index(
            "uq_source_name_top",
            "name",
            unique=True,
            sqlite_where=text("parent_id IS NULL"),
            postgresql_where=text("parent_id IS NULL"),
        ),
        AUTOINCREMENT,
    )
    id: int | None = Field(default=None, primary_key=True)


class SourceCreate(SourceBase):
    model_config = strict(
        {
            "name": "Maria Zakharova",
            "kind": "person",
            "affiliation": "Russia",
            "parent_id": 2,
            "description": "Spokeswoman of the Russian Foreign Ministry",
        }
    )


class SourceUpdate(SQLModel):
    model_config = STRICT
    name: str | None = Field(default=None, min_length=1, max_length=NAME)
    kind: SourceKind | None = None
    affiliation: str | None = Field(default=None, max_length=200)
    parent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    description: str | None = Field(default=None, max_length=10_000)
    url: str | None = Field(default=None, max_length=2000)
    reference: bool = Field(default=False, description=REFERENCE_DOC)  # left out: unchanged (never null)


class SourcePublic(SourceBase, TrackedPublic):
    id: int


class SourceRef(BaseModel):
    """A source named inside another record (plain pydantic: built thousands of times a request)."""

    id: int
    name: str


# --- Document -------------------------------------------------------------------------------------
class DocumentBase(SQLModel):
    title: str = Field(min_length=1, max_length=1000)
    url: str | None = Field(default=None, max_length=2000, unique=True)
    publisher_id: int | None = Field(
        default=None, foreign_key="source.id", ondelete="RESTRICT", ge=1, le=MAX_ID, index=True
    )
    published_at: Instant | None = DateTimeField()
    language: str | None = Field(default=None, max_length=20)
    text: str | None = Field(default=None, max_length=LONG_TEXT, sa_type=Text)


class Document(DocumentBase, Tracked, table=True):
    __table_args__ = AUTOINCREMENT
    id: int | None = Field(default=None, primary_key=True)


class DocumentCreate(DocumentBase):
    model_config = strict(
        {
            "title": "US Strikes Allegedly Killed 'Scores' of Russian Fighters in Syria",
            "url": "https://example.org/2018/02/15/scores",
            "publisher_id": 1,
            "published_at": "2018-02-15T00:00:00Z",
            "language": "en",
            "text": "Sources told Bloomberg that U.S. forces killed more than 200 contract soldiers ...",
        }
    )


class DocumentUpdate(SQLModel):
    model_config = STRICT
    title: str | None = Field(default=None, min_length=1, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    publisher_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    published_at: Instant | None = None
    language: str | None = Field(default=None, max_length=20)
    text: str | None = Field(default=None, max_length=LONG_TEXT)


class DocumentPublic(DocumentBase, TrackedPublic):
    id: int


# --- Event ----------------------------------------------------------------------------------------
class EventBase(SQLModel):
    name: str = Field(min_length=1, max_length=NAME, index=True)
    description: str | None = Field(default=None, max_length=10_000)
    parent_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="RESTRICT", ge=1, le=MAX_ID, index=True
    )
    started_at: Instant | None = DateTimeField()
    ended_at: Instant | None = DateTimeField()
    place: str | None = Field(default=None, max_length=NAME)
    party: str | None = Field(default=None, max_length=200, index=True, description=PARTY_DOC)

    @model_validator(mode="after")
    def _window_in_order(self) -> "EventBase":
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at is before started_at")
        return self


class Event(EventBase, Tracked, table=True):
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR started_at IS NULL OR started_at <= ended_at", name="window"),
        AUTOINCREMENT,
    )
    id: int | None = Field(default=None, primary_key=True)


class EventCreate(EventBase):
    model_config = strict(
        {
            "name": "U.S. strike on pro-government forces near Deir ez-Zor",
            "started_at": "2018-02-07T00:00:00Z",
            "ended_at": "2018-02-08T00:00:00Z",
            "place": "Khasham, Deir ez-Zor, Syria",
            "party": "Russia",
        }
    )


class EventUpdate(SQLModel):
    model_config = STRICT
    name: str | None = Field(default=None, min_length=1, max_length=NAME)
    description: str | None = Field(default=None, max_length=10_000)
    parent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    started_at: Instant | None = None
    ended_at: Instant | None = None
    place: str | None = Field(default=None, max_length=NAME)
    party: str | None = Field(default=None, max_length=200, description=PARTY_DOC)


class EventPublic(EventBase, TrackedPublic):
    id: int


# --- Scope ----------------------------------------------------------------------------------------
class ScopeBase(SQLModel):
    name: str = Field(min_length=1, max_length=NAME, unique=True)
    parent_id: int | None = Field(
        default=None, foreign_key="scope.id", ondelete="RESTRICT", ge=1, le=MAX_ID, index=True
    )
    description: str | None = Field(default=None, max_length=10_000)
    party: str | None = Field(
        default=None, max_length=200, index=True, description=f"{PARTY_DOC} Unset: the parent scope's, or the event's."
    )


class Scope(ScopeBase, Tracked, table=True):
    __table_args__ = AUTOINCREMENT
    id: int | None = Field(default=None, primary_key=True)


class ScopeCreate(ScopeBase):
    model_config = strict(
        {
            "name": "Russian citizens in the attacking force",
            "parent_id": 1,
            "description": "Counted among the attacking force",
            "party": "Russia",
        }
    )


class ScopeUpdate(SQLModel):
    model_config = STRICT
    name: str | None = Field(default=None, min_length=1, max_length=NAME)
    parent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    description: str | None = Field(default=None, max_length=10_000)
    party: str | None = Field(default=None, max_length=200, description=PARTY_DOC)


class ScopePublic(ScopeBase, TrackedPublic):
    id: int


# --- Claim ----------------------------------------------------------------------------------------
class ClaimBase(SQLModel):
    quote: str | None = Field(default=None, max_length=20_000, sa_type=Text)
    claimant_id: int = Field(foreign_key="source.id", ondelete="RESTRICT", ge=1, le=MAX_ID, index=True)
    document_id: int | None = Field(
        default=None, foreign_key="document.id", ondelete="RESTRICT", ge=1, le=MAX_ID, index=True
    )
    quote_start: int | None = Field(default=None, ge=0, le=LONG_TEXT)
    quote_end: int | None = Field(default=None, ge=0, le=LONG_TEXT)
    stated_at: Instant | None = DateTimeField(index=True)
    modality: Modality = Field(default=Modality.asserted, sa_type=enum_column(Modality))  # a handful of values


class Claim(ClaimBase, Tracked, table=True):
    __table_args__ = (
        CheckConstraint("quote_start IS NULL OR quote_end IS NULL OR quote_start < quote_end", name="span"),
        AUTOINCREMENT,
    )
    id: int | None = Field(default=None, primary_key=True)
    import_id: int | None = Field(default=None, index=True)  # no foreign key: import records are never deleted


class ClaimRelay(SQLModel, table=True):
    """The ordered chain a claim came through: claimant -> told Bloomberg -> reported here."""

    __tablename__ = "claim_relay"
    claim_id: int = Field(foreign_key="claim.id", ondelete="CASCADE", ge=1, le=MAX_ID, primary_key=True)
    position: int = Field(primary_key=True)
    source_id: int = Field(foreign_key="source.id", ondelete="RESTRICT", ge=1, le=MAX_ID, index=True)


# --- Figure ---------------------------------------------------------------------------------------
class IntervalSource(StrEnum):
    """Where a figure's interval came from: ``read`` from its words by the wording reader, or
    ``given`` as explicit ends (no words, or words the reader could not read, kept verbatim)."""

    read = "read"
    given = "given"


IMPORT_ID_DOC = "The import that created it (`GET /imports/{id}`); null when it was written on its own."


def _when_set(table: str, column: str) -> Index:
    """An index of the rows where ``column`` is set: most figures have no scope and no reference,
    and a bulk import should not pay to index their nulls."""
    where = text(f"{column} IS NOT NULL")
    return Index(f"ix_{table}_{column}", column, sqlite_where=where, postgresql_where=where)


class FigureFields(SQLModel):
    """What a user gives for a figure: the words, or an explicit bound and interval, or both."""

    event_id: int = Field(foreign_key="event.id", ondelete="RESTRICT", ge=1, le=MAX_ID)
    metric: str = Field(foreign_key="metric.name", ondelete="RESTRICT", max_length=60, index=True)
    scope_id: int | None = Field(default=None, foreign_key="scope.id", ondelete="RESTRICT", ge=1, le=MAX_ID)
    unit: str = Field(default="people", min_length=1, max_length=40)
    text: str | None = Field(default=None, max_length=1000)


class Figure(FigureFields, Tracked, table=True):
    __table_args__ = (
        CheckConstraint("high IS NULL OR low <= high", name="interval"),
        Index("ix_figure_group", "event_id", "metric", "scope_id"),
        *(_when_set("figure", column) for column in ("scope_id", "reference_id")),
        AUTOINCREMENT,
    )
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", ondelete="RESTRICT", ge=1, le=MAX_ID, index=True)
    bound: Bound = Field(sa_type=enum_column(Bound))  # no index: a handful of values (migration 0011)
    low: float
    high: float | None = None
    central: float | None = None
    tolerance: float | None = None
    reference_id: int | None = Field(default=None, foreign_key="figure.id", ondelete="RESTRICT", ge=1, le=MAX_ID)
    factor: float | None = None
    factor_bound: Bound | None = Field(default=None, sa_type=enum_column(Bound))
    period: Period = Field(
        default=Period.event, sa_type=enum_column(Period), sa_column_kwargs={"server_default": Period.event.value}
    )
    interval_source: IntervalSource = Field(
        default=IntervalSource.read,
        sa_type=enum_column(IntervalSource),
        sa_column_kwargs={"server_default": IntervalSource.read.value},
    )
    import_id: int | None = Field(default=None, index=True)  # no foreign key: import records are never deleted


class FigureInput(FigureFields):
    """A figure as a user sends it: ``text`` alone is read by the service; ``bound``/``low``/``high``
    alone are checked; both together must agree. A relative figure names its ``reference_id``."""

    model_config = STRICT
    bound: Bound | None = None
    low: FiniteFloat | None = Field(default=None, ge=0, le=MAX_VALUE)
    high: FiniteFloat | None = Field(default=None, ge=0, le=MAX_VALUE)
    reference_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    factor: FiniteFloat | None = Field(default=None, gt=0, le=1e6)
    factor_bound: Bound | None = None
    tolerance: FiniteFloat | None = Field(default=None, ge=0, lt=1)
    period: Period | None = Field(default=None, description=PERIOD_DOC + " Default: the metric's period.")


class FigureCreate(FigureInput):
    model_config = strict(
        {"claim_id": 1, "event_id": 1, "metric": "injured", "scope_id": 1, "text": "another 200 to 300"}
    )
    claim_id: int = Field(ge=1, le=MAX_ID)


class FigureUpdate(SQLModel):
    """Fields to change. Changing ``text`` re-reads it; changing ``low``/``high``/``bound`` re-checks."""

    model_config = STRICT
    claim_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    event_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    metric: str | None = Field(default=None, max_length=60)
    scope_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    unit: str | None = Field(default=None, min_length=1, max_length=40)
    text: str | None = Field(default=None, max_length=1000)
    bound: Bound | None = None
    low: FiniteFloat | None = Field(default=None, ge=0, le=MAX_VALUE)
    high: FiniteFloat | None = Field(default=None, ge=0, le=MAX_VALUE)
    reference_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    factor: FiniteFloat | None = Field(default=None, gt=0, le=1e6)
    factor_bound: Bound | None = None
    tolerance: FiniteFloat | None = Field(default=None, ge=0, lt=1)
    period: Period | None = Field(default=None, description=PERIOD_DOC)


class FigurePublic(TrackedPublic):
    id: int
    claim_id: int
    claimant: SourceRef
    event_id: int
    metric: str
    scope_id: int | None
    unit: str
    text: str | None
    bound: Bound
    low: float
    high: float | None
    central: float | None
    tolerance: float | None
    reference_id: int | None
    factor: float | None
    factor_bound: Bound | None
    period: Period
    interval_source: IntervalSource = PydanticField(
        description="`read`: the interval was read from `text`; `given`: it was given as explicit ends "
        "(no words, or words the reader cannot read, kept verbatim)."
    )
    import_id: int | None = PydanticField(default=None, description=IMPORT_ID_DOC)


class ClaimCreate(ClaimBase):
    """A claim with its relays (source ids, in order) and, optionally, its figures inline."""

    model_config = strict(
        {
            "claimant_id": 3,
            "relay_ids": [1],
            "document_id": 1,
            "quote_start": 402,
            "quote_end": 443,
            "quote": "The official said the death toll was around 100",
            "stated_at": "2018-02-13T00:00:00Z",
            "modality": "reported",
            "figures": [{"event_id": 1, "metric": "killed", "scope_id": 1, "text": "around 100"}],
        }
    )
    relay_ids: list[SourceId] = Field(default_factory=list, max_length=20)
    figures: list[FigureInput] = Field(default_factory=list, max_length=200)


class ClaimUpdate(SQLModel):
    model_config = STRICT
    quote: str | None = Field(default=None, max_length=20_000)
    claimant_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    document_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    quote_start: int | None = Field(default=None, ge=0, le=LONG_TEXT)
    quote_end: int | None = Field(default=None, ge=0, le=LONG_TEXT)
    stated_at: Instant | None = None
    modality: Modality | None = None
    relay_ids: list[SourceId] | None = Field(default=None, max_length=20)


class ClaimPublic(TrackedPublic):
    id: int
    quote: str | None
    claimant: SourceRef
    relays: list[SourceRef]
    document_id: int | None
    quote_start: int | None
    quote_end: int | None
    stated_at: Instant | None
    modality: Modality
    import_id: int | None = PydanticField(default=None, description=IMPORT_ID_DOC)
    figures: list[FigurePublic]
