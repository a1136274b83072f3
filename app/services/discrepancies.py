"""Discrepancy views besides an event's report (``app.report``): an event's timeline (computed live
by the engine), the global list of disputes, track records and source comparisons (read from the
maintained summaries). Each returns its response model."""

from statistics import median
from typing import Any

from sqlalchemy import Select, and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.domain.discrepancy import analyse, judge_pair
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
from app.services import filtering
from app.services.common import PageRequest, get_or_404
from app.services.filtering import S
from app.services.summaries import facts_query, finite, scope_tree, to_fact


# --- one event ------------------------------------------------------------------------------------
def event_timeline(session: Session, event_id: int, metric: str) -> TimelineOut:
    event = get_or_404(session, Event, event_id)
    stmt = facts_query().where(col(Figure.event_id) == event_id, col(Figure.metric) == metric)
    facts = [to_fact(r) for r in session.execute(stmt)]
    builder = Builder(session, event_id, facts)
    entries = [e for report in analyse(facts, scope_tree(session)) for e in report.timeline]
    entries.sort(key=lambda e: (e.fact.stated_at is not None, e.fact.stated_at or 0, e.fact.figure_id))
    return TimelineOut(
        event=Named(id=event_id, name=event.name),
        metric=metric,
        entries=[TimelineEntryOut(figure=builder.voice(e.fact), status=e.status) for e in entries],
    )


# --- across events --------------------------------------------------------------------------------
def disputes_query(f: DisputeFilters) -> Select[GroupSummary, str, str]:
    """The groups ``f`` selects, with their event's and scope's names."""
    gs = GroupSummary
    stmt = (
        sa_select(gs, col(Event.name), col(Scope.name))
        .join(Event, col(Event.id) == col(gs.event_id))
        .outerjoin(Scope, col(Scope.id) == col(gs.scope_id))
    )
    return _narrowed(stmt, f)


def disputes_count(session: Session, f: DisputeFilters) -> int:
    """How many groups ``f`` selects, counted on ``group_summary`` alone: every filter is on its
    columns (or a subquery), and every group has its event, so the joins of the listing would only
    cost (on PostgreSQL a hash of the whole event table: 10 ms of a 13 ms first page over a
    million figures)."""
    stmt = _narrowed(sa_select(func.count()).select_from(GroupSummary), f)
    return int(session.execute(stmt).scalar_one())


def _narrowed(stmt: S, f: DisputeFilters) -> S:
    """The filters of ``f``'s spec and the options below (undisputed groups only with
    ``include_undisputed``)."""
    gs = GroupSummary
    if not f.include_undisputed:
        stmt = stmt.where(col(gs.severity) > 0)
    if f.min_factor is not None:  # a null factor is infinite: it passes every minimum
        stmt = stmt.where(or_(col(gs.factor) >= f.min_factor, col(gs.factor).is_(None)))
    if f.exclude_zero:
        stmt = stmt.where(col(gs.zero).is_(False))
    return filtering.apply(stmt, f)


DISPUTE_SORTS = ("severity", "factor", "gap", "claimant_count", "last_stated_at")


def list_disputes(session: Session, f: DisputeFilters, page: PageRequest) -> tuple[list[DisputeRow], int]:
    """Most severe first, ties by the larger gap (``sort`` picks another order: ``-gap``, ``factor`` ...)."""
    if page.after is not None:
        raise Invalid("disputes are ordered by severity: page them with offset", field="after")
    stmt = disputes_query(f)
    total = disputes_count(session, f)
    gs = GroupSummary
    first = _dispute_order(page.sort)
    ordered = stmt.order_by(
        *first, col(gs.severity).desc(), col(gs.gap).desc(), col(gs.event_id), col(gs.metric), col(gs.scope_key)
    )
    rows = session.execute(ordered.limit(page.limit).offset(page.offset)).all()
    names = _claimant_names(session, [s for s, _, _ in rows])
    return [_dispute(s, ename, sname, names) for s, ename, sname in rows], total


def _dispute_order(sort: str | None) -> list[Any]:
    if not sort:
        return []
    name = sort.lstrip("-")
    if name not in DISPUTE_SORTS:
        raise Invalid(f"cannot sort disputes by {name!r}; sortable: {', '.join(DISPUTE_SORTS)}", field="sort")
    column = getattr(GroupSummary, name)
    descending = sort.startswith("-")
    order = [col(column).desc() if descending else col(column).asc()]
    if name == "factor":  # a null factor is infinite: the largest
        infinite = col(column).is_(None)
        order.insert(0, infinite.desc() if descending else infinite.asc())
    return order


def _claimant_names(session: Session, summaries: list[GroupSummary]) -> dict[int, str]:
    ids = {i for s in summaries for i in (s.high_claimant_id, s.low_claimant_id) if i is not None}
    rows = session.execute(select(col(Source.id), col(Source.name)).where(col(Source.id).in_(ids)))
    return {int(i): str(n) for i, n in rows}


def _dispute(s: GroupSummary, event_name: str, scope_name: str | None, names: dict[int, str]) -> DisputeRow:
    envelope = None if s.envelope_low is None else Range(low=s.envelope_low, high=s.envelope_high)
    agreement = None if s.agreement_low is None else Range(low=s.agreement_low, high=s.agreement_high)

    def who(ident: int | None) -> Named | None:
        return None if ident is None else Named(id=ident, name=names.get(ident, ""))

    return DisputeRow(
        event=Named(id=s.event_id, name=event_name),
        metric=s.metric,
        scope=None if s.scope_id is None else Named(id=s.scope_id, name=scope_name or ""),
        severity=s.severity,
        factor=s.factor,
        gap=s.gap,
        highest=who(s.high_claimant_id),
        lowest=who(s.low_claimant_id),
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
            sa_select(col(gv.factor)).where(col(gv.claimant_id) == source_id, col(gv.direction).is_not(None))
        ).scalars()
    )
    total = sum(tally.values())
    outliers = sum(n for (standing, _), n in tally.items() if standing == "outlier")
    rows = session.execute(
        mine.order_by(*_standing_order(page.sort), col(gv.event_id), col(gv.metric), col(gv.scope_key))
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
        split_count=sum(n for (standing, _), n in tally.items() if standing == "cluster"),
        below_count=sum(n for (_, direction), n in tally.items() if direction == "under"),
        above_count=sum(n for (_, direction), n in tally.items() if direction == "over"),
        outlier_rate=outliers / total if total else 0.0,
        median_factor=median(finite_factors) if finite_factors else None,
        worst_factor=max(finite_factors, default=None),
        infinite_count=len(factors) - len(finite_factors),
        items=[_voice_row(v, ename, sname) for v, ename, sname in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


STANDING_SORTS = ("factor", "gap", "low", "event_id")


def _standing_order(sort: str | None) -> list[Any]:
    """Default: the groups it stood apart in first, the largest (or infinite) factor first."""
    gv = GroupVoice
    apart = [col(gv.direction).is_(None), col(gv.factor).is_not(None), col(gv.factor).desc()]
    if not sort:
        return apart
    name = sort.lstrip("-")
    if name not in STANDING_SORTS:
        raise Invalid(f"cannot sort a track record by {name!r}; sortable: {', '.join(STANDING_SORTS)}", field="sort")
    column = col(getattr(gv, name))
    return [column.desc() if sort.startswith("-") else column.asc()]


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
    disagreeing = [i for i in items if i.disagree]
    factors = [i.factor for i in disagreeing if i.factor is not None]
    ratios = sorted(i.ratio for i in items if i.ratio is not None)
    return Comparison(
        a=Named(id=a, name=first.name),
        b=Named(id=b, name=second.name),
        shared_groups=len(items),
        disagreements=len(disagreeing),
        a_higher=sum(i.higher == "a" for i in items),
        b_higher=sum(i.higher == "b" for i in items),
        median_factor=median(factors) if factors else None,
        worst_factor=max(factors, default=None),
        infinite_count=len(disagreeing) - len(factors),
        median_ratio=median(ratios) if ratios else None,
        ratio_range=Range(low=ratios[0], high=ratios[-1]) if ratios else None,
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
    judged = judge_pair(Interval(a_low, a_high), Interval(b_low, b_high))
    return PairRow(
        event=Named(id=event_id, name=event_name),
        metric=metric,
        scope_id=scope_key or None,
        a=Range(low=a_low, high=a_high),
        b=Range(low=b_low, high=b_high),
        disagree=judged.disagree,
        higher=judged.higher,
        factor=None if judged.factor is None else finite(judged.factor),
        gap=judged.gap,
        ratio=finite(judged.ratio),
        report=_report_url(event_id, metric),
    )
