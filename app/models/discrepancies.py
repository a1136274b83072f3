"""Responses of the discrepancy endpoints: every verdict comes with the figures behind it.

Factors are ratios above 1 of the nearest interval ends; ``null`` means infinite (the lower side
is 0)."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from app.domain.discrepancy import Period
from app.domain.vocab import Modality
from app.models.entities import SourceRef


class ReportPolicy(StrEnum):
    """The engine's estimate policies (``app.domain.discrepancy.Policy``), and ``model``: the
    bias-corrected estimate of the latest reporting-bias fit, filled in from the stored fit."""

    range = "range"
    majority = "majority"
    conservative = "conservative"
    latest = "latest"
    hierarchy = "hierarchy"
    model = "model"


class ModelEstimateOut(BaseModel):
    """The bias-corrected estimate of a group from the latest reporting-bias fit, with its 95% interval."""

    value: float
    low: float
    high: float
    on: date | None = Field(description="For running totals: the day of the trajectory it is read at")
    fitted_at: datetime
    stale: bool = Field(description="The data changed since the fit (a new fit follows)")
    explanation: str


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
    period: Period


class VoiceRef(BaseModel):
    """A voice named inside a pair: enough to read the pair; the full voice is listed once above."""

    figure_id: int
    claimant: SourceRef
    text: str
    low: float
    high: float | None


STALE = "True when the two statements are further apart in time than the window of their period"
DAYS = "Days between the two statements (null when either is undated)"


class OutlierOut(BaseModel):
    figure: Voice
    direction: str = Field(description="under (an undercount) or over")
    factor: float | None
    gap: float
    days: float | None = Field(description="Days to the nearest statement it is compared with (null: undated)")
    stale: bool = Field(description=STALE)


class ConflictOut(BaseModel):
    lower: VoiceRef
    higher: VoiceRef
    factor: float | None
    gap: float
    days: float | None = Field(description=DAYS)
    stale: bool = Field(description=STALE)


class ClusterOut(BaseModel):
    """One side of a split: a tied range of values and the claimants who stand with it."""

    interval: Range
    members: list[Voice]
    factor: float | None = Field(description="Gap factor to the next cluster up; null for the highest (or infinite)")


class SpreadOut(BaseModel):
    """Who is highest and who is lowest in a dispute, and how far apart."""

    highest: VoiceRef
    lowest: VoiceRef
    factor: float | None = Field(description="highest's low end / lowest's high end; null = infinite (a 0)")
    gap: float
    days: float | None = Field(description=DAYS)
    stale: bool = Field(description=STALE)


class FloorOut(BaseModel):
    """A figure at or above another claimant's floor ("at least 660"): consistent with it, and how far above."""

    floor: VoiceRef
    above: VoiceRef
    ratio: float | None = Field(description="above's value / the floor; null = infinite (a floor of 0)")


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
    status: str = Field(
        description="counted, revised (an earlier or same-time alternative statement), updated (an earlier running "
        "total), later (a running total after the alignment date) or excluded (denied or retracted)"
    )


class SeriesPoint(BaseModel):
    """One period of a claimant's series: how many figures were stated in it, their envelope, and
    the last of them (for a running total, the period's value)."""

    start: date
    end: date = Field(description="The period's last day")
    figures: int
    last_figure_id: int
    last: Range = Field(description="The interval of the period's last statement")
    envelope: Range = Field(description="The lowest low end and highest high end stated in the period")


class ClaimantSeries(BaseModel):
    """One claimant's statements in a long series, downsampled to at most one point per period."""

    claimant: SourceRef
    figures: int
    undated: int = Field(description="Figures with no stated date (not in `points`)")
    first_stated_at: datetime | None
    last_stated_at: datetime | None
    latest: VoiceRef = Field(description="The claimant's latest statement (by stated date, then id)")
    points: list[SeriesPoint]
    figures_url: str = Field(description="Every figure of this claimant in the group, paged (GET /figures)")


class SeriesSummary(BaseModel):
    """A long series summarised: the group's set-aside statements (earlier running totals,
    revisions, denials) beyond each claimant's latest are left out of `revisions` and `excluded`
    and counted here, with each claimant's statements per period and a link to the full list."""

    figures: int = Field(description="The group's figures, every one of them counted in `claimants`")
    summarised: int = Field(description="Figures left out of `revisions` and `excluded`, summarised here")
    period: str = Field(description="The length of a point: day, week, month, quarter or year")
    figures_url: str = Field(description="The full list of the event's figures of this metric (and scope), paged")
    claimants: list[ClaimantSeries]


class EstimateOut(BaseModel):
    policy: ReportPolicy
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
    in_agreement: list[Voice] = Field(description="The voices holding the agreement (empty on a split: see `clusters`)")
    clusters: list[ClusterOut] = Field(description="On a split (`tie`), each side, lowest first")
    outliers: list[OutlierOut] = Field(description="Voices clear of the agreement (or, on a split, of every side)")
    conflicts: list[ConflictOut] = Field(description="The conflicting pairs, largest factor first (at most 100)")
    conflicts_total: int = Field(description="How many pairs conflict in all")
    comparisons: list[ComparisonOut]
    spread: SpreadOut | None = Field(description="Highest and lowest voices, when they disagree")
    floors: list[FloorOut]
    factor: float | None = Field(description="The largest conflict's factor; 1 = undisputed, null = infinite")
    gap: float = Field(description="The largest conflict's distance; 0 = undisputed")
    severity: float = Field(
        description="log10(1 + top - bottom) * (1 + log10((top + 10) / (bottom + 10))) of the largest conflict "
        "(top: the higher low end, bottom: the lower high end); 0 = undisputed"
    )
    minority: int
    aligned_at: datetime | None = Field(description="For cumulative figures: the date the voices are compared at")
    revisions: list[Voice] = Field(
        description="Statements set aside: revised, earlier running totals, later ones (on a long series, each "
        "claimant's latest only: see `series`)"
    )
    excluded: list[Voice] = Field(
        description="Denied or retracted: shown, never counted (on a long series, each claimant's latest only)"
    )
    series: SeriesSummary | None = Field(
        default=None,
        description="On a long series (more than 50 set-aside statements): what `revisions` and `excluded` leave "
        "out, per claimant and period, with a link to every figure; null otherwise",
    )
    estimate: EstimateOut
    model: ModelEstimateOut | None = Field(
        default=None,
        description="The bias-corrected estimate of the latest reporting-bias fit (with policy=model; null otherwise, "
        "or when the group is not in the fit)",
    )


class EventDiscrepancies(BaseModel):
    event: Named
    as_of: datetime | None
    policy: ReportPolicy
    groups: list[GroupReport]


class DisputeRow(BaseModel):
    """One disputed group of the global list, read from the maintained summaries."""

    event: Named
    metric: str
    scope: Named | None
    severity: float = Field(description="The documented finite score the list is ordered by (then by gap)")
    factor: float | None = Field(description="The largest conflict's factor; null = infinite (a 0 against a count)")
    gap: float = Field(description="The largest conflict's distance")
    highest: Named | None = Field(description="The claimant with the highest figure")
    lowest: Named | None = Field(description="The claimant with the lowest figure")
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
    standing: str = Field(description="agreement, outlier, cluster (one side of a split) or alone")
    direction: str | None = Field(description="under or over: below or above the others, when it stands apart")
    factor: float | None = Field(description="How far below or above; null when not apart, or infinite (a 0)")
    gap: float | None
    report: str


class TrackRecord(BaseModel):
    """How often a claimant stands apart from the others, and in which direction."""

    source: Named
    groups: int = Field(description="Groups (event, metric, scope) it gave a counted figure in")
    outlier_count: int
    under_count: int = Field(description="Groups where it was an outlier below the agreement")
    over_count: int = Field(description="Groups where it was an outlier above the agreement")
    split_count: int = Field(description="Groups with no majority, where it stood on one side")
    below_count: int = Field(description="Disputes of every kind where it was below the others (outlier or side)")
    above_count: int = Field(description="Disputes of every kind where it was above the others")
    outlier_rate: float
    median_factor: float | None = Field(description="Median finite factor of the disputes it stood apart in")
    worst_factor: float | None = Field(description="The largest finite factor (see `infinite_count`)")
    infinite_count: int = Field(description="Disputes whose factor is infinite: a 0 against a count")
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
    higher: str | None = Field(description="Which of a or b gave the higher figure (null: the same)")
    factor: float | None = Field(description="When they disagree: the gap factor of the nearest ends")
    gap: float | None
    ratio: float | None = Field(
        description="Always: the higher value over the lower (a floor counts as its low end), also when they are "
        "consistent (2,262 above a floor of 660 is 3.4); null = infinite (against a 0)"
    )
    report: str


class Comparison(BaseModel):
    """Every group where both sources gave a counted figure."""

    a: Named
    b: Named
    shared_groups: int
    disagreements: int
    a_higher: int = Field(description="Shared groups where a gave the higher figure")
    b_higher: int = Field(description="Shared groups where b gave the higher figure")
    median_factor: float | None = Field(description="Median finite factor of the disagreements")
    worst_factor: float | None = Field(description="The largest finite factor (see `infinite_count`)")
    infinite_count: int = Field(description="Disagreements whose factor is infinite: a 0 against a count")
    median_ratio: float | None = Field(description="Median ratio (higher over lower) across every shared group")
    ratio_range: Range | None = Field(description="Smallest and largest finite ratio across the shared groups")
    items: list[PairRow]
