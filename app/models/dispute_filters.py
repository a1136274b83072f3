"""Filters of ``GET /discrepancies``."""


from pydantic import Field

from app.models.common import Instant
from app.models.entities import MAX_ID
from app.models.filters import Filters


class DisputeFilters(Filters):
    metric: str | None = Field(default=None, max_length=60)
    event_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="This event and those nested in it.")
    claimant_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="Groups this source spoke in.")
    affiliation: str | None = Field(
        default=None, max_length=200, description="Groups a claimant of this side spoke in."
    )
    stated_at__gte: Instant | None = Field(default=None, description="Groups with a statement on or after.")
    stated_at__lt: Instant | None = Field(default=None, description="Groups with a statement before.")
    min_factor: float | None = Field(
        default=None, ge=1, le=1e15, allow_inf_nan=False, description="Groups whose largest factor is at least this "
        "(an infinite factor, a 0 against a count, passes every minimum: exclude those with `exclude_zero`)."
    )
    min_gap: float | None = Field(
        default=None, ge=0, le=1e15, allow_inf_nan=False, description="Groups whose largest gap is at least this."
    )
    min_claimants: int | None = Field(default=None, ge=1, le=1_000_000, description="Groups with at least this many.")
    exclude_zero: bool = Field(default=False, description="Leave out disputes whose lowest figure is 0.")
    include_undisputed: bool = Field(default=False, description="Also list groups with no conflict.")
