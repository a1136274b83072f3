"""Long series in a report: a group whose claimants stated many figures over time (a daily running
total over years) keeps, in its lists, each claimant's counted voice and its latest set-aside
statement; the rest are summarised per claimant and period, with links to the full paged list.

Pure: the engine's facts in, the typed summary out. A group with at most ``LONG`` set-aside
statements is not summarised, so a small event shows every voice as before."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from app.domain.discrepancy import FigureFact
from app.models.discrepancies import ClaimantSeries, Range, SeriesPoint, SeriesSummary, VoiceRef
from app.models.entities import SourceRef

LONG = 50  # set-aside statements of a group (revised, earlier running totals, denied ...) above which it is summarised
MAX_POINTS = 60  # points per claimant at most: the period grows (day, week, month, quarter, year) until they fit
PERIODS = ("day", "week", "month", "quarter", "year")
APPROX_DAYS = {"day": 1, "week": 7, "month": 30.4, "quarter": 91.3, "year": 365.25}


def is_long(set_aside: int) -> bool:
    return set_aside > LONG


def latest_per_claimant(facts: Sequence[FigureFact]) -> tuple[FigureFact, ...]:
    """Each claimant's latest statement (by stated date, undated first, then id), in the given order."""
    latest: dict[int, FigureFact] = {}
    for f in facts:
        seen = latest.get(f.claimant_id)
        if seen is None or _order(f) > _order(seen):
            latest[f.claimant_id] = f
    keep = {f.figure_id for f in latest.values()}
    return tuple(f for f in facts if f.figure_id in keep)


def summarise(
    facts: Sequence[FigureFact], listed: int, event_id: int, metric: str, scope_id: int | None
) -> SeriesSummary:
    """The series of a group's ``facts`` (all of them: counted, set aside, excluded), of which
    ``listed`` stay listed in the report."""
    dated = [f.stated_at.date() for f in facts if f.stated_at is not None]
    period = choose_period(min(dated), max(dated)) if dated else "day"
    base = {"event_id": event_id, "metric": metric} | ({} if scope_id is None else {"scope_id": scope_id})
    by_claimant: dict[int, list[FigureFact]] = defaultdict(list)
    for f in facts:
        by_claimant[f.claimant_id].append(f)
    claimants = [
        _claimant(sorted(mine, key=_order), period, base)
        for mine in sorted(by_claimant.values(), key=lambda m: (m[0].claimant, m[0].claimant_id))
    ]
    return SeriesSummary(
        figures=len(facts),
        summarised=len(facts) - listed,
        period=period,
        figures_url=_url(base),
        claimants=claimants,
    )


def choose_period(first: date, last: date) -> str:
    """The shortest period that puts the span from ``first`` to ``last`` in at most ``MAX_POINTS`` points."""
    days = (last - first).days + 1
    return next((p for p in PERIODS if days / APPROX_DAYS[p] <= MAX_POINTS - 1), "year")


def period_of(day: date, period: str) -> tuple[date, date]:
    """The first and last day of the period holding ``day``."""
    if period == "day":
        return day, day
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    months = 3 if period == "quarter" else 1
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    following = date(day.year + (first_month + months > 12), (first_month + months - 1) % 12 + 1, 1)
    return start, following - timedelta(days=1)


def _claimant(facts: list[FigureFact], period: str, base: dict[str, object]) -> ClaimantSeries:
    """One claimant's facts (in statement order) as points, one per period with statements."""
    points: dict[date, list[FigureFact]] = defaultdict(list)
    for f in facts:
        if f.stated_at is not None:
            points[period_of(f.stated_at.date(), period)[0]].append(f)
    dated = [f.stated_at for f in facts if f.stated_at is not None]
    last = facts[-1]
    who = SourceRef(id=last.claimant_id, name=last.claimant)
    return ClaimantSeries(
        claimant=who,
        figures=len(facts),
        undated=len(facts) - len(dated),
        first_stated_at=min(dated, default=None),
        last_stated_at=max(dated, default=None),
        latest=VoiceRef(
            figure_id=last.figure_id, claimant=who, text=last.text, low=last.interval.low, high=last.interval.high
        ),
        points=[_point(start, period, members) for start, members in sorted(points.items())],
        figures_url=_url({**base, "claimant_id": last.claimant_id}),
    )


def _point(start: date, period: str, members: list[FigureFact]) -> SeriesPoint:
    last = members[-1]
    highs = [f.interval.high for f in members]
    return SeriesPoint(
        start=start,
        end=period_of(start, period)[1],
        figures=len(members),
        last_figure_id=last.figure_id,
        last=Range(low=last.interval.low, high=last.interval.high),
        envelope=Range(
            low=min(f.interval.low for f in members),
            high=None if any(h is None for h in highs) else max(h for h in highs if h is not None),
        ),
    )


def _order(f: FigureFact) -> tuple[bool, datetime, int]:
    """Statement order: undated first, then by stated date (in UTC), then by id."""
    at = f.stated_at
    if at is None:
        return (False, datetime.min, f.figure_id)
    return (True, at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at, f.figure_id)


def _url(params: dict[str, object]) -> str:
    return f"/figures?{urlencode(params)}"
