"""Discrepancy views: an event's report (computed live by the engine), the global list of
disputes and track records (read from the maintained summaries)."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from statistics import median
from typing import Any

from sqlalchemy import Select, and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.domain.discrepancy import FigureFact, Policy, ScopeReport, analyse
from app.domain.intervals import Interval
from app.domain.narrative import headline
from app.errors import Invalid
from app.models.dispute_filters import DisputeFilters
from app.models.entities import ClaimRelay, Event, Figure, Scope, Source
from app.models.summaries import GroupSummary, GroupVoice
from app.services import filtering
from app.services.common import PageRequest, get_or_404
from app.services.summaries import facts_query, finite, scope_tree, to_fact

MAX_PAIRS = 100  # conflicting pairs listed per group, largest factor first
MAX_LISTED = 2000  # figures of a metric above which pairs are counted but not listed


# --- one event ------------------------------------------------------------------------------------
def event_reports(
    session: Session,
    event_id: int,
    metric: str | None,
    as_of: datetime | None,
    policy: Policy,
    hierarchy: Sequence[str],
) -> dict[str, Any]:
    event = get_or_404(session, Event, event_id)
    stmt = facts_query(as_of).where(col(Figure.event_id) == event_id)
    if metric is not None:
        stmt = stmt.where(col(Figure.metric) == metric)
    by_metric: dict[str, list[FigureFact]] = defaultdict(list)
    for row in session.execute(stmt.order_by(col(Figure.metric), col(Figure.id))):
        by_metric[row[13]].append(to_fact(row))
    tree = scope_tree(session)
    render = Renderer(session, [f for facts in by_metric.values() for f in facts])
    groups = [
        render.group(m, report)
        for m, facts in sorted(by_metric.items())
        # listing every pair costs n^2: past a size, counts stay exact and the list is left out
        for report in analyse(facts, tree, policy=policy, hierarchy=hierarchy, pairs=len(facts) <= MAX_LISTED)
    ]
    return {"event": {"id": event.id, "name": event.name}, "as_of": as_of, "policy": policy, "groups": groups}


def event_timeline(session: Session, event_id: int, metric: str) -> dict[str, Any]:
    event = get_or_404(session, Event, event_id)
    stmt = facts_query().where(col(Figure.event_id) == event_id, col(Figure.metric) == metric)
    facts = [to_fact(r) for r in session.execute(stmt)]
    render = Renderer(session, facts)
    entries = [e for report in analyse(facts, scope_tree(session)) for e in report.timeline]
    entries.sort(key=lambda e: (e.fact.stated_at is not None, e.fact.stated_at or 0, e.fact.figure_id))
    return {
        "event": {"id": event.id, "name": event.name},
        "metric": metric,
        "entries": [{"figure": render.voice(e.fact), "status": e.status} for e in entries],
    }


class Renderer:
    """Turns engine reports into response bodies, with relays and scope names loaded once."""

    def __init__(self, session: Session, facts: Sequence[FigureFact]) -> None:
        claim_ids = {f.claim_id for f in facts}
        self.relays: dict[int, list[dict[str, Any]]] = defaultdict(list)
        rows = session.execute(
            select(col(ClaimRelay.claim_id), col(Source.id), col(Source.name))
            .join(Source, col(Source.id) == col(ClaimRelay.source_id))
            .where(col(ClaimRelay.claim_id).in_(claim_ids))
            .order_by(col(ClaimRelay.claim_id), col(ClaimRelay.position))
        )
        for claim_id, sid, name in rows:
            self.relays[claim_id].append({"id": sid, "name": name})
        scope_ids = {f.scope_id for f in facts if f.scope_id is not None}
        self.scopes = {
            int(i): str(n)
            for i, n in session.execute(select(col(Scope.id), col(Scope.name)).where(col(Scope.id).in_(scope_ids)))
        }

    def voice(self, f: FigureFact) -> dict[str, Any]:
        return {
            "figure_id": f.figure_id,
            "claim_id": f.claim_id,
            "claimant": {"id": f.claimant_id, "name": f.claimant},
            "relays": self.relays.get(f.claim_id, []),
            "text": f.text,
            "quote": f.quote,
            "low": f.interval.low,
            "high": f.interval.high,
            "scope_id": f.scope_id,
            "stated_at": f.stated_at,
            "modality": f.modality,
        }

    def scope(self, scope_id: int | None) -> dict[str, Any] | None:
        return None if scope_id is None else {"id": scope_id, "name": self.scopes.get(scope_id, "")}

    def group(self, metric: str, r: ScopeReport) -> dict[str, Any]:
        return {
            "metric": metric,
            "scope": self.scope(r.scope_id),
            "headline": headline(r, self.scopes),
            "claimant_count": r.claimant_count,
            "figure_count": r.figure_count,
            "envelope": _range(r.envelope),
            "agreement": _range(r.agreement),
            "agreements": [_range(a) for a in r.agreements],
            "support": r.support,
            "tie": r.tie,
            "in_agreement": [self.voice(f) for f in r.in_agreement],
            "outliers": [
                {"figure": self.voice(o.fact), "direction": o.direction, "factor": finite(o.factor), "gap": o.gap}
                for o in r.outliers
            ],
            "conflicts": [
                {"lower": _ref(c.lower), "higher": _ref(c.higher), "factor": finite(c.factor), "gap": c.gap}
                for c in r.conflicts[:MAX_PAIRS]
            ],
            "conflicts_total": r.conflict_count - sum(c.conflict for c in r.comparisons),
            "comparisons": [
                {
                    "figure": self.voice(c.fact),
                    "scope": self.scope(c.scope_id),
                    "direction": c.direction,
                    "factor": finite(c.factor),
                    "gap": c.gap,
                    "conflict": c.conflict,
                    "explanation": c.explanation,
                }
                for c in r.comparisons
            ],
            "severity": r.severity,
            "minority": r.minority,
            "revisions": [self.voice(f) for f in r.revisions],
            "excluded": [self.voice(f) for f in r.excluded],
            "estimate": {
                "policy": r.estimate.policy,
                "interval": _range(r.estimate.interval),
                "figure_ids": list(r.estimate.figure_ids),
                "explanation": r.estimate.explanation,
            },
        }


def _ref(f: FigureFact) -> dict[str, Any]:
    return {
        "figure_id": f.figure_id,
        "claimant": {"id": f.claimant_id, "name": f.claimant},
        "text": f.text,
        "low": f.interval.low,
        "high": f.interval.high,
    }


def _range(interval: Interval | None) -> dict[str, Any] | None:
    return None if interval is None else {"low": interval.low, "high": interval.high}


# --- across events --------------------------------------------------------------------------------
def disputes_query(f: DisputeFilters) -> Select[GroupSummary, str, str]:
    """The groups ``f`` selects, with their event's and scope's names; undisputed ones (severity 1)
    only with ``include_undisputed``."""
    gs = GroupSummary
    stmt = (
        sa_select(gs, col(Event.name), col(Scope.name))
        .join(Event, col(Event.id) == col(gs.event_id))
        .outerjoin(Scope, col(Scope.id) == col(gs.scope_id))
    )
    if not f.include_undisputed:
        stmt = stmt.where(col(gs.severity) > 1.0)
    return filtering.apply(stmt, f)


def list_disputes(session: Session, f: DisputeFilters, page: PageRequest) -> tuple[list[dict[str, Any]], int]:
    if page.after is not None:
        raise Invalid("disputes are ordered by severity: page them with offset", field="after")
    stmt = disputes_query(f)
    total = session.execute(sa_select(func.count()).select_from(stmt.subquery())).scalar_one()
    gs = GroupSummary
    ordered = stmt.order_by(
        col(gs.severity).desc(), col(gs.minority).desc(), col(gs.event_id), col(gs.metric), col(gs.scope_key)
    )
    rows = session.execute(ordered.limit(page.limit).offset(page.offset)).all()
    return [_dispute(s, ename, sname) for s, ename, sname in rows], int(total)


def _dispute(s: GroupSummary, event_name: str, scope_name: str | None) -> dict[str, Any]:
    envelope = None if s.envelope_low is None else {"low": s.envelope_low, "high": s.envelope_high}
    agreement = None if s.agreement_low is None else {"low": s.agreement_low, "high": s.agreement_high}
    return {
        "event": {"id": s.event_id, "name": event_name},
        "metric": s.metric,
        "scope": None if s.scope_id is None else {"id": s.scope_id, "name": scope_name},
        "severity": s.severity,
        "minority": s.minority,
        "claimant_count": s.claimant_count,
        "figure_count": s.figure_count,
        "outlier_count": s.outlier_count,
        "conflict_count": s.conflict_count,
        "tie": s.tie,
        "envelope": envelope,
        "agreement": agreement,
        "first_stated_at": s.first_stated_at,
        "last_stated_at": s.last_stated_at,
        "report": f"/events/{s.event_id}/discrepancies?metric={s.metric}",
    }


# --- sources ------------------------------------------------------------------------------------
def track_record(session: Session, source_id: int, page: PageRequest) -> dict[str, Any]:
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
    return {
        "source": {"id": source.id, "name": source.name},
        "groups": total,
        "outlier_count": outliers,
        "under_count": tally.get(("outlier", "under"), 0),
        "over_count": tally.get(("outlier", "over"), 0),
        "split_count": tally.get(("split", None), 0),
        "outlier_rate": outliers / total if total else 0.0,
        "median_factor": median(finite_factors) if finite_factors else None,
        "worst_factor": None if not factors else (max(finite_factors) if len(finite_factors) == len(factors) else None),
        "items": [_voice_row(v, ename, sname) for v, ename, sname in rows],
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
    }


def _voice_row(v: GroupVoice, event_name: str, scope_name: str | None) -> dict[str, Any]:
    return {
        "event": {"id": v.event_id, "name": event_name},
        "metric": v.metric,
        "scope": None if not v.scope_key else {"id": v.scope_key, "name": scope_name or ""},
        "figure_id": v.figure_id,
        "low": v.low,
        "high": v.high,
        "standing": v.standing,
        "direction": v.direction,
        "factor": v.factor,
        "gap": v.gap,
        "report": f"/events/{v.event_id}/discrepancies?metric={v.metric}",
    }


PAIR_COLUMNS = ("event_id", "metric", "scope_key", "low", "high")


def compare(session: Session, a: int, b: int) -> dict[str, Any]:
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
    factors = [i["factor"] for i in items if i["disagree"] and i["factor"] is not None]
    return {
        "a": {"id": first.id, "name": first.name},
        "b": {"id": second.id, "name": second.name},
        "shared_groups": len(items),
        "disagreements": sum(i["disagree"] for i in items),
        "median_factor": median(factors) if factors else None,
        "worst_factor": max(factors, default=None),
        "items": items,
    }


def _pair(
    event_id: int,
    metric: str,
    scope_key: int,
    a_low: float,
    a_high: float | None,
    b_low: float,
    b_high: float | None,
    event_name: str,
) -> dict[str, Any]:
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
    return {
        "event": {"id": event_id, "name": event_name},
        "metric": metric,
        "scope_id": scope_key or None,
        "a": {"low": a_low, "high": a_high},
        "b": {"low": b_low, "high": b_high},
        "disagree": disagree,
        "higher": higher,
        "factor": factor,
        "gap": gap,
        "report": f"/events/{event_id}/discrepancies?metric={metric}",
    }
