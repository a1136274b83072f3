"""Closed intervals ``[low, high]`` (``high is None`` = unbounded above) and the bound kinds of DESIGN.md."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import InvalidInterval

MAX_VALUE = 1e15
"""The largest figure the domain accepts: beyond any count or cost a source has published.

The reader refuses a number above it before turning it into a float (a float overflows past
about 1.8e308), and so do ``derive_relative`` and ``check_explicit``; the models reuse it."""

BEYOND_MAX = f"beyond the largest figure accepted ({MAX_VALUE:,.0f})"
"""The reason given when a number is above ``MAX_VALUE``."""


class Bound(StrEnum):
    """How the words produced the interval (DESIGN.md, "Figures are intervals")."""

    exact = "exact"
    approx = "approx"
    approx_below = "approx_below"
    gt = "gt"
    ge = "ge"
    lt = "lt"
    le = "le"
    range = "range"
    vague = "vague"
    relative = "relative"


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval of values; ``high is None`` means no upper bound."""

    low: float
    high: float | None = None

    def __post_init__(self) -> None:
        if math.isnan(self.low) or (self.high is not None and math.isnan(self.high)):
            raise InvalidInterval("an interval end cannot be NaN")
        if math.isinf(self.low):
            raise InvalidInterval("the low end must be finite")
        if self.high is not None and math.isinf(self.high):
            raise InvalidInterval("an unbounded high end is written as None, not infinity")
        if self.high is not None and self.low > self.high:
            raise InvalidInterval(f"low {self.low:g} is above high {self.high:g}")

    @property
    def bounded(self) -> bool:
        return self.high is not None

    def contains(self, value: float) -> bool:
        return self.low <= value and (self.high is None or value <= self.high)

    def overlaps(self, other: Interval) -> bool:
        """True when the two closed intervals share at least one value."""
        below = self.high is not None and self.high < other.low
        above = other.high is not None and other.high < self.low
        return not (below or above)
