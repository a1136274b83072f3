"""The records the extractor's passes hand each other: sentences, sources met, noun phrases read
as sources, attribution cues, metric words chosen and figures read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.domain.wording import Reading

# --------------------------------------------------------------------------- public results (app.domain.extraction)


@dataclass(frozen=True, slots=True)
class ProposedSource:
    """A speaker or relay named in the text. ``parent`` is the key of the body it speaks for."""

    key: str
    name: str
    kind: SourceKind
    parent: str | None
    affiliation: str | None
    mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ProposedFigure:
    """A figure read from ``text[start:end]``; ``claimant`` and ``relays`` are source keys."""

    start: int
    end: int
    words: str
    bound: Bound
    low: float | None  # None only for a relative figure without a reference
    high: float | None  # None = unbounded above
    metric: str
    scope: str
    claimant: str | None
    relays: tuple[str, ...]
    modality: Modality
    stated_at: datetime | None
    refers_to: int | None  # index in ``Extraction.figures`` of the figure a relative one scales
    factor: float | None
    factor_bound: Bound | None
    confidence: float
    cues: tuple[str, ...]
    sentence: tuple[int, int]
    also_at: tuple[tuple[int, int], ...] = ()  # other spans restating the same claim


@dataclass(frozen=True, slots=True)
class Extraction:
    figures: tuple[ProposedFigure, ...]
    sources: tuple[ProposedSource, ...]


# --------------------------------------------------------------------------- between the passes


@dataclass(frozen=True, slots=True)
class _Sentence:
    index: int
    start: int
    end: int
    para: int
    headline: bool


@dataclass(slots=True)
class _Source:
    id: int
    name: str
    kind: SourceKind
    head: str  # lower-case head noun: "official", "ministry", "russians"
    aliases: set[str]  # what "the X" or a surname may refer back with
    parent: int | None = None
    affiliation: str | None = None
    relay: int | None = None  # the outlet it spoke to
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Np:
    """A noun phrase read as a source."""

    name: str
    kind: SourceKind
    head: str
    definite: bool = False
    pronoun: str = ""
    title: str = ""
    parent: str = ""
    affiliation: str | None = None


@dataclass(slots=True)
class _Cue:
    anchor: int  # where the cue's words start: the speaker, or the verb of "said X"
    after: int  # where what it reports starts
    speaker: int
    relay: int | None
    words: str  # "said", "told Bloomberg", "according to Bloomberg"
    kind: str = "say"  # a role of attribution_verbs.tsv, or "quote"
    inverted: bool = False  # the speaker follows the verb or the clause it governs comes first
    region: tuple[int, int] = (0, 0)
    date: datetime | None = None
    voice: int | None = None  # "“...,” X said, citing Y": Y claims, but the quoted words are X's


@dataclass(slots=True)
class _Metric:
    name: str
    words: str
    end: int  # end of the metric word, so the next figure does not reuse a word on its right
    distance: int
    how: str  # "strong", "inherited", "far", "weak"


@dataclass(slots=True)
class _Fig:
    start: int
    end: int
    words: str
    reading: Reading
    metric: _Metric
    scope: str
    counted: bool  # the words name a counted noun
    sentence: _Sentence
    claimant: int
    relays: list[int]
    modality: Modality
    stated_at: datetime | None
    cues: list[str]
    how: str  # how the claimant was found: "cue", "quote", "inherited", "publisher"
    quoted: bool
    low: float | None = None
    high: float | None = None
    ref: _Fig | None = None
    also_at: list[tuple[int, int]] = field(default_factory=list)
    keeper: _Fig | None = None  # set when merged into another proposal
    known: set[int | str] | None = None  # its relays and cues, once it has absorbed a restatement
