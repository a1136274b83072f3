"""The stored reporting-bias fit and the responses of the bias endpoints.

``BiasFitRow`` (table ``bias_fit``) keeps the latest fit: when it ran, the change cursor of the data
it saw, its status, size and duration, and the result as JSON (``StoredFit``, a typed copy of
``app.domain.bias.BiasFit`` keyed by database ids). Factors are multiplicative: 1 = no bias,
2 = twice the bias-corrected value, 0.5 = half; each with its 95% interval."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.domain.bias import Party
from app.models.common import AUTOINCREMENT, UTCDateTime, utcnow
from app.models.discrepancies import Named
from app.models.entities import SourceRef


class FitStatus(StrEnum):
    ok = "ok"  # a result is stored
    empty = "empty"  # no statement to fit (no counted figure)
    failed = "failed"  # the fit raised: ``error`` says why; the previous ok fit is kept and served


class BiasFitRow(SQLModel, table=True):
    """One run of the fit. Only the latest run, and the latest ok one, are kept."""

    __tablename__ = "bias_fit"
    __table_args__ = AUTOINCREMENT
    id: int | None = SQLField(default=None, primary_key=True)
    fitted_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    change_id: int = SQLField(default=0, description="max(change.id) when the data was read")
    figure_id: int = SQLField(default=0, description="max(figure.id) when the data was read")
    status: str = SQLField(max_length=10)
    statements: int = 0
    dropped: int = 0
    duration_seconds: float = 0.0
    error: str | None = SQLField(default=None, max_length=2000)
    result: str | None = SQLField(default=None, sa_type=Text)  # StoredFit as JSON


# --- the stored result ----------------------------------------------------------------------------
class Factor(BaseModel):
    """A positive quantity with its 95% interval (``log_sd``: its sd on the natural-log scale)."""

    value: float
    low: float
    high: float
    log_sd: float


class StoredInfluence(BaseModel):
    figure_id: int | None
    ratio: float
    effect: float


class StoredClaimant(BaseModel):
    claimant_id: int
    affiliation: str | None
    party: Party
    family: str
    factor: Factor
    groups: int
    statements: int
    reference: bool
    influential: list[StoredInfluence]


class StoredAffiliation(BaseModel):
    affiliation: str
    party: Party
    family: str
    factor: Factor
    claimants: int
    groups: int
    statements: int


class StoredGroup(BaseModel):
    """A group (event, metric, scope) or, ``cumulative``, a series of running totals."""

    event_id: int
    metric: str
    scope_id: int | None
    family: str
    cumulative: bool
    estimate: Factor  # for a series: its last point
    statements: int
    claimants: int
    trajectory: list[tuple[date, float, float, float]] = []  # (day, value, low, high)


class StoredFit(BaseModel):
    model_config = ConfigDict(frozen=True)
    sigma: float
    tau: float
    anchored: bool
    converged: bool
    em_rounds: int
    iterations: int
    claimants: list[StoredClaimant]
    affiliations: list[StoredAffiliation]
    groups: list[StoredGroup]


# --- responses ------------------------------------------------------------------------------------
class FitInfo(BaseModel):
    """Which fit answered, and how far the data has moved since: reads never wait for a fit."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "fitted": True,
                    "fit_id": 3,
                    "fitted_at": "2026-12-02T10:00:00Z",
                    "status": "ok",
                    "statements": 214,
                    "dropped": 0,
                    "duration_seconds": 0.41,
                    "stale": True,
                    "changes_since": 2,
                    "anchored": True,
                    "sigma": 0.21,
                    "tau": 0.33,
                    "message": "fitted 2026-12-02 10:00 UTC; 2 changes since (stale)",
                }
            ]
        }
    )
    fitted: bool = Field(description="False until a fit has succeeded once")
    fit_id: int | None = None
    fitted_at: datetime | None = None
    status: FitStatus | None = Field(default=None, description="Of the latest run (a failed run keeps the last result)")
    statements: int = Field(default=0, description="Voices the fit used (one per claimant per group, or per date)")
    dropped: int = Field(default=0, description="Figures left out: cumulative ones without a date")
    duration_seconds: float | None = None
    stale: bool = Field(default=True, description="The data changed since the fit (a newer fit will follow)")
    changes_since: int = Field(default=0, description="Recorded changes since the fit (plus figures imported)")
    anchored: bool = Field(
        default=False, description="A reference source took part: biases are relative to it, else to the consensus"
    )
    sigma: float | None = Field(default=None, description="Noise sd of a statement on the log scale")
    tau: float | None = Field(default=None, description="Spread of claimants' biases around their side's (log scale)")
    error: str | None = None
    message: str


BIAS_ROW_EXAMPLE: dict[str, Any] = {
    "claimant_id": 4,
    "claimant_name": "Ministry of Defence of A",
    "affiliation": "A",
    "party": "other",
    "family": "deaths",
    "factor": 2.9,
    "low": 2.2,
    "high": 3.8,
    "log_sd": 0.14,
    "groups": 8,
    "statements": 8,
    "claimants": 1,
    "reference": False,
}


class BiasRow(BaseModel):
    """One bias: a claimant's (or with ``by=affiliation`` a side's shared habit) about one party
    relation in one metric family. Flat, so it is also a CSV row."""

    model_config = ConfigDict(json_schema_extra={"examples": [BIAS_ROW_EXAMPLE]})
    claimant_id: int | None = Field(description="null on a row by affiliation")
    claimant_name: str | None
    affiliation: str | None
    party: Party = Field(description="Whose losses: own side, other side or third party (the claimant's view)")
    family: str = Field(description="Metric family: deaths, injuries, equipment, cases, or the metric's own name")
    factor: float = Field(description="Multiplicative bias: reported / bias-corrected value (1 = none)")
    low: float = Field(description="95% interval, low end")
    high: float = Field(description="95% interval, high end")
    log_sd: float
    groups: int = Field(description="Groups (event x metric x scope, or series) the bias was seen in")
    statements: int
    claimants: int = Field(description="Claimants behind the row (1 for a claimant)")
    reference: bool = Field(description="A reference source: unbiased by declaration (factor 1)")


BIAS_COLUMNS = list(BiasRow.model_fields)


class BiasPage(BaseModel):
    """A page of biases, with the fit they come from."""

    fit: FitInfo
    items: list[BiasRow]
    total: int
    limit: int
    offset: int
    next: str | None = None


class InfluentialOut(BaseModel):
    """A statement that moved the bias most: what was said, and its ratio to the corrected value."""

    figure_id: int
    event: Named | None = Field(description="null when the figure was deleted since the fit")
    metric: str | None
    words: str | None
    low: float | None
    high: float | None
    ratio: float = Field(description="The stated value over the bias-corrected true value")
    effect: float = Field(description="Factor by which the bias would shrink back without it (> 1: it pushed it up)")


class SourceBiasRow(BaseModel):
    party: Party
    family: str
    factor: float
    low: float
    high: float
    groups: int
    statements: int
    reference: bool
    influential: list[InfluentialOut]


class SourceBias(BaseModel):
    """One source's biases, each with its most influential statements."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": {"id": 4, "name": "Ministry of Defence of A"},
                    "affiliation": "A",
                    "reference": False,
                    "fit": FitInfo.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                    "items": [
                        {
                            "party": "other",
                            "family": "deaths",
                            "factor": 2.9,
                            "low": 2.2,
                            "high": 3.8,
                            "groups": 8,
                            "statements": 8,
                            "reference": False,
                            "influential": [
                                {
                                    "figure_id": 17,
                                    "event": {"id": 3, "name": "Battle 3"},
                                    "metric": "killed",
                                    "words": "more than 600",
                                    "low": 601,
                                    "high": None,
                                    "ratio": 3.4,
                                    "effect": 1.2,
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )
    source: SourceRef
    affiliation: str | None
    reference: bool
    fit: FitInfo
    items: list[SourceBiasRow]


class TrajectoryOut(BaseModel):
    on: date
    value: float
    low: float
    high: float


class GroupEstimateOut(BaseModel):
    """The bias-corrected best estimate of one group (metric, scope), with its 95% interval; for
    running totals, the trajectory day by day (the estimate is its last day)."""

    metric: str
    scope: Named | None
    family: str
    cumulative: bool
    value: float
    low: float
    high: float
    statements: int
    claimants: int
    trajectory: list[TrajectoryOut]


class EventEstimate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event": {"id": 1, "name": "Battle 1"},
                    "fit": FitInfo.model_config["json_schema_extra"]["examples"][0],  # type: ignore[index]
                    "groups": [
                        {
                            "metric": "killed",
                            "scope": {"id": 2, "name": "soldiers of B"},
                            "family": "deaths",
                            "cumulative": False,
                            "value": 212.0,
                            "low": 171.0,
                            "high": 263.0,
                            "statements": 3,
                            "claimants": 3,
                            "trajectory": [],
                        }
                    ],
                }
            ]
        }
    )
    event: Named
    fit: FitInfo
    groups: list[GroupEstimateOut]
