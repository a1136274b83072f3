"""Schemas of ``POST /extract`` (proposals) and ``POST /extract/commit`` (reviewed proposals stored)."""

from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, field_validator

from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.models.common import Instant
from app.models.entities import LONG_TEXT, MAX_ID, SourceRef

# the seed article itself is the example in /docs
EXAMPLE_TEXT = resources.files("app.demo_data").joinpath("seed_article.txt").read_text(encoding="utf-8")


MAX_ARTICLE = 200_000
"""The longest text ``/extract`` and ``/extract/commit`` read, in characters.

News articles run 2,000 to 10,000 characters and the longest long reads about 60,000 to 100,000
(10,000 to 15,000 words): 200,000 takes any single article with room to spare. Extraction is
linear in the text; at this length the hardest texts measured (200,000 characters of numbers
beside metric words, of percentages, of quotes or cues in one sentence, of restatements ...)
took 0.1 to 4.8 s on the shared 2-core test machine, inside the 20 s budget of
``app.services.extraction.EXTRACT_SECONDS``. A document stored by ``POST /documents`` may be
longer (``LONG_TEXT``): it is not read for figures."""


class Article(BaseModel):
    """An article to read: its text and what is known of it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": EXAMPLE_TEXT, "published_at": "2018-02-15T00:00:00Z"}]},
    )
    text: str = Field(
        min_length=1,
        max_length=MAX_ARTICLE,
        description=f"The article's text, at most {MAX_ARTICLE:,} characters: send a longer one in parts",
    )
    title: str | None = Field(default=None, max_length=1000, description="The headline, when the text lacks it")
    url: str | None = Field(default=None, max_length=2000)
    publisher: str | None = Field(default=None, max_length=300, description="The outlet's name")
    published_at: Instant | None = Field(default=None, description="Resolves 'last week', 'on Tuesday' ...")
    tolerance: FiniteFloat | None = Field(default=None, ge=0, lt=1)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if text.isspace():
            raise ValueError("the text is blank: send the article's words")
        return text


class ProposedSourceOut(BaseModel):
    key: str
    name: str
    kind: SourceKind
    parent: str | None = Field(description="The key of the source it speaks for")
    affiliation: str | None
    match: SourceRef | None = Field(description="An existing source with this name (case and accents ignored)")
    mentions: list[tuple[int, int]]


class ProposalOut(BaseModel):
    """A figure read from ``text[start:end]``, with why: its cues and a confidence."""

    start: int
    end: int
    words: str
    bound: Bound
    low: float | None
    high: float | None
    metric: str
    scope: str
    claimant: str | None = Field(description="A source key")
    relays: list[str]
    modality: Modality
    stated_at: Instant | None
    refers_to: int | None = Field(description="Index of the figure a relative one scales")
    factor: float | None
    factor_bound: Bound | None
    confidence: float
    cues: list[str]
    sentence: tuple[int, int]
    also_at: list[tuple[int, int]]


class Proposals(BaseModel):
    figures: list[ProposalOut]
    sources: list[ProposedSourceOut]


class ReviewedFigure(BaseModel):
    """A proposal as the user confirmed or corrected it (the fields of ``POST /extract``'s answer)."""

    model_config = ConfigDict(extra="ignore")
    start: int = Field(ge=0, le=LONG_TEXT)
    end: int = Field(ge=0, le=LONG_TEXT)
    words: str = Field(min_length=1, max_length=1000)
    metric: str = Field(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")
    scope: str = Field(default="", max_length=300)
    claimant: str = Field(min_length=1, max_length=100)
    relays: list[str] = Field(default_factory=list, max_length=20)
    modality: Modality = Modality.reported
    stated_at: Instant | None = None
    refers_to: int | None = Field(default=None, ge=0)
    sentence: tuple[int, int] | None = None


class ReviewedSource(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    kind: SourceKind = SourceKind.other
    parent: str | None = Field(default=None, max_length=100)
    affiliation: str | None = Field(default=None, max_length=200)
    source_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="Use this existing source instead")


class CommitRequest(Article):
    """The article and the reviewed proposals, stored in one transaction."""

    model_config = ConfigDict(extra="forbid")
    event_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="The event the figures are about")
    event_name: str | None = Field(default=None, min_length=1, max_length=300, description="...or a new event")
    scopes: dict[str, int] = Field(
        default_factory=dict, description="Proposed scope name -> an existing scope id; unmapped scopes are created"
    )
    figures: list[ReviewedFigure] | None = Field(default=None, description="Reviewed proposals; default: as proposed")
    sources: list[ReviewedSource] | None = Field(default=None, description="Reviewed sources; default: as proposed")


class Committed(BaseModel):
    document_id: int
    event_id: int
    claim_ids: list[int]
    figure_ids: list[int]
    sources_created: list[SourceRef]
    report: str = Field(description="The event's discrepancy report")
