"""Group summaries kept current in the same transaction as every write.

Writers call ``touch`` (or ``touch_figures`` / ``touch_claims`` / ``touch_scopes``) for every
(event, metric) whose figures they change; just before the session commits, every touched group
is recomputed by the pure engine and its ``group_summary`` and ``group_voice`` rows replaced. On
PostgreSQL each group is first locked with a transaction-scoped advisory lock, so concurrent
writers to one group recompute one after the other, each seeing the other's committed figures."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, event, insert, text, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from app.domain.discrepancy import FigureFact, Period, ScopeReport, Summary, analyse, summary
from app.domain.intervals import Interval
from app.domain.vocab import Modality
from app.models.common import utcnow
from app.models.entities import Claim, ClaimRelay, Figure, Scope, Source
from app.models.summaries import GroupSummary, GroupVoice
from app.services import trees

TOUCHED = "countercheck.touched_groups"
Group = tuple[int, str]


def touch(session: Session, event_id: int, metric: str) -> None:
    session.info.setdefault(TOUCHED, set()).add((event_id, metric))


def touch_figure(session: Session, row: Figure) -> None:
    touch(session, row.event_id, row.metric)


def _touch_where(session: Session, condition: Any) -> None:
    stmt = select(col(Figure.event_id), col(Figure.metric)).where(condition).distinct()
    for event_id, metric in session.execute(stmt):
        touch(session, event_id, metric)


def touch_figures(session: Session, figure_ids: Sequence[int]) -> None:
    _touch_where(session, col(Figure.id).in_(figure_ids))


def touch_claims(session: Session, claim_ids: Sequence[int]) -> None:
    _touch_where(session, col(Figure.claim_id).in_(claim_ids))


def touch_claimant(session: Session, source_id: int) -> None:
    """Every group where the source speaks or relays: its name and kind appear in their reports."""
    spoke = select(col(Claim.id)).where(col(Claim.claimant_id) == source_id)
    relayed = select(col(ClaimRelay.claim_id)).where(col(ClaimRelay.source_id) == source_id)
    _touch_where(session, col(Figure.claim_id).in_(spoke) | col(Figure.claim_id).in_(relayed))


def touch_scopes(session: Session, scope_ids: Sequence[int]) -> None:
    """A scope that moves in the tree changes the comparisons of every group counting it."""
    _touch_where(session, col(Figure.scope_id).in_(trees.subtrees(session, Scope, scope_ids)))


@event.listens_for(OrmSession, "before_commit")
def _refresh_touched(session: OrmSession) -> None:
    groups = session.info.pop(TOUCHED, None)
    if groups:
        session.flush()
        refresh(session, groups)  # type: ignore[arg-type]


# --- computing ----------------------------------------------------------------------------------
def scope_tree(session: Session) -> dict[int, int | None]:
    return {int(i): p for i, p in session.execute(select(col(Scope.id), col(Scope.parent_id)))}


def facts_query(as_of: datetime | None = None) -> Any:
    stmt = (
        sa_select(  # SQLModel's select types at most four columns
            col(Figure.id),
            col(Claim.claimant_id),
            col(Source.name),
            col(Source.kind),
            col(Figure.low),
            col(Figure.high),
            col(Figure.scope_id),
            col(Claim.stated_at),
            col(Claim.modality),
            col(Claim.id),
            col(Figure.text),
            col(Claim.quote),
            col(Figure.event_id),
            col(Figure.metric),
            col(Figure.period),
        )
        .join(Claim, col(Claim.id) == col(Figure.claim_id))
        .join(Source, col(Source.id) == col(Claim.claimant_id))
    )
    if as_of is not None:
        stmt = stmt.where(col(Claim.stated_at) <= as_of)
    return stmt


def to_fact(row: Any) -> FigureFact:
    fid, claimant_id, name, kind, low, high, scope_id, stated_at, modality, claim_id, words, quote = row[:12]
    period = row[14]
    return FigureFact(
        figure_id=fid,
        claimant_id=claimant_id,
        claimant=name,
        interval=Interval(low, high),
        scope_id=scope_id,
        stated_at=stated_at,
        modality=Modality(modality),
        claim_id=claim_id,
        claimant_kind=str(kind),
        text=words or "",
        quote=quote or "",
        period=Period(period),
    )


def refresh(session: Session, groups: Iterable[Group], *, locked: bool = False) -> None:
    """Recompute the summaries of the given (event, metric) groups from their figures.

    ``locked``: the caller already holds table locks (a bulk import), so no per-group lock."""
    tree = scope_tree(session)
    wanted = sorted(set(groups))
    if not locked:
        for event_id, metric in wanted:
            _lock(session, event_id, metric)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        facts = _raw_facts(session, chunk)
        reports = [(e, m, r) for (e, m), members in facts.items() for r in analyse(members, tree, pairs=False)]
        _replace(session, chunk, reports)


RAW_FACTS = """
SELECT f.id, c.claimant_id, s.name, s.kind, f.low, f.high, f.scope_id, c.stated_at, c.modality, c.id,
       f.event_id, f.metric, f.period
FROM figure f JOIN claim c ON c.id = f.claim_id JOIN source s ON s.id = c.claimant_id
WHERE f.event_id IN ({events})
ORDER BY f.event_id, f.metric, f.id
"""
MODALITIES = {m.value: m for m in Modality}
PERIODS = {p.value: p for p in Period}


def _raw_facts(session: Session, groups: Sequence[Group]) -> dict[Group, list[FigureFact]]:
    """The facts of many groups in one query through the driver, without per-row type processing
    (a bulk import refreshes thousands of groups)."""
    wanted = set(groups)
    events = sorted({e for e, _ in groups})
    sql = RAW_FACTS.format(events=", ".join(str(int(e)) for e in events))
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    found: dict[Group, list[FigureFact]] = {g: [] for g in groups}
    moments: dict[Any, datetime | None] = {}
    for fid, claimant, name, kind, low, high, scope, stated, modality, claim, event_id, metric, period in rows:
        key = (event_id, metric)
        if key in wanted:
            if stated not in moments:
                moments[stated] = as_utc(stated)
            found[key].append(
                FigureFact(fid, claimant, name, Interval(low, high), scope, moments[stated], MODALITIES[modality],
                           claim, (), str(kind), period=PERIODS[period])
            )
    return found


def as_utc(value: Any) -> datetime | None:
    """SQLite hands raw SQL its stored text; PostgreSQL a datetime. Either way: aware UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _lock(session: Session, event_id: int, metric: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        key = f"countercheck-group:{event_id}:{metric}"
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def _replace(session: Session, groups: Sequence[Group], reports: Sequence[tuple[int, str, ScopeReport]]) -> None:
    for model in (GroupSummary, GroupVoice):
        session.execute(delete(model).where(tuple_(col(model.event_id), col(model.metric)).in_(groups)))
    summaries = [summary_row(e, m, r) for e, m, r in reports]
    voices = [v for e, m, r in reports for v in voice_rows(e, m, r)]
    if summaries:
        session.execute(insert(GroupSummary), summaries)
    if voices:
        session.execute(insert(GroupVoice), voices)


def summary_row(event_id: int, metric: str, report: ScopeReport) -> dict[str, Any]:
    found = summary(report)
    dates = [e.fact.stated_at for e in report.timeline if e.fact.stated_at is not None]
    spread = report.spread
    return {
        **{name: getattr(found, name) for name in SUMMARY_FIELDS},
        "factor": finite(found.factor),
        "zero": spread is not None and spread.lowest.interval.high == 0,
        "high_claimant_id": None if spread is None else spread.highest.claimant_id,
        "low_claimant_id": None if spread is None else spread.lowest.claimant_id,
        "event_id": event_id,
        "metric": metric,
        "scope_key": report.scope_id or 0,
        "scope_id": report.scope_id,
        "first_stated_at": min(dates, default=None),
        "last_stated_at": max(dates, default=None),
        "updated_at": utcnow(),
    }


# the fields are declared once, on the domain's Summary
SUMMARY_FIELDS = tuple(f.name for f in dataclass_fields(Summary) if f.name != "scope_id")
SPREAD_FIELDS = ("zero", "high_claimant_id", "low_claimant_id")


def voice_rows(event_id: int, metric: str, report: ScopeReport) -> Iterator[dict[str, Any]]:
    for voice, (standing, direction, factor, gap) in standings(report):
        yield {
            "event_id": event_id,
            "metric": metric,
            "scope_key": report.scope_id or 0,
            "claimant_id": voice.claimant_id,
            "figure_id": voice.figure_id,
            "low": voice.interval.low,
            "high": voice.interval.high,
            "standing": standing,
            "direction": direction,
            "factor": None if factor is None else finite(factor),
            "gap": gap,
        }


Standing = tuple[str, str | None, float | None, float | None]


def standings(report: ScopeReport) -> Iterator[tuple[FigureFact, Standing]]:
    """Each voice with where it stands (agreement, outlier, cluster, alone), and, when it stands
    apart, whether it is below or above the others and by what factor and gap."""
    outliers = {o.fact.figure_id: o for o in report.outliers}
    sides = _cluster_sides(report)
    for voice in report.voices:
        if (o := outliers.get(voice.figure_id)) is not None:
            yield voice, ("outlier", o.direction, o.factor, o.gap)
        elif voice.figure_id in sides:
            yield voice, ("cluster", *sides[voice.figure_id])
        else:
            yield voice, ("alone" if report.claimant_count == 1 else "agreement", None, None, None)


def _cluster_sides(report: ScopeReport) -> dict[int, tuple[str | None, float | None, float | None]]:
    """On a split: the lowest cluster is under the next one up, the highest over the one below
    (middle clusters are neither)."""
    found: dict[int, tuple[str | None, float | None, float | None]] = {}
    clusters = report.clusters
    for i, cluster in enumerate(clusters):
        side: tuple[str | None, float | None, float | None] = (None, None, None)
        if i == 0 and cluster.interval.high is not None:
            side = ("under", cluster.factor, clusters[1].interval.low - cluster.interval.high)
        elif i == len(clusters) - 1 and (below := clusters[i - 1].interval.high) is not None:
            side = ("over", clusters[i - 1].factor, cluster.interval.low - below)
        for member in cluster.members:
            found[member.figure_id] = side
    return found


def finite(x: float) -> float | None:
    """Factors are infinite when the lower side is 0; JSON and the tables say None."""
    return None if x == float("inf") else x


# --- from scratch -------------------------------------------------------------------------------
Computed = tuple[list[Group], list[tuple[int, str, ScopeReport]]]


def recompute_all(session: Session, batch: int = 500) -> Iterator[Computed]:
    """Every group's reports computed from the figures, streamed in batches of groups."""
    tree = scope_tree(session)
    every = (
        select(col(Figure.event_id), col(Figure.metric)).distinct().order_by(col(Figure.event_id), col(Figure.metric))
    )
    groups: list[Group] = [(int(e), str(m)) for e, m in session.execute(every)]
    for start in range(0, len(groups), batch):
        chunk = groups[start : start + batch]
        facts = _raw_facts(session, chunk)
        yield chunk, [(e, m, r) for (e, m), members in facts.items() for r in analyse(members, tree, pairs=False)]


def rebuild_all(session: Session) -> int:
    """Replace every summary from scratch; returns the number of groups."""
    for model in (GroupSummary, GroupVoice):
        session.execute(delete(model))
    count = 0
    for groups, reports in recompute_all(session):
        _replace(session, groups, reports)
        count += len(groups)
    return count


def drift(session: Session) -> list[dict[str, Any]]:
    """Differences between the stored summaries and a recomputation from the figures (expected:
    none). Each names the group and the fields that differ."""
    found: list[dict[str, Any]] = []
    seen: set[tuple[int, str, int]] = set()
    for groups, reports in recompute_all(session):
        stored = _stored(session, groups)
        for event_id, metric, report in reports:
            key = (event_id, metric, report.scope_id or 0)
            seen.add(key)
            want = summary_row(event_id, metric, report)
            have = stored.get(key)
            fields = [
                f
                for f in (*SUMMARY_FIELDS, *SPREAD_FIELDS, "first_stated_at", "last_stated_at")
                if have is None or have.get(f) != want[f]
            ]
            if fields:
                found.append({"event_id": event_id, "metric": metric, "scope_id": report.scope_id, "fields": fields})
    for event_id, metric, scope_key in session.execute(
        select(col(GroupSummary.event_id), col(GroupSummary.metric), col(GroupSummary.scope_key))
    ):
        if (event_id, metric, scope_key) not in seen:
            found.append({"event_id": event_id, "metric": metric, "scope_id": scope_key or None, "fields": ["stale"]})
    return found


def _stored(session: Session, groups: Sequence[Group]) -> dict[tuple[int, str, int], dict[str, Any]]:
    stmt = select(GroupSummary).where(tuple_(col(GroupSummary.event_id), col(GroupSummary.metric)).in_(groups))
    return {(r.event_id, r.metric, r.scope_key): r.model_dump() for r in session.execute(stmt).scalars()}
