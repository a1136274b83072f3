"""From the engine's reports of one event to the typed report every view shows
(``EventDiscrepancies``): the engine's dataclasses go straight into the response models, with
relays and scope names loaded once per report."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session, col, select

from app.domain.discrepancy import FigureFact, Policy, ScopeComparison, ScopeReport, Spread, Timing, analyse
from app.domain.intervals import Interval
from app.models.discrepancies import (
    ClusterOut,
    ComparisonOut,
    ConflictOut,
    EstimateOut,
    EventDiscrepancies,
    FloorOut,
    GroupReport,
    Named,
    OutlierOut,
    Range,
    SpreadOut,
    Voice,
    VoiceRef,
)
from app.models.entities import ClaimRelay, Event, Figure, Scope, Source, SourceRef
from app.report import series
from app.report.narrative import headline
from app.services.common import get_or_404
from app.services.summaries import facts_query, finite, scope_tree, to_fact

MAX_PAIRS = 100  # conflicting pairs listed per group, largest factor first
MAX_LISTED = 2000  # figures of a metric above which pairs are counted but not listed


def build_report(
    session: Session,
    event_id: int,
    metric: str | None,
    as_of: datetime | None,
    policy: Policy,
    hierarchy: Sequence[str],
) -> EventDiscrepancies:
    """The event's report: one group per metric and scope, metrics by name (404 when no such event)."""
    event = get_or_404(session, Event, event_id)
    stmt = facts_query(as_of).where(col(Figure.event_id) == event_id)
    if metric is not None:
        stmt = stmt.where(col(Figure.metric) == metric)
    by_metric: dict[str, list[FigureFact]] = defaultdict(list)
    for row in session.execute(stmt.order_by(col(Figure.metric), col(Figure.id))):
        by_metric[row[13]].append(to_fact(row))
    tree = scope_tree(session)
    reports = [
        (m, report)
        for m, facts in sorted(by_metric.items())
        # listing every pair costs n^2: past a size, counts stay exact and the list is left out
        for report in analyse(facts, tree, policy=policy, hierarchy=hierarchy, pairs=len(facts) <= MAX_LISTED)
    ]
    shown = [f for _, r in reports for part in (r.voices, [c.fact for c in r.comparisons], *set_aside(r)) for f in part]
    builder = Builder(session, event_id, shown)  # relays of the figures shown only (not of a long series)
    groups = [builder.group(m, r) for m, r in reports]
    return EventDiscrepancies(event=Named(id=event_id, name=event.name), as_of=as_of, policy=policy, groups=groups)


class Builder:
    """Turns engine reports into response models, with relays and scope names loaded once."""

    def __init__(self, session: Session, event_id: int, facts: Sequence[FigureFact]) -> None:
        self.event_id = event_id
        claim_ids = {f.claim_id for f in facts}
        self.relays: dict[int, list[SourceRef]] = defaultdict(list)
        rows = session.execute(
            select(col(ClaimRelay.claim_id), col(Source.id), col(Source.name))
            .join(Source, col(Source.id) == col(ClaimRelay.source_id))
            .where(col(ClaimRelay.claim_id).in_(claim_ids))
            .order_by(col(ClaimRelay.claim_id), col(ClaimRelay.position))
        )
        for claim_id, sid, name in rows:
            self.relays[claim_id].append(SourceRef(id=sid, name=name))
        scope_ids = {f.scope_id for f in facts if f.scope_id is not None}
        self.scopes = {
            int(i): str(n)
            for i, n in session.execute(select(col(Scope.id), col(Scope.name)).where(col(Scope.id).in_(scope_ids)))
        }
        self._voices: dict[int, Voice] = {}

    def voice(self, f: FigureFact) -> Voice:
        """The figure as a voice (built once per figure: a narrower scope's voice shows twice)."""
        found = self._voices.get(f.figure_id)
        if found is None:
            found = self._voices[f.figure_id] = Voice(
                figure_id=f.figure_id,
                claim_id=f.claim_id,
                claimant=SourceRef(id=f.claimant_id, name=f.claimant),
                relays=self.relays.get(f.claim_id, []),
                text=f.text,
                quote=f.quote,
                low=f.interval.low,
                high=f.interval.high,
                scope_id=f.scope_id,
                stated_at=f.stated_at,
                modality=f.modality,
                period=f.period,
            )
        return found

    def scope(self, scope_id: int | None) -> Named | None:
        return None if scope_id is None else Named(id=scope_id, name=self.scopes.get(scope_id, ""))

    def group(self, metric: str, r: ScopeReport) -> GroupReport:
        (revisions, excluded), summary = set_aside(r), None
        if len(revisions) + len(excluded) < len(r.revisions) + len(r.excluded):
            listed = len(r.voices) + len(revisions) + len(excluded)
            facts = [*r.voices, *r.revisions, *r.excluded]
            summary = series.summarise(facts, listed, self.event_id, metric, r.scope_id)
        return GroupReport(
            metric=metric,
            scope=self.scope(r.scope_id),
            headline=headline(r, self.scopes),
            claimant_count=r.claimant_count,
            figure_count=r.figure_count,
            envelope=_range(r.envelope),
            agreement=_range(r.agreement),
            agreements=[Range(low=a.low, high=a.high) for a in r.agreements],
            support=r.support,
            tie=r.tie,
            in_agreement=[self.voice(f) for f in r.in_agreement],
            clusters=[
                ClusterOut(
                    interval=Range(low=c.interval.low, high=c.interval.high),
                    members=[self.voice(m) for m in c.members],
                    factor=None if c.factor is None else finite(c.factor),
                )
                for c in r.clusters
            ],
            outliers=[OutlierOut(figure=self.voice(o.fact), direction=o.direction, **_apart(o)) for o in r.outliers],
            conflicts=[
                ConflictOut(lower=_ref(c.lower), higher=_ref(c.higher), **_apart(c)) for c in r.conflicts[:MAX_PAIRS]
            ],
            conflicts_total=r.conflict_count - sum(c.conflict for c in r.comparisons),
            comparisons=[self.comparison(c) for c in r.comparisons],
            spread=_spread(r.spread),
            floors=[FloorOut(floor=_ref(f.floor), above=_ref(f.above), ratio=finite(f.ratio)) for f in r.floors],
            factor=finite(r.factor),
            gap=r.gap,
            severity=r.severity,
            minority=r.minority,
            aligned_at=r.aligned_at,
            revisions=[self.voice(f) for f in revisions],
            excluded=[self.voice(f) for f in excluded],
            series=summary,
            estimate=EstimateOut(
                policy=r.estimate.policy,
                interval=_range(r.estimate.interval),
                figure_ids=list(r.estimate.figure_ids),
                explanation=r.estimate.explanation,
            ),
        )

    def comparison(self, c: ScopeComparison) -> ComparisonOut:
        return ComparisonOut(
            figure=self.voice(c.fact),
            scope=Named(id=c.scope_id, name=self.scopes.get(c.scope_id, "")),
            direction=c.direction,
            factor=finite(c.factor),
            gap=c.gap,
            conflict=c.conflict,
            explanation=c.explanation,
        )


def set_aside(r: ScopeReport) -> tuple[tuple[FigureFact, ...], tuple[FigureFact, ...]]:
    """The revisions and excluded figures a group lists: all of them, or on a long series (see
    ``app.report.series``) each claimant's latest."""
    if not series.is_long(len(r.revisions) + len(r.excluded)):
        return r.revisions, r.excluded
    return series.latest_per_claimant(r.revisions), series.latest_per_claimant(r.excluded)


def _ref(f: FigureFact) -> VoiceRef:
    return VoiceRef(
        figure_id=f.figure_id,
        claimant=SourceRef(id=f.claimant_id, name=f.claimant),
        text=f.text,
        low=f.interval.low,
        high=f.interval.high,
    )


def _spread(s: Spread | None) -> SpreadOut | None:
    if s is None:
        return None
    return SpreadOut(highest=_ref(s.highest), lowest=_ref(s.lowest), **_apart(s))


class _Apart(Protocol):  # an outlier, a conflict, a spread (read-only: the domain's are frozen)
    @property
    def factor(self) -> float: ...
    @property
    def gap(self) -> float: ...
    @property
    def timing(self) -> Timing: ...


def _apart(pair: _Apart) -> dict[str, Any]:
    """How far apart two sides are, as every report field shows it: the factor (None when
    infinite), the gap, and the days between the statements compared, and whether that is stale."""
    return {"factor": finite(pair.factor), "gap": pair.gap, "days": pair.timing.days, "stale": pair.timing.stale}


def _range(interval: Interval | None) -> Range | None:
    return None if interval is None else Range(low=interval.low, high=interval.high)
