"""The discrepancy engine: where sources disagree, by how much, and who stands apart.

``analyse`` takes the figures of ONE event and ONE metric (the caller groups them) plus the scope
tree, and returns one ``ScopeReport`` per scope that has figures. Pure: standard library and
``app.domain`` only. Every rule of DESIGN.md ("What a discrepancy is") lives here, once:

Counting
- Voices. Figures are compared by ORIGINAL claimant, never by relay: ``relays`` change no count.
  A claimant's several statements in one scope are not a dispute: one is its voice, the others
  are on the timeline. Which one: the latest (by ``stated_at``; an undated statement is older than
  any dated one; naive datetimes are read as UTC). Two statements of one claimant at the same
  time are resolved by their values, never by the order they were stored in: the higher interval
  counts (larger low end, then larger high end, unbounded highest), then the words, then the
  figure id; the other stays visible on the timeline, marked ``revised``.
- Periods. A figure counts the whole ``event`` (the default), a ``day``, a ``week``, or a
  ``cumulative`` running total up to its date. A claimant's earlier running totals are
  ``updated`` on the timeline (a running total grows), not ``revised``. When every counted figure
  of a scope is cumulative and dated, the voices are ALIGNED in time: the alignment date is the
  earliest of the claimants' latest dates (the latest date by which every claimant has spoken),
  and each claimant's voice is its statement nearest that date (ties go to the earlier); its
  statements after it are ``later`` on the timeline. A comparison of two statements further
  apart than ``WINDOW_DAYS[period]`` (7 days for cumulative and weekly figures, 1 for daily, 365
  for event totals) is ``stale``, with the distance in ``days``.
- Exclusion. ``denied`` and ``retracted`` figures are listed in ``excluded`` and never counted;
  they are set aside before revisions are resolved, so a claimant's retracted statement leaves
  its latest counted one as its voice.
- Scope. Agreement, outliers and conflicts are computed among the voices of one scope only.
  ``scope_id None`` is an unspecified population: a scope of its own, never compared with another.
  A scope missing from the ``scopes`` mapping is a root.

Where each voice stands (every voice has exactly one place)
- Agreement: the values covered by the most voices, found by a sweep over the interval ends,
  O(n log n); at one coordinate starts sort before ends, so closed intervals touching at a point
  overlap. ``agreements`` holds every maximal segment reaching that maximum (``support``).
  One segment: it is ``agreement``, and the voices holding it are ``in_agreement``. Several
  (necessarily disjoint): a ``tie`` -- a split, not a majority -- and ``agreement`` is None.
- Clusters (on a tie): one per tied segment, in order of value; a voice that holds a segment
  belongs to the first it holds; a voice within the hull of the segments that holds none belongs
  to the nearest (the lower on equal distance). ``clusters[i].factor`` is the gap factor to the
  next cluster (its segment's low / this segment's high).
- Outliers: the voices clear of the reference -- the agreement, or on a tie the hull of the tied
  segments -- each "under" (factor = reference.low / outlier.high) or "over" (factor =
  outlier.low / reference.high), gap = the distance between those ends.
- Scope comparison: each voice of a narrower scope is set beside the nearest ancestor scope that
  has voices (no other scope sees it; unrelated scopes never meet), against that scope's
  agreement, or its envelope on a tie: "under", "within" or "over" with the factor and gap of the
  nearest ends, and an explanation naming the scope difference that may explain the gap. It is a
  conflict only when the part's low end exceeds the whole's high end (a part cannot outnumber the
  whole); an unbounded whole never conflicts.

Measures (figures are non-negative counts: a ratio whose denominator is <= 0 is ``math.inf``)
- Envelope: [min low, max high] over the voices; unbounded when any voice is.
- Conflict: two voices whose closed intervals are disjoint. Factor = higher.low / lower.high
  (> 1), gap = higher.low - lower.high. Every disjoint pair is listed, largest factor first
  (then largest gap, then claimant ids).
- Spread: in a disputed scope, the ``highest`` voice (largest low end) and the ``lowest`` (smallest
  high end), with the factor and gap between them: every dispute has a direction, with two
  voices as with twenty, with a majority or without.
- Floors: a voice with no upper end ("at least 660", "scores") is a floor. Each bounded voice at
  or above a floor is set beside it with its ratio (its value -- the low end of an exact figure,
  else the midpoint -- over the floor): consistent, not a conflict, and still a measure of how far
  above the floor it sits.
- Factor and gap: of the scope's largest conflict (its voices' largest low end against their
  smallest high end, or a conflicting comparison's); 1.0 and 0 when undisputed.
- Severity, which orders the global list of disputes: 0 when undisputed, else
  ``log10(1 + top - bottom) * (1 + log10((top + 10) / (bottom + 10)))`` for the largest conflict's
  ends (``top`` the higher low end, ``bottom`` the lower high end): the absolute gap, on a log
  scale, scaled up by the relative gap. It is finite, and small counts do not dominate: ten is
  added to both ends of the ratio, so 0 against 3 is 1.3x apart, not infinitely, while for large
  counts the ten vanishes. 0 vs 3 scores 0.67, 40 vs 200 3.58, 4.9 million vs 99 million 18.4.
  Ties are broken by the larger gap. (Chosen on the real cross-source groups of the shared data:
  the first page of disputes holds no gap below 25 and every one of the widest disputes.)
- Minority: the number of voices on the minority side: the outliers; on a tie, the smaller side
  of the largest-factor conflict, where a side is the voices wholly beyond the gap
  (below: high < higher.low; above: low > lower.high).
- Counts: ``claimant_count`` = voices; ``figure_count`` = every figure of the scope (voices,
  revisions, updates, later statements, excluded).
- Timeline: every figure of the scope, undated first, then by ``stated_at``, then ``figure_id``;
  status "counted", "revised", "updated", "later" or "excluded".

Estimates (``Policy``)
- range: the envelope.
- majority: the agreement; on a tie, the envelope of the tied segments (the explanation says so).
- conservative: the lowest low end among the voices, as a point [low, low] -- as ACLED codes the
  lowest credible fatality figure (credible = counted: not denied, retracted or revised). Equal
  lows go to the lower high end, then the lower claimant id; the explanation names the figure.
- latest: the interval of the most recently stated voice (same recency rule as revisions).
- hierarchy: the majority estimate among the voices whose ``claimant_kind`` ranks highest in the
  user's list (unlisted kinds rank last, together).

Order: reports by scope depth, then scope id (None first); voices and in-agreement voices by
claimant id; revisions and excluded by figure id; outliers by factor (largest first), then
claimant id; comparisons conflicts first, then by factor (largest first), then figure id.

Speed: the counts, severity and minority are computed by sorting and bisection, O(n log n), not
from the pairs; ``pairs=False`` skips listing the conflicting pairs (which can number n^2/4) and
the floors (n^2 for many floors) for callers that only keep the ``summary`` row.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from app.domain.errors import DomainError
from app.domain.intervals import Interval
from app.domain.vocab import NOT_COUNTED, Modality

Direction = Literal["under", "over"]
Placement = Literal["under", "within", "over"]
Status = Literal["counted", "revised", "updated", "later", "excluded"]
Scopes = Mapping[int, int | None]

_START, _END = 0, 1  # event kinds of the sweep: starts sort before ends at one coordinate
_UNDATED = datetime.min.replace(tzinfo=UTC)


class Period(StrEnum):
    """What stretch of time a figure counts."""

    event = "event"  # the whole event (a strike's death toll)
    day = "day"
    week = "week"
    cumulative = "cumulative"  # a running total up to the figure's date


WINDOW_DAYS: Mapping[Period, int] = {Period.event: 365, Period.day: 1, Period.week: 7, Period.cumulative: 7}
"""How far apart two statements may be and still be compared as of one time."""


class Policy(StrEnum):
    """How a scope's figures are turned into one estimate (see the module docstring)."""

    range = "range"
    majority = "majority"
    conservative = "conservative"
    latest = "latest"
    hierarchy = "hierarchy"


@dataclass(frozen=True, slots=True)
class FigureFact:
    """One figure as the engine sees it: who originally said which interval, for which scope."""

    figure_id: int
    claimant_id: int
    claimant: str
    interval: Interval
    scope_id: int | None
    stated_at: datetime | None
    modality: Modality
    claim_id: int = 0
    relays: tuple[int, ...] = ()
    claimant_kind: str = "other"
    text: str = ""
    quote: str = ""
    period: Period = Period.event


@dataclass(frozen=True, slots=True)
class Timing:
    """How far apart in time two compared statements are, and whether that is too far."""

    days: float | None  # None when either is undated
    stale: bool


@dataclass(frozen=True, slots=True)
class Outlier:
    fact: FigureFact
    direction: Direction
    factor: float
    gap: float
    timing: Timing = Timing(None, False)


@dataclass(frozen=True, slots=True)
class Conflict:
    lower: FigureFact
    higher: FigureFact
    factor: float
    gap: float
    timing: Timing = Timing(None, False)


@dataclass(frozen=True, slots=True)
class Cluster:
    """One side of a split: a tied segment of values and the voices that stand with it."""

    interval: Interval
    members: tuple[FigureFact, ...]
    factor: float | None  # to the next cluster up; None for the highest


@dataclass(frozen=True, slots=True)
class Spread:
    """Who is highest, who is lowest, and by how much."""

    highest: FigureFact
    lowest: FigureFact
    factor: float
    gap: float
    timing: Timing


@dataclass(frozen=True, slots=True)
class Floor:
    """A bounded voice at or above another's floor ("at least 660"): consistent, with its ratio."""

    floor: FigureFact
    above: FigureFact
    ratio: float


@dataclass(frozen=True, slots=True)
class ScopeComparison:
    fact: FigureFact
    scope_id: int
    factor: float
    gap: float
    direction: Placement
    conflict: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    fact: FigureFact
    status: Status


@dataclass(frozen=True, slots=True)
class Estimate:
    policy: Policy
    interval: Interval | None
    figure_ids: tuple[int, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class ScopeReport:
    scope_id: int | None
    voices: tuple[FigureFact, ...]
    revisions: tuple[FigureFact, ...]
    excluded: tuple[FigureFact, ...]
    envelope: Interval | None
    agreement: Interval | None
    agreements: tuple[Interval, ...]
    support: int
    tie: bool
    in_agreement: tuple[FigureFact, ...]
    clusters: tuple[Cluster, ...]
    outliers: tuple[Outlier, ...]
    conflicts: tuple[Conflict, ...]
    comparisons: tuple[ScopeComparison, ...]
    spread: Spread | None
    floors: tuple[Floor, ...]
    factor: float
    gap: float
    severity: float
    minority: int
    claimant_count: int
    figure_count: int
    outlier_count: int
    conflict_count: int
    timeline: tuple[TimelineEntry, ...]
    estimate: Estimate
    aligned_at: datetime | None = None  # the alignment date of a cumulative scope

    def place_of(self, fact: FigureFact) -> str:
        """Where a voice stands: agreement, outlier, cluster N (from 1, lowest first) or alone."""
        if self.claimant_count == 1:
            return "alone"
        if any(o.fact is fact for o in self.outliers):
            return "outlier"
        for i, cluster in enumerate(self.clusters, 1):
            if any(m is fact for m in cluster.members):
                return f"cluster {i}"
        return "agreement"


@dataclass(frozen=True, slots=True)
class Summary:
    """One row of the per-(event, metric, scope) summary table."""

    scope_id: int | None
    claimant_count: int
    figure_count: int
    envelope_low: float | None
    envelope_high: float | None
    agreement_low: float | None
    agreement_high: float | None
    support: int
    factor: float
    gap: float
    severity: float
    minority: int
    outlier_count: int
    conflict_count: int
    tie: bool


# ---------------------------------------------------------------- small helpers


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom > 0 else math.inf


SMALL = 10  # added to both ends of a severity's ratio: below about ten, a ratio says little


def severity_of(top: float, bottom: float) -> float:
    """The documented severity of a conflict between a higher low end ``top`` and a lower high end
    ``bottom`` (module docstring): finite, growing with the ratio and with the distance."""
    if top <= bottom:
        return 0.0
    return math.log10(1 + top - bottom) * (1 + math.log10((top + SMALL) / (bottom + SMALL)))


def _when(fact: FigureFact) -> datetime:
    at = fact.stated_at
    if at is None:
        return _UNDATED
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _high_key(interval: Interval) -> float:
    return math.inf if interval.high is None else interval.high


def _recency(fact: FigureFact) -> tuple[datetime, float, float, str, int]:
    """Later first; at one time the higher interval, then the words: never the storage order."""
    return _when(fact), fact.interval.low, _high_key(fact.interval), fact.text, fact.figure_id


def _timing(a: FigureFact, b: FigureFact) -> Timing:
    if a.stated_at is None or b.stated_at is None:
        return Timing(None, False)
    days = abs((_when(a) - _when(b)).total_seconds()) / 86400
    window = max(WINDOW_DAYS[a.period], WINDOW_DAYS[b.period])
    return Timing(days, days > window)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def _fmt(interval: Interval) -> str:
    high = "∞)" if interval.high is None else f"{_num(interval.high)}]"
    return f"[{_num(interval.low)}, {high}"


def _fmt_figure(interval: Interval) -> str:
    return _num(interval.low) if interval.low == interval.high else _fmt(interval)


def _fmt_factor(factor: float) -> str:
    if math.isinf(factor):
        return "∞"
    return f"{factor:.0f}" if factor >= 100 else f"{factor:.3g}"


def _hull(intervals: Sequence[Interval]) -> Interval:
    highs = [iv.high for iv in intervals]
    high = None if None in highs else max(h for h in highs if h is not None)
    return Interval(min(iv.low for iv in intervals), high)


def _sole(segments: tuple[Interval, ...]) -> Interval | None:
    """The agreement: the one maximal segment, or None on a tie (or without voices)."""
    return segments[0] if len(segments) == 1 else None


def value_of(interval: Interval) -> float:
    """One number for an interval: an exact figure's value, a floor's low end, else the midpoint."""
    return interval.low if interval.high is None else (interval.low + interval.high) / 2


# ---------------------------------------------------------------- voices and the sweep


@dataclass(frozen=True, slots=True)
class _Voices:
    voices: tuple[FigureFact, ...]
    set_aside: tuple[TimelineEntry, ...]  # revised, updated or later statements
    excluded: tuple[FigureFact, ...]
    aligned_at: datetime | None


def _split(facts: Iterable[FigureFact]) -> _Voices:
    """Each claimant's voice, the statements set aside (with why), and the excluded ones."""
    excluded: list[FigureFact] = []
    stated: dict[int, list[FigureFact]] = defaultdict(list)
    for fact in facts:
        if fact.modality in NOT_COUNTED:
            excluded.append(fact)
        else:
            stated[fact.claimant_id].append(fact)
    counted = [f for own in stated.values() for f in own]
    aligned = _alignment_date(stated) if counted and all(f.period is Period.cumulative for f in counted) else None
    voices: list[FigureFact] = []
    aside: list[TimelineEntry] = []
    for claimant_id in sorted(stated):
        own = stated[claimant_id]
        voice = max(own, key=_recency) if aligned is None else _nearest(own, aligned)
        voices.append(voice)
        aside += [TimelineEntry(f, _why_aside(f, voice)) for f in own if f is not voice]
    aside.sort(key=lambda e: e.fact.figure_id)
    excluded.sort(key=lambda f: f.figure_id)
    return _Voices(tuple(voices), tuple(aside), tuple(excluded), aligned)


def _alignment_date(stated: Mapping[int, list[FigureFact]]) -> datetime | None:
    """The latest date by which every claimant has spoken; None if a claimant is undated."""
    latest = [max(_when(f) for f in own) for own in stated.values()]
    earliest = min(latest)
    return None if earliest == _UNDATED else earliest


def _nearest(own: Sequence[FigureFact], at: datetime) -> FigureFact:
    """The statement nearest ``at`` in time (the earlier on equal distance; at one time, as
    ``_recency`` chooses)."""

    def distance(f: FigureFact) -> tuple[float, bool]:
        when = _when(f)
        return abs((when - at).total_seconds()), when > at

    best = min(distance(f) for f in own)
    return max((f for f in own if distance(f) == best), key=_recency)


def _why_aside(fact: FigureFact, voice: FigureFact) -> Status:
    if fact.period is Period.cumulative and voice.period is Period.cumulative:
        return "later" if _when(fact) > _when(voice) else "updated"
    return "revised"


def _max_coverage(intervals: Iterable[Interval]) -> tuple[int, tuple[Interval, ...]]:
    """(max number of intervals sharing a value, every maximal segment reaching it)."""
    events: list[tuple[float, int]] = []
    for iv in intervals:
        events.append((iv.low, _START))
        if iv.high is not None:
            events.append((iv.high, _END))
    events.sort()
    best = count = 0
    for _, kind in events:
        count += 1 if kind == _START else -1
        best = max(best, count)
    segments: list[Interval] = []
    opened: float | None = None
    count = 0
    for value, kind in events:
        if kind == _START:
            count += 1
            if count == best and opened is None:
                opened = value
        else:
            if count == best and opened is not None:
                segments.append(Interval(opened, value))
                opened = None
            count -= 1
    if opened is not None:
        segments.append(Interval(opened, None))
    return best, tuple(segments)


def _held(interval: Interval, segments: Sequence[Interval], lows: list[float]) -> int | None:
    """The index of the first segment the interval holds, or None.

    Segments are disjoint and sorted: if the interval holds any, it holds the first at or after its
    low end."""
    i = bisect_left(lows, interval.low)
    return i if i < len(segments) and _high_key(segments[i]) <= _high_key(interval) else None


def _supporters(voices: Sequence[FigureFact], segments: Sequence[Interval]) -> tuple[FigureFact, ...]:
    lows = [s.low for s in segments]
    return tuple(v for v in voices if _held(v.interval, segments, lows) is not None)


# ---------------------------------------------------------------- outliers, clusters, conflicts


def _outlier(fact: FigureFact, reference: Interval, beside: Sequence[FigureFact]) -> Outlier:
    iv = fact.interval
    timing = _closest_in_time(fact, beside)
    if iv.high is not None and iv.high < reference.low:
        return Outlier(fact, "under", _ratio(reference.low, iv.high), reference.low - iv.high, timing)
    assert reference.high is not None  # a voice clear of the reference lies below or above it
    return Outlier(fact, "over", _ratio(iv.low, reference.high), iv.low - reference.high, timing)


def _closest_in_time(fact: FigureFact, others: Sequence[FigureFact]) -> Timing:
    timings = [_timing(fact, o) for o in others]
    dated = [t for t in timings if t.days is not None]
    return min(dated, key=lambda t: t.days or 0.0) if dated else Timing(None, False)


def _outliers(
    voices: Sequence[FigureFact], reference: Interval | None, holders: Sequence[FigureFact]
) -> tuple[Outlier, ...]:
    if reference is None:
        return ()
    found = [_outlier(v, reference, holders) for v in voices if not v.interval.overlaps(reference)]
    return tuple(sorted(found, key=lambda o: (-o.factor, o.fact.claimant_id)))


def _clusters(voices: Sequence[FigureFact], segments: tuple[Interval, ...]) -> tuple[Cluster, ...]:
    """On a tie: each voice within the segments' hull, with the first segment it holds or the
    nearest one; outliers (clear of the hull) belong to none."""
    if len(segments) < 2:
        return ()
    hull = _hull(segments)
    lows = [s.low for s in segments]
    members: list[list[FigureFact]] = [[] for _ in segments]
    for v in voices:
        if not v.interval.overlaps(hull):
            continue
        i = _held(v.interval, segments, lows)
        members[_nearest_segment(v.interval, segments) if i is None else i].append(v)
    factors = [_ratio(b.low, _high_key(a)) for a, b in zip(segments, segments[1:], strict=False)]
    return tuple(
        Cluster(seg, tuple(m), factors[i] if i < len(factors) else None)
        for i, (seg, m) in enumerate(zip(segments, members, strict=True))
    )


def _nearest_segment(interval: Interval, segments: Sequence[Interval]) -> int:
    def distance(i: int) -> float:
        seg = segments[i]
        if interval.high is not None and interval.high < seg.low:
            return seg.low - interval.high
        if seg.high is not None and seg.high < interval.low:
            return interval.low - seg.high
        return 0.0

    return min(range(len(segments)), key=lambda i: (distance(i), i))


def _conflict_key(c: Conflict) -> tuple[float, float, int, int]:
    return -c.factor, -c.gap, c.lower.claimant_id, c.higher.claimant_id


def _conflicts(by_low: Sequence[FigureFact], lows: list[float]) -> tuple[Conflict, ...]:
    """Every disjoint pair, output-sensitively: the voices above one voice form a suffix."""
    found: list[Conflict] = []
    for lower in by_low:
        high = lower.interval.high
        if high is None:
            continue
        for higher in by_low[bisect_right(lows, high) :]:
            low = higher.interval.low
            found.append(Conflict(lower, higher, _ratio(low, high), low - high, _timing(lower, higher)))
    return tuple(sorted(found, key=_conflict_key))


def _spread(voices: Sequence[FigureFact]) -> Spread | None:
    """The highest and lowest voices, when they conflict."""
    bounded = [v for v in voices if v.interval.high is not None]
    if not bounded:
        return None
    highest = max(voices, key=lambda v: (v.interval.low, _high_key(v.interval), -v.claimant_id))
    lowest = min(bounded, key=lambda v: (_high_key(v.interval), v.interval.low, v.claimant_id))
    top, bottom = highest.interval.low, _high_key(lowest.interval)
    if top <= bottom:
        return None
    return Spread(highest, lowest, _ratio(top, bottom), top - bottom, _timing(highest, lowest))


def _floors(voices: Sequence[FigureFact]) -> tuple[Floor, ...]:
    """Each bounded voice at or above another voice's floor, with its ratio to that floor."""
    floors = [v for v in voices if v.interval.high is None]
    found = [
        Floor(f, v, _ratio(value_of(v.interval), f.interval.low))
        for f in floors
        for v in voices
        if v.interval.high is not None and v.interval.low >= f.interval.low and v is not f
    ]
    return tuple(sorted(found, key=lambda x: (x.floor.claimant_id, -x.ratio, x.above.claimant_id)))


@dataclass(frozen=True, slots=True)
class _Tally:
    """Conflict count, the largest conflict's ends and tie minority, by counting rather than listing."""

    count: int
    top: float  # the largest low end, when it conflicts
    bottom: float  # the smallest high end, when it conflicts
    below: int  # voices wholly below the largest conflict's higher voice
    above: int  # voices wholly above the largest conflict's lower voice

    @property
    def factor(self) -> float:
        return _ratio(self.top, self.bottom) if self.count else 1.0


_UNDISPUTED = _Tally(0, 0.0, 0.0, 0, 0)


def _tally(lows: list[float], voices: Sequence[FigureFact]) -> _Tally:
    highs = sorted(v.interval.high for v in voices if v.interval.high is not None)
    if not highs or not lows or lows[-1] <= highs[0]:
        return _UNDISPUTED
    count = sum(len(lows) - bisect_right(lows, h) for h in highs)
    # The largest factor (and gap) pairs the highest low end with the lowest high end.
    top_low, bottom_high = lows[-1], highs[0]
    below = bisect_left(highs, top_low)
    above = len(lows) - bisect_right(lows, bottom_high)
    return _Tally(count, top_low, bottom_high, below, above)


# ---------------------------------------------------------------- estimates


@dataclass(frozen=True, slots=True)
class _Agreement:
    """The sweep's answer for a set of voices."""

    support: int
    segments: tuple[Interval, ...]
    supporters: tuple[FigureFact, ...]

    @staticmethod
    def of(voices: Sequence[FigureFact]) -> _Agreement:
        support, segments = _max_coverage(v.interval for v in voices)
        return _Agreement(support, segments, _supporters(voices, segments))


def _agreement_estimate(policy: Policy, found: _Agreement, among: str) -> Estimate:
    ids = tuple(sorted(v.figure_id for v in found.supporters))
    held = f"held by {found.support} of {among}"
    if len(found.segments) == 1:
        only = found.segments[0]
        return Estimate(policy, only, ids, f"{policy}: {_fmt(only)}, the values {held}")
    hull = _hull(found.segments)
    tied = " and ".join(_fmt(s) for s in found.segments)
    why = (
        f"{policy}: tied — {len(found.segments)} disjoint ranges ({tied}) are each {held}; "
        f"the estimate is their envelope {_fmt(hull)}"
    )
    return Estimate(policy, hull, ids, why)


def _hierarchy_estimate(voices: Sequence[FigureFact], hierarchy: Sequence[str]) -> Estimate:
    rank = {kind: i for i, kind in reversed(list(enumerate(hierarchy)))}
    best = min(rank.get(v.claimant_kind, len(hierarchy)) for v in voices)
    chosen = [v for v in voices if rank.get(v.claimant_kind, len(hierarchy)) == best]
    if best == len(hierarchy):
        among = f"the {len(chosen)} voices (none of a listed kind, so all rank alike)"
    else:
        among = f"the {len(chosen)} voices of the top-ranked kind '{hierarchy[best]}'"
    return _agreement_estimate(Policy.hierarchy, _Agreement.of(chosen), among)


def _conservative_estimate(voices: Sequence[FigureFact]) -> Estimate:
    low = min(voices, key=lambda v: (v.interval.low, _high_key(v.interval), v.claimant_id))
    value = low.interval.low
    why = (
        f"conservative: the lowest credible low end, {_num(value)}, from {low.claimant} "
        f"({_describe(low)}), as ACLED codes the lowest credible figure"
    )
    return Estimate(Policy.conservative, Interval(value, value), (low.figure_id,), why)


def _latest_estimate(voices: Sequence[FigureFact]) -> Estimate:
    last = max(voices, key=_recency)
    when = "undated" if last.stated_at is None else f"stated {last.stated_at.isoformat()}"
    why = f"latest: {last.claimant}'s figure ({_describe(last)}), {when}"
    return Estimate(Policy.latest, last.interval, (last.figure_id,), why)


def _estimate(
    policy: Policy,
    voices: Sequence[FigureFact],
    envelope: Interval | None,
    found: _Agreement,
    hierarchy: Sequence[str],
) -> Estimate:
    if envelope is None:
        return Estimate(policy, None, (), f"{policy}: no counted figure in this scope")
    if policy is Policy.range:
        ids = tuple(sorted(v.figure_id for v in voices))
        why = f"range: the envelope of all {len(voices)} counted voices, {_fmt(envelope)}"
        return Estimate(policy, envelope, ids, why)
    if policy is Policy.conservative:
        return _conservative_estimate(voices)
    if policy is Policy.latest:
        return _latest_estimate(voices)
    if policy is Policy.hierarchy:
        return _hierarchy_estimate(voices, hierarchy)
    return _agreement_estimate(policy, found, f"the {len(voices)} claimants")


def _describe(fact: FigureFact) -> str:
    words = f'"{fact.text}", ' if fact.text else ""
    return f"{words}{_fmt(fact.interval)}"


# ---------------------------------------------------------------- scopes


def _ancestors(scope_id: int | None, scopes: Scopes) -> list[int]:
    """Proper ancestors, nearest first."""
    found: list[int] = []
    parent = scopes.get(scope_id) if scope_id is not None else None
    while parent is not None:
        if parent in found or parent == scope_id:
            raise DomainError(f"the scope tree has a cycle through scope {parent}")
        found.append(parent)
        parent = scopes.get(parent)
    return found


def _compare(fact: FigureFact, inner: int, outer: int, ref: Interval, tie: bool) -> ScopeComparison:
    iv = fact.interval
    what = "envelope (the agreement is tied)" if tie else "agreement"
    head = f"{fact.claimant} counts a narrower population (scope {inner} within scope {outer}); {_fmt_figure(iv)}"
    if iv.high is not None and iv.high < ref.low:
        factor, gap = _ratio(ref.low, iv.high), ref.low - iv.high
        tail = f"is {_fmt_factor(factor)}x below the {what} {_fmt(ref)}"
        why = f"{head} {tail} — the scope difference may explain it"
        return ScopeComparison(fact, inner, factor, gap, "under", False, why)
    if ref.high is not None and iv.low > ref.high:
        factor, gap = _ratio(iv.low, ref.high), iv.low - ref.high
        tail = f"is {_fmt_factor(factor)}x above the {what} {_fmt(ref)}"
        why = f"{head} {tail} — a part cannot outnumber the whole: a conflict"
        return ScopeComparison(fact, inner, factor, gap, "over", True, why)
    why = f"{head} lies within the {what} {_fmt(ref)} — consistent with it"
    return ScopeComparison(fact, inner, 1.0, 0.0, "within", False, why)


@dataclass(frozen=True, slots=True)
class _Core:
    """What one scope yields on its own, before narrower scopes are set beside it."""

    split: _Voices
    envelope: Interval | None
    found: _Agreement
    clusters: tuple[Cluster, ...]
    outliers: tuple[Outlier, ...]
    conflicts: tuple[Conflict, ...]
    floors: tuple[Floor, ...]
    tally: _Tally

    @property
    def voices(self) -> tuple[FigureFact, ...]:
        return self.split.voices

    @property
    def tie(self) -> bool:
        return len(self.found.segments) > 1

    @property
    def agreement(self) -> Interval | None:
        return _sole(self.found.segments)

    @property
    def reference(self) -> Interval | None:
        """What narrower scopes are compared against: the agreement, or the envelope on a tie."""
        return self.envelope if self.tie else self.agreement


def _core(facts: Sequence[FigureFact], pairs: bool) -> _Core:
    split = _split(facts)
    voices = split.voices
    found = _Agreement.of(voices)
    by_low = sorted(voices, key=lambda v: (v.interval.low, v.claimant_id))
    lows = [v.interval.low for v in by_low]
    segments = found.segments
    reference = _hull(segments) if len(segments) > 1 else _sole(segments)
    return _Core(
        split=split,
        envelope=_hull([v.interval for v in voices]) if voices else None,
        found=found,
        clusters=_clusters(voices, segments),
        outliers=_outliers(voices, reference, found.supporters),
        conflicts=_conflicts(by_low, lows) if pairs else (),
        floors=_floors(voices) if pairs else (),
        tally=_tally(lows, voices),
    )


def _timeline(core: _Core) -> tuple[TimelineEntry, ...]:
    entries = [TimelineEntry(f, "counted") for f in core.voices]
    entries += list(core.split.set_aside)
    entries += [TimelineEntry(f, "excluded") for f in core.split.excluded]
    return tuple(sorted(entries, key=lambda e: (_when(e.fact), e.fact.figure_id)))


def _largest(core: _Core, comparisons: Sequence[ScopeComparison]) -> tuple[float, float, float]:
    """(factor, gap, severity) of the scope's largest conflict, among its voices and the parts
    that outnumber it; (1, 0, 0) when there is none."""
    ends = [(core.tally.top, core.tally.bottom)] if core.tally.count else []
    ends += [(c.fact.interval.low, c.fact.interval.low - c.gap) for c in comparisons if c.conflict]
    if not ends:
        return 1.0, 0.0, 0.0
    top, bottom = max(ends, key=lambda e: (severity_of(*e), e[0] - e[1]))
    return _ratio(top, bottom), top - bottom, severity_of(top, bottom)


def _report(
    scope_id: int | None,
    core: _Core,
    comparisons: Sequence[ScopeComparison],
    policy: Policy,
    hierarchy: Sequence[str],
) -> ScopeReport:
    clashes = [c for c in comparisons if c.conflict]
    minority = len(core.outliers)
    if core.tie:
        minority = min(core.tally.below, core.tally.above)
    ordered = sorted(comparisons, key=lambda c: (not c.conflict, -c.factor, c.fact.figure_id))
    factor, gap, severity = _largest(core, comparisons)
    revisions = tuple(e.fact for e in core.split.set_aside)
    return ScopeReport(
        scope_id=scope_id,
        voices=core.voices,
        revisions=revisions,
        excluded=core.split.excluded,
        envelope=core.envelope,
        agreement=core.agreement,
        agreements=core.found.segments,
        support=core.found.support,
        tie=core.tie,
        in_agreement=() if core.tie else core.found.supporters,
        clusters=core.clusters,
        outliers=core.outliers,
        conflicts=core.conflicts,
        comparisons=tuple(ordered),
        spread=_spread(core.voices),
        floors=core.floors,
        factor=factor,
        gap=gap,
        severity=severity,
        minority=minority,
        claimant_count=len(core.voices),
        figure_count=len(core.voices) + len(revisions) + len(core.split.excluded),
        outlier_count=len(core.outliers),
        conflict_count=core.tally.count + len(clashes),
        timeline=_timeline(core),
        estimate=_estimate(policy, core.voices, core.envelope, core.found, hierarchy),
        aligned_at=core.split.aligned_at,
    )


def _scope_order(scope_id: int | None, scopes: Scopes) -> tuple[int, bool, int]:
    return len(_ancestors(scope_id, scopes)), scope_id is not None, scope_id or 0


def _comparisons(cores: Mapping[int | None, _Core], scopes: Scopes) -> dict[int | None, list[ScopeComparison]]:
    """Each voice of a narrower scope, set beside its nearest ancestor scope that has voices."""
    found: dict[int | None, list[ScopeComparison]] = defaultdict(list)
    for inner, core in cores.items():
        if inner is None or not core.voices:
            continue
        outer = next((a for a in _ancestors(inner, scopes) if a in cores and cores[a].voices), None)
        if outer is None:
            continue
        ref, tie = cores[outer].reference, cores[outer].tie
        assert ref is not None  # the outer scope has voices
        found[outer] += [_compare(v, inner, outer, ref, tie) for v in core.voices]
    return found


def analyse(
    figures: Sequence[FigureFact],
    scopes: Scopes | None = None,
    *,
    policy: Policy = Policy.majority,
    hierarchy: Sequence[str] = (),
    pairs: bool = True,
) -> list[ScopeReport]:
    """One report per scope that has figures, ordered by scope depth, then id (None first).

    ``figures`` are those of one event and one metric. ``scopes`` maps scope id -> parent id.
    ``pairs=False`` leaves ``conflicts`` empty; every count and the severity stay exact.
    """
    tree: Scopes = scopes or {}
    by_scope: dict[int | None, list[FigureFact]] = defaultdict(list)
    for fact in figures:
        by_scope[fact.scope_id].append(fact)
    cores = {sid: _core(facts, pairs) for sid, facts in by_scope.items()}
    compared = _comparisons(cores, tree)
    order = sorted(cores, key=lambda sid: _scope_order(sid, tree))
    return [_report(sid, cores[sid], compared.get(sid, []), policy, hierarchy) for sid in order]


@dataclass(frozen=True, slots=True)
class PairJudgment:
    """Two claimants' intervals in one group, side by side: who is higher and by how much."""

    higher: Literal["a", "b"] | None  # None: the same values
    disagree: bool  # disjoint intervals: a conflict
    factor: float | None  # when they disagree: higher.low / lower.high (inf when lower.high is 0)
    gap: float | None  # when they disagree: higher.low - lower.high
    ratio: float  # always: the higher's value over the lower's (value_of), inf against a 0


def judge_pair(a: Interval, b: Interval) -> PairJudgment:
    """The same rules as the engine's conflicts (factor and gap of the nearest ends), plus the ratio
    of their values, which says how far apart two consistent figures are ("2,262 is 3.4x a floor of
    660")."""
    disagree = not a.overlaps(b)
    va, vb = value_of(a), value_of(b)
    if disagree:
        higher: Literal["a", "b"] | None = "b" if a.high is not None and a.high < b.low else "a"
    else:
        higher = None if (a.low, a.high) == (b.low, b.high) else "a" if (va, a.low) > (vb, b.low) else "b"
    top, bottom = (a, b) if higher == "a" else (b, a)
    ratio = _ratio(max(va, vb), min(va, vb)) if va != vb else 1.0
    if not disagree:
        return PairJudgment(higher, False, None, None, ratio)
    assert bottom.high is not None  # disjoint: the lower one is bounded
    return PairJudgment(higher, True, _ratio(top.low, bottom.high), top.low - bottom.high, ratio)


def summary(report: ScopeReport) -> Summary:
    """The summary-table row of one report (agreement ends are None on a tie)."""
    envelope, agreement = report.envelope, report.agreement
    return Summary(
        scope_id=report.scope_id,
        claimant_count=report.claimant_count,
        figure_count=report.figure_count,
        envelope_low=envelope.low if envelope else None,
        envelope_high=envelope.high if envelope else None,
        agreement_low=agreement.low if agreement else None,
        agreement_high=agreement.high if agreement else None,
        support=report.support,
        factor=report.factor,
        gap=report.gap,
        severity=report.severity,
        minority=report.minority,
        outlier_count=report.outlier_count,
        conflict_count=report.conflict_count,
        tie=report.tie,
    )
