"""Responses of the discrepancy endpoints: every verdict comes with the figures behind it.

Factors are ratios above 1 of the nearest interval ends; ``null`` means infinite (the lower side
is 0)."""

from datetime import datetime

from pydantic import BaseModel, Field

from app.domain.discrepancy import Policy
from app.domain.vocab import Modality
from app.models.entities import SourceRef


class Range(BaseModel):
    low: float
    high: float | None = Field(description="null = no upper bound")


class Named(BaseModel):
    id: int
    name: str


class Voice(BaseModel):
    """A figure as the engine counted it, with who said it and through whom."""

    figure_id: int
    claim_id: int
    claimant: SourceRef
    relays: list[SourceRef]
    text: str
    quote: str
    low: float
    high: float | None
    scope_id: int | None
    stated_at: datetime | None
    modality: Modality


class VoiceRef(BaseModel):
    """A voice named inside a pair: enough to read the pair; the full voice is listed once above."""

    figure_id: int
    claimant: SourceRef
    text: str
    low: float
    high: float | None


class OutlierOut(BaseModel):
    figure: Voice
    direction: str = Field(description="under (an undercount) or over")
    factor: float | None
    gap: float


class ConflictOut(BaseModel):
    lower: VoiceRef
    higher: VoiceRef
    factor: float | None
    gap: float


class ComparisonOut(BaseModel):
    """A figure of a narrower scope, set beside this scope's agreement."""

    figure: Voice
    scope: Named
    direction: str = Field(description="under, within or over the agreement")
    factor: float | None
    gap: float
    conflict: bool = Field(description="True only when the part outnumbers the whole")
    explanation: str


class TimelineEntryOut(BaseModel):
    figure: Voice
    status: str = Field(description="counted, revised (the claimant's earlier statement) or excluded")


class EstimateOut(BaseModel):
    policy: Policy
    interval: Range | None
    figure_ids: list[int]
    explanation: str


class GroupReport(BaseModel):
    """One metric and scope of an event: agreement, outliers, conflicts, comparisons."""

    metric: str
    scope: Named | None
    headline: str
    claimant_count: int
    figure_count: int
    envelope: Range | None
    agreement: Range | None = Field(description="null when the maximum is tied: see `agreements`")
    agreements: list[Range]
    support: int = Field(description="How many independent claimants cover the agreement")
    tie: bool
    in_agreement: list[Voice]
    outliers: list[OutlierOut]
    conflicts: list[ConflictOut] = Field(description="The conflicting pairs, largest factor first (at most 100)")
    conflicts_total: int = Field(description="How many pairs conflict in all")
    comparisons: list[ComparisonOut]
    severity: float = Field(description="Largest gap factor among conflicting claimants; 1 = undisputed")
    minority: int
    revisions: list[Voice]
    excluded: list[Voice] = Field(description="Denied or retracted: shown, never counted")
    estimate: EstimateOut


class EventDiscrepancies(BaseModel):
    event: Named
    as_of: datetime | None
    policy: Policy
    groups: list[GroupReport]


class DisputeRow(BaseModel):
    """One disputed group of the global list, read from the maintained summaries."""

    event: Named
    metric: str
    scope: Named | None
    severity: float
    minority: int
    claimant_count: int
    figure_count: int
    outlier_count: int
    conflict_count: int
    tie: bool
    envelope: Range | None
    agreement: Range | None
    first_stated_at: datetime | None
    last_stated_at: datetime | None
    report: str = Field(description="URL of the full report of this event and metric")


class TimelineOut(BaseModel):
    event: Named
    metric: str
    entries: list[TimelineEntryOut]


class StandingRow(BaseModel):
    """Where a claimant stood in one group."""

    event: Named
    metric: str
    scope: Named | None
    figure_id: int
    low: float
    high: float | None
    standing: str = Field(description="agreement, outlier, or split (no majority)")
    direction: str | None
    factor: float | None
    gap: float | None
    report: str


class TrackRecord(BaseModel):
    """How often a claimant stands apart from the others, and in which direction."""

    source: Named
    groups: int = Field(description="Groups (event, metric, scope) it gave a counted figure in")
    outlier_count: int
    under_count: int
    over_count: int
    split_count: int
    outlier_rate: float
    median_factor: float | None
    worst_factor: float | None = Field(description="null when there is none, or when a factor is infinite")
    items: list[StandingRow] = Field(description="The groups, outliers first, largest factor first")
    total: int
    limit: int
    offset: int


class PairRow(BaseModel):
    event: Named
    metric: str
    scope_id: int | None
    a: Range
    b: Range
    disagree: bool
    higher: str | None = Field(description="Which of a or b gave the higher figure, when they disagree")
    factor: float | None
    gap: float | None
    report: str


class Comparison(BaseModel):
    """Every group where both sources gave a counted figure."""

    a: Named
    b: Named
    shared_groups: int
    disagreements: int
    median_factor: float | None
    worst_factor: float | None
    items: list[PairRow]
