"""Per-group summaries that every write keeps current, so the global list of disputes and the
track records are index reads, never a scan of the figures.

A group is (event, metric, scope); ``scope_key`` is the scope id, or 0 for an unspecified scope,
so the key has no NULL in it."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.common import DateTimeField, UTCDateTime, utcnow


class GroupSummary(SQLModel, table=True):
    """One row per (event, metric, scope) with figures: what the discrepancy engine found."""

    __tablename__ = "group_summary"
    __table_args__ = (Index("ix_group_summary_rank", "severity", "gap"),)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", primary_key=True)
    metric: str = Field(foreign_key="metric.name", ondelete="CASCADE", primary_key=True, max_length=60)
    scope_key: int = Field(primary_key=True)
    scope_id: int | None = Field(default=None, foreign_key="scope.id", ondelete="CASCADE")
    claimant_count: int
    figure_count: int
    envelope_low: float | None = None
    envelope_high: float | None = None
    agreement_low: float | None = None
    agreement_high: float | None = None
    support: int
    factor: float | None = None  # the largest conflict's factor; None = infinite (0 against a count)
    gap: float = 0.0  # the largest conflict's distance
    severity: float  # app.domain.discrepancy.severity_of: 0 when undisputed
    zero: bool = False  # the lowest side of the largest conflict is 0
    high_claimant_id: int | None = None  # who gave the highest figure of a dispute
    low_claimant_id: int | None = None  # ... and the lowest
    minority: int
    outlier_count: int
    conflict_count: int
    tie: bool
    first_stated_at: datetime | None = DateTimeField()
    last_stated_at: datetime | None = DateTimeField()
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class GroupVoice(SQLModel, table=True):
    """One row per counted voice of a group: its figure, interval and where it stands."""

    __tablename__ = "group_voice"
    __table_args__ = (Index("ix_group_voice_claimant", "claimant_id", "event_id", "metric"),)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", primary_key=True)
    metric: str = Field(foreign_key="metric.name", ondelete="CASCADE", primary_key=True, max_length=60)
    scope_key: int = Field(primary_key=True)
    claimant_id: int = Field(foreign_key="source.id", ondelete="CASCADE", primary_key=True)
    figure_id: int = Field(foreign_key="figure.id", ondelete="CASCADE", index=True)
    low: float
    high: float | None = None
    standing: str = Field(max_length=12)  # agreement | outlier | cluster (one side of a split) | alone
    direction: str | None = Field(default=None, max_length=6)  # under | over: below or above the others
    factor: float | None = None  # how far below or above; None = infinite (the other side is 0)
    gap: float | None = None
