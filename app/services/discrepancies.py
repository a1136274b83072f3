"""Discrepancy views besides an event's report (``app.report``): an event's timeline (computed live
by the engine), the global list of disputes, track records and source comparisons (read from the
maintained summaries). Each returns its response model."""

from collections import defaultdict
from statistics import median
from typing import Any

from sqlalchemy import Select, and_, exists, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.domain.discrepancy import analyse
from app.domain.intervals import Interval
from app.errors import Invalid
from app.models.discrepancies import (
    Comparison,
    DisputeRow,
    Named,
    PairRow,
    Range,
    StandingRow,
    TimelineEntryOut,
    TimelineOut,
    TrackRecord,
)
from app.models.dispute_filters import DisputeFilters
from app.models.entities import Event, Figure, Scope, Source
from app.models.summaries import GroupSummary, GroupVoice
from app.report.build import Builder
from app.services.common import PageRequest, get_or_404
from app.services.summaries import facts_query, finite, scope_tree, to_fact


# --- one event ------------------------------------------------------------------------------------
def event_timeline(session: Session, event_id: int, metric: str) -> TimelineOut:
    event = get_or_404(session, Event, event_id)
    stmt = facts_query().where(col(Figure.event_id) == event_id, col(Figure.metric) == metric)
    facts = [to_fact(r) for r in session.execute(stmt)]
    builder = Builder(session, facts)
    entries = [e for report in analyse(facts, scope_tree(session)) for e in report.timeline]
    entries.sort(key=lambda e: (e.fact.stated_at is not None, e.fact.stated_at or 0, e.fact.figure_id))
    return TimelineOut(
        event=Named(id=event_id, name=event.name),
        metric=metric,
        entries=[TimelineEntryOut(figure=builder.voice(e.fact), status=e.status) for e in entries],
    )


# --- across events --------------------------------------------------------------------------------
def descendants(session: Session, event_id: int) -> list[int]:
    """The event and every event nested under it."""
    children: dict[int, list[int]] = defaultdict(list)
    for eid, parent in session.execute(
        select(col(Event.id), col(Event.parent_id)).where(col(Event.parent_id).is_not(None))
    ):
        children[int(parent)].append(int(eid))
    found, todo = [event_id], [event_id]
    while todo:
        nxt = children.get(todo.pop(), [])
        found += nxt
        todo += nxt
    return found


def disputes_query(session: Session, f: DisputeFilters) -> Select[GroupSummary, str, str]:
    gs = GroupSummary
    stmt = (
        sa_select(gs, col(Event.name), col(Scope.name))
        .join(Event, col(Event.id) == col(gs.event_id))
        .outerjoin(Scope, col(Scope.id) == col(gs.scope_id))
        .where(col(gs.severity) >= max(f.min_factor or 1.0, 1.0))
    )
    if not f.include_undisputed:
        stmt = stmt.where(col(gs.severity) > 1.0)
    if f.metric:
        stmt = stmt.where(col(gs.metric) == f.metric)
    if f.event_id:
        stmt = stmt.where(col(gs.event_id).in_(descendants(session, f.event_id)))
    if f.stated_at__gte:
        stmt = stmt.where(col(gs.last_stated_at) >= f.stated_at__gte)
    if f.stated_at__lt:
        stmt = stmt.where(col(gs.first_stated_at) < f.stated_at__lt)
    voice = _same_group(gs)
    if f.claimant_id:
        stmt = stmt.where(exists(voice.where(col(GroupVoice.claimant_id) == f.claimant_id)))
    if f.affiliation:
        by_side = voice.join(Source, col(Source.id) == col(GroupVoice.claimant_id))
        stmt = stmt.where(exists(by_side.where(col(Source.affiliation) == f.affiliation)))
    return stmt


def _same_group(gs: type[GroupSummary]) -> Select[Any]:
    return sa_select(col(GroupVoice.claimant_id)).where(
        and_(
            col(GroupVoice.event_id) == col(gs.event_id),
            col(GroupVoice.metric) == col(gs.metric),
            col(GroupVoice.scope_key) == col(gs.scope_key),
        )
    )


def list_disputes(session: Session, f: DisputeFilters, page: PageRequest) -> tuple[list[DisputeRow], int]:
    if page.after is not None:
        raise Invalid("disputes are ordered by severity: page them with offset", field="after")
    stmt = disputes_query(session, f)
    total = session.execute(sa_select(func.count()).select_from(stmt.subquery())).scalar_one()
    gs = GroupSummary
    ordered = stmt.order_by(
        col(gs.severity).desc(), col(gs.minority).desc(), col(gs.event_id), col(gs.metric), col(gs.scope_key)
    )
    rows = session.execute(ordered.limit(page.limit).offset(page.offset)).all()
    return [_dispute(s, ename, sname) for s, ename, sname in rows], int(total)


def _dispute(s: GroupSummary, event_name: str, scope_name: str | None) -> DisputeRow:
    envelope = None if s.envelope_low is None else Range(low=s.envelope_low, high=s.envelope_high)
    agreement = None if s.agreement_low is None else Range(low=s.agreement_low, high=s.agreement_high)
    return DisputeRow(
        event=Named(id=s.event_id, name=event_name),
        metric=s.metric,
        scope=None if s.scope_id is None else Named(id=s.scope_id, name=scope_name or ""),
        severity=s.severity,
        minority=s.minority,
        claimant_count=s.claimant_count,
        figure_count=s.figure_count,
        outlier_count=s.outlier_count,
        conflict_count=s.conflict_count,
        tie=s.tie,
        envelope=envelope,
        agreement=agreement,
        first_stated_at=s.first_stated_at,
        last_stated_at=s.last_stated_at,
        report=_report_url(s.event_id, s.metric),
    )


def _report_url(event_id: int, metric: str) -> str:
    return f"/events/{event_id}/discrepancies?metric={metric}"


# --- sources ------------------------------------------------------------------------------------
def track_record(session: Session, source_id: int, page: PageRequest) -> TrackRecord:
    if page.after is not None:
        raise Invalid("a track record is ordered by factor: page it with offset", field="after")
    source = get_or_404(session, Source, source_id)
    gv = GroupVoice
    mine = (
        sa_select(gv, col(Event.name), col(Scope.name))
        .join(Event, col(Event.id) == col(gv.event_id))
        .outerjoin(Scope, and_(col(Scope.id) == col(gv.scope_key)))
        .where(col(gv.claimant_id) == source_id)
    )
    counts = session.execute(
        sa_select(col(gv.standing), col(gv.direction), func.count())
        .where(col(gv.claimant_id) == source_id)
        .group_by(col(gv.standing), col(gv.direction))
    ).all()
    tally = {(standing, direction): int(n) for standing, direction, n in counts}
    factors = list(
        session.execute(
            sa_select(col(gv.factor)).where(col(gv.claimant_id) == source_id, col(gv.standing) == "outlier")
        ).scalars()
    )
    total = sum(tally.values())
    outliers = sum(n for (standing, _), n in tally.items() if standing == "outlier")
    rows = session.execute(
        mine.order_by(col(gv.standing) != "outlier", col(gv.factor).desc(), col(gv.event_id), col(gv.metric))
        .limit(page.limit)
        .offset(page.offset)
    ).all()
    finite_factors = [x for x in factors if x is not None]
    return TrackRecord(
        source=Named(id=source_id, name=source.name),
        groups=total,
        outlier_count=outliers,
        under_count=tally.get(("outlier", "under"), 0),
        over_count=tally.get(("outlier", "over"), 0),
        split_count=tally.get(("split", None), 0),
        outlier_rate=outliers / total if total else 0.0,
        median_factor=median(finite_factors) if finite_factors else None,
        worst_factor=None if not factors else (max(finite_factors) if len(finite_factors) == len(factors) else None),
        items=[_voice_row(v, ename, sname) for v, ename, sname in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def _voice_row(v: GroupVoice, event_name: str, scope_name: str | None) -> StandingRow:
    return StandingRow(
        event=Named(id=v.event_id, name=event_name),
        metric=v.metric,
        scope=None if not v.scope_key else Named(id=v.scope_key, name=scope_name or ""),
        figure_id=v.figure_id,
        low=v.low,
        high=v.high,
        standing=v.standing,
        direction=v.direction,
        factor=v.factor,
        gap=v.gap,
        report=_report_url(v.event_id, v.metric),
    )


PAIR_COLUMNS = ("event_id", "metric", "scope_key", "low", "high")


def compare(session: Session, a: int, b: int) -> Comparison:
    first, second = get_or_404(session, Source, a, "a"), get_or_404(session, Source, b, "b")
    va = sa_select(GroupVoice).where(col(GroupVoice.claimant_id) == a).subquery("va")
    vb = sa_select(GroupVoice).where(col(GroupVoice.claimant_id) == b).subquery("vb")
    rows = session.execute(
        sa_select(*(va.c[k] for k in PAIR_COLUMNS), vb.c.low, vb.c.high, col(Event.name))
        .join(vb, and_(va.c.event_id == vb.c.event_id, va.c.metric == vb.c.metric, va.c.scope_key == vb.c.scope_key))
        .join(Event, col(Event.id) == va.c.event_id)
        .order_by(va.c.event_id, va.c.metric, va.c.scope_key)
    ).all()
    items = [_pair(*row) for row in rows]
    factors = [i.factor for i in items if i.disagree and i.factor is not None]
    return Comparison(
        a=Named(id=a, name=first.name),
        b=Named(id=b, name=second.name),
        shared_groups=len(items),
        disagreements=sum(i.disagree for i in items),
        median_factor=median(factors) if factors else None,
        worst_factor=max(factors, default=None),
        items=items,
    )


def _pair(
    event_id: int,
    metric: str,
    scope_key: int,
    a_low: float,
    a_high: float | None,
    b_low: float,
    b_high: float | None,
    event_name: str,
) -> PairRow:
    ia, ib = Interval(a_low, a_high), Interval(b_low, b_high)
    disagree = not ia.overlaps(ib)
    factor = gap = None
    higher = None
    if disagree:
        lower, upper = (ia, ib) if ia.high is not None and ia.high < ib.low else (ib, ia)
        higher = "b" if upper is ib else "a"
        assert lower.high is not None
        gap = upper.low - lower.high
        factor = finite(upper.low / lower.high) if lower.high > 0 else None
    return PairRow(
        event=Named(id=event_id, name=event_name),
        metric=metric,
        scope_id=scope_key or None,
        a=Range(low=a_low, high=a_high),
        b=Range(low=b_low, high=b_high),
        disagree=disagree,
        higher=higher,
        factor=factor,
        gap=gap,
        report=_report_url(event_id, metric),
    )
