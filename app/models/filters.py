"""Query filters of the list endpoints. ``field`` is equality; ``field__gte``, ``__lte``, ``__gt``,
``__lt`` compare; ``q`` is a case-insensitive substring of the name (or title)."""


from pydantic import BaseModel, Field

from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.models.common import Instant
from app.models.entities import MAX_ID

ID = Field(default=None, ge=1, le=MAX_ID)


class Filters(BaseModel):
    """Unknown query parameters are refused by ``app.api.deps.known_params``, so a typo never
    silently widens a list."""


IN = Field(default=None, max_length=1000, description="Any of these, comma-separated")


class SourceFilters(Filters):
    kind: SourceKind | None = None
    kind__in: str | None = IN
    affiliation: str | None = Field(default=None, max_length=200)
    parent_id: int | None = ID
    q: str | None = Field(default=None, max_length=200, description="Part of the name.")


class DocumentFilters(Filters):
    publisher_id: int | None = ID
    language: str | None = Field(default=None, max_length=20)
    published_at__gte: Instant | None = None
    published_at__lt: Instant | None = None
    q: str | None = Field(default=None, max_length=200, description="Part of the title.")


class EventFilters(Filters):
    parent_id: int | None = ID
    started_at__gte: Instant | None = None
    started_at__lt: Instant | None = None
    q: str | None = Field(default=None, max_length=200, description="Part of the name.")


class ScopeFilters(Filters):
    parent_id: int | None = ID
    q: str | None = Field(default=None, max_length=200, description="Part of the name.")


class ClaimFilters(Filters):
    claimant_id: int | None = ID
    relay_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="A source it came through.")
    document_id: int | None = ID
    event_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="Claims with a figure about it.")
    modality: Modality | None = None
    modality__in: str | None = IN
    stated_at__gte: Instant | None = None
    stated_at__lt: Instant | None = None


class FigureFilters(Filters):
    event_id: int | None = ID
    metric: str | None = Field(default=None, max_length=60)
    metric__in: str | None = IN
    scope_id: int | None = ID
    claim_id: int | None = ID
    claimant_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="The claim's claimant.")
    bound: Bound | None = None
    bound__in: str | None = IN
    low__gte: float | None = Field(default=None, allow_inf_nan=False)
    high__lte: float | None = Field(default=None, allow_inf_nan=False)
