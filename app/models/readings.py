"""Schemas of the wording preview (``POST /figures/parse``) and of re-deriving intervals."""

from dataclasses import asdict

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

from app.domain.intervals import Bound
from app.domain.wording import Reading

PhraseText = Field(min_length=1, max_length=1000)


class ReferenceInterval(BaseModel):
    """The interval a relative phrase ("more than double that number") refers to."""

    model_config = ConfigDict(extra="forbid")
    low: FiniteFloat = Field(ge=0, le=1e15)
    high: FiniteFloat | None = Field(default=None, ge=0, le=1e15)


class ParseRequest(BaseModel):
    """One phrase, or a list of up to 1,000 for batch use."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"text": "more than 200 contract soldiers"},
                {"text": ["around 100", "another 200 to 300", "scores", "five"], "tolerance": 0.1},
                {"text": "more than double that number", "reference": {"low": 80, "high": 120}},
            ]
        },
    )
    text: str | list[str] = Field(description="A phrase or a list of phrases.")
    tolerance: FiniteFloat | None = Field(default=None, ge=0, lt=1, description="t of 'around n'; default: setting.")
    unit: str = Field(default="people", min_length=1, max_length=40, description="Counts are integers.")
    reference: ReferenceInterval | None = None

    def phrases(self) -> list[str]:
        return [self.text] if isinstance(self.text, str) else self.text


class ReadingPublic(BaseModel):
    """How the service reads one phrase."""

    text: str
    bound: Bound
    low: float | None
    high: float | None
    numbers: list[float]
    central: float | None
    explanation: str
    tolerance: float | None
    factor: float | None
    factor_bound: Bound | None
    counted: str
    unit: str | None
    integer: bool


class ParseError(BaseModel):
    """A phrase that could not be read, and the words that were not understood."""

    text: str
    detail: str
    words: str | None = None


class ParseItem(BaseModel):
    reading: ReadingPublic | None = None
    error: ParseError | None = None


class ParseResponse(BaseModel):
    """One item per phrase, in order: a reading or an error."""

    items: list[ParseItem]


class RederiveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tolerance": 0.1}]})
    tolerance: FiniteFloat = Field(ge=0, lt=1, description="The new t for every approximate figure.")


class RederiveResult(BaseModel):
    tolerance: float
    examined: int = Field(description="Figures whose interval depends on the tolerance.")
    changed: int = Field(description="Figures whose interval moved.")


def reading_public(reading: Reading) -> ReadingPublic:
    return ReadingPublic.model_validate(asdict(reading))
