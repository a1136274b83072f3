"""Group summaries kept current in the same transaction as every write, with nothing to remember.

A group is an (event, metric); its ``group_summary`` and ``group_voice`` rows are recomputed by the
pure engine from the group's facts. What a fact is made of is declared once, in ``FACT_COLUMNS``
(read through the ORM by ``facts_query``, through the driver by ``raw_facts``, turned into a
``FigureFact`` by ``to_fact`` either way); together with the scope tree and names and the relay
chains that reports show, those columns are what a summary depends on (``WATCHED``).

The session finds the groups a write changes by itself; service code calls nothing:

- ``before_flush`` (``_collect_flushed``) reads the unit of work. A new or deleted figure names its
  group; a figure whose watched columns change names the group it enters and, from its attribute
  history (or the stored row when the old value was never loaded), the one it leaves. A claim whose
  claimant, date, modality or quote change, a relay row added, changed or removed, a source renamed
  or re-kinded, a scope renamed or moved: the groups of the figures they reach (for a scope, the
  figures counting it or any scope below it: ``trees.subtrees``). Queries run before the flush, so
  they see the stored rows as they were.
- ``do_orm_execute`` (``_collect_executed``) sees the statements that bypass the unit of work,
  ``session.execute(delete(...) / update(...) / insert(...))`` on those tables (the delete cascade
  of ``common``, a relay chain rewritten, a restore's relays). Before a DELETE or UPDATE runs, the
  groups its WHERE clause reaches are read (for an UPDATE of figures, again after it, by id, for
  the groups they enter); an INSERT names them from its parameters; an UPDATE setting no watched
  column (the version check) names none. An ``INSERT ... SELECT`` of figures would not be seen:
  there is none.
- ``before_commit`` (``_refresh_touched``) flushes, then recomputes every group named since the
  transaction began (``refresh``). On PostgreSQL each group is first locked with a
  transaction-scoped advisory lock, so concurrent writers to one group recompute one after the
  other, each seeing the other's committed figures. A rollback forgets the groups named. A session
  whose commit only releases a savepoint of a larger transaction (``defer_refresh``) hands its
  groups to that transaction, which recomputes them once before its own COMMIT.

Writes through a bare connection are not seen: the bulk importer (``app.services.bulk``) writes
through the driver and refreshes its own groups once, with ``refresh(..., locked=True, held=...)``:
the groups that had no figures before it from the figures it holds, the others read back."""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain, count, groupby
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Delete,
    Insert,
    Table,
    Update,
    delete,
    event,
    insert,
    or_,
    text,
    true,
    tuple_,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Dialect, Result
from sqlalchemy.orm import ORMExecuteState, SessionTransaction, UOWTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, SQLModel, col, select

from app.domain.discrepancy import FigureFact, Period, ScopeReport, Summary, analyse, summary
from app.domain.intervals import Interval
from app.domain.vocab import Modality
from app.models.common import utcnow
from app.models.entities import Claim, ClaimRelay, Figure, Scope, Source
from app.models.summaries import GroupSummary, GroupVoice
from app.services import trees

TOUCHED = "countercheck.touched_groups"
DEFERRED = "countercheck.deferred_groups"  # where a session's commit hands its groups (``defer_refresh``)
Group = tuple[int, str]
Computed = tuple[list[Group], list[tuple[int, str, ScopeReport]]]  # groups and their reports


def _table(model: type[SQLModel]) -> Table:
    found: Table = model.__table__  # type: ignore[attr-defined]
    return found


FIGURE, CLAIM, RELAY, SOURCE, SCOPE = (_table(m) for m in (Figure, Claim, ClaimRelay, Source, Scope))
SUMMARY, VOICE = _table(GroupSummary), _table(GroupVoice)

# --- the facts: one column list, one row-to-fact ----------------------------------------------------
# The order is the row's: ``to_fact`` unpacks it, and callers read the metric at ``METRIC``.
FACT_COLUMNS = (
    FIGURE.c.id,
    CLAIM.c.claimant_id,
    SOURCE.c.name,
    SOURCE.c.kind,
    FIGURE.c.low,
    FIGURE.c.high,
    FIGURE.c.scope_id,
    CLAIM.c.stated_at,
    CLAIM.c.modality,
    CLAIM.c.id,
    FIGURE.c.text,
    CLAIM.c.quote,
    FIGURE.c.event_id,
    FIGURE.c.metric,
    FIGURE.c.period,
)
EVENT, METRIC = 12, 13
FACT_JOIN = FIGURE.join(CLAIM, CLAIM.c.id == FIGURE.c.claim_id).join(SOURCE, SOURCE.c.id == CLAIM.c.claimant_id)
MODALITIES = {m.value: m for m in Modality}
PERIODS = {p.value: p for p in Period}


def facts_query(as_of: datetime | None = None) -> Any:
    """The facts of every figure (narrow it with ``where``), rows in ``FACT_COLUMNS`` order."""
    stmt = sa_select(*FACT_COLUMNS).select_from(FACT_JOIN)
    if as_of is not None:
        stmt = stmt.where(CLAIM.c.stated_at <= as_of)
    return stmt


def to_fact(row: Sequence[Any]) -> FigureFact:
    """One row of ``FACT_COLUMNS``, typed by the ORM or raw from the driver (dates as text on
    SQLite, enums as their values), as the engine's fact."""
    fid, claimant_id, name, kind, low, high, scope_id, stated_at, modality, claim_id, words, quote, _, _, period = row[
        : len(FACT_COLUMNS)
    ]  # callers may select more columns after these
    return FigureFact(
        figure_id=fid,
        claimant_id=claimant_id,
        claimant=name,
        interval=Interval(low, high),
        scope_id=scope_id,
        stated_at=as_utc(stated_at),
        modality=MODALITIES[modality],
        claim_id=claim_id,
        claimant_kind=str(kind),
        text=words or "",
        quote=quote or "",
        period=PERIODS[period],
    )


_RAW_SQL: dict[str, str] = {}


def raw_facts_sql(dialect: Dialect) -> str:
    """``facts_query`` compiled for the driver, for the figures of the events put in ``{events}``."""
    if dialect.name not in _RAW_SQL:
        stmt = facts_query().where(text("figure.event_id IN ({events})"))
        stmt = stmt.order_by(FIGURE.c.event_id, FIGURE.c.metric, FIGURE.c.id)
        _RAW_SQL[dialect.name] = str(stmt.compile(dialect=dialect))
    return _RAW_SQL[dialect.name]


def raw_facts(session: Session, groups: Sequence[Group]) -> dict[Group, list[FigureFact]]:
    """The facts of many groups, through the driver without per-row type processing; equal to
    ``facts_query`` read through the ORM. Every group is a key, with no facts when it has none."""
    found: dict[Group, list[FigureFact]] = {g: [] for g in groups}
    found.update(stream_facts(session, groups))
    return found


def stream_facts(
    session: Session, groups: Iterable[Group], events: int = 500
) -> Iterator[tuple[Group, list[FigureFact]]]:
    """The facts of each of ``groups`` that has figures, one group at a time, so that memory holds
    the largest group rather than all of them (a bulk import refreshes tens of thousands). The
    figures are read ``events`` events per query, in (event, metric, id) order, streamed from the
    driver; the caller may write between groups (other tables: the read is not disturbed)."""
    wanted = set(groups)
    ordered = sorted({e for e, _ in wanted})
    template = raw_facts_sql(session.get_bind().dialect)
    for start in range(0, len(ordered), events):
        sql = template.format(events=", ".join(str(int(e)) for e in ordered[start : start + events]))
        for key, rows in groupby(_streamed(session, sql), key=lambda row: (row[EVENT], row[METRIC])):
            if key in wanted:
                yield key, [to_fact(row) for row in rows]


_CURSORS = count()


def _streamed(session: Session, sql: str, size: int = 5000) -> Iterator[Sequence[Any]]:
    """The rows of ``sql`` a block at a time: a server-side cursor on PostgreSQL (its driver
    would otherwise fetch the whole result at once), SQLite's own stepping otherwise."""
    raw: Any = session.connection().connection.dbapi_connection
    postgres = session.get_bind().dialect.name == "postgresql"
    cursor = raw.cursor(name=f"countercheck_facts_{next(_CURSORS)}") if postgres else raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(size):
            yield from rows
    finally:
        cursor.close()


def as_utc(value: Any) -> datetime | None:
    """SQLite hands raw SQL its stored text; PostgreSQL a datetime in the session's zone. Either
    way: aware, in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        return _text_as_utc(value)
    return _in_utc(value)


@lru_cache(maxsize=8192)
def _text_as_utc(value: str) -> datetime:
    """Cached: the figures of one claim share its date, and a bulk import reads many of them."""
    return _in_utc(datetime.fromisoformat(value))


def _in_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- which groups a write changes -------------------------------------------------------------------
def _watched() -> dict[str, frozenset[str]]:
    """Per table, the columns a summary (or the report served beside it) depends on: the fact
    columns and the figure's claim, a scope's place and name, every column of a relay."""
    found: dict[str, set[str]] = {"figure": {"claim_id"}, "scope": {"parent_id", "name"}, "claim_relay": set()}
    for column in FACT_COLUMNS:
        found.setdefault(column.table.name, set()).add(column.key)
    found["claim_relay"] = {c.key for c in RELAY.c}
    return {name: frozenset(keys) for name, keys in found.items()}


WATCHED = _watched()


def touch(session: Session | OrmSession, groups: Iterable[Group]) -> None:
    """Name groups to recompute before this transaction commits (the listeners below do)."""
    session.info.setdefault(TOUCHED, set()).update((int(e), str(m)) for e, m in groups)


def groups_reached(session: Session | OrmSession, table_name: str, where: ColumnElement[bool]) -> set[Group]:
    """The groups of the figures that rows of ``table_name`` matching ``where`` reach, as stored."""
    figures = FIGURE.c
    reach: ColumnElement[bool]
    if table_name == "figure":
        reach = where
    elif table_name == "claim":
        reach = figures.claim_id.in_(sa_select(CLAIM.c.id).where(where))
    elif table_name == "claim_relay":
        reach = figures.claim_id.in_(sa_select(RELAY.c.claim_id).where(where))
    elif table_name == "source":
        sources = sa_select(SOURCE.c.id).where(where)
        spoke = sa_select(CLAIM.c.id).where(CLAIM.c.claimant_id.in_(sources))
        relayed = sa_select(RELAY.c.claim_id).where(RELAY.c.source_id.in_(sources))
        reach = or_(figures.claim_id.in_(spoke), figures.claim_id.in_(relayed))
    elif table_name == "scope":
        ids = [int(i) for i in session.execute(sa_select(SCOPE.c.id).where(where)).scalars()]
        if not ids:
            return set()
        reach = figures.scope_id.in_(trees.subtrees(session, SCOPE, ids))  # type: ignore[arg-type]
    else:
        return set()
    stmt = sa_select(figures.event_id, figures.metric).where(reach).distinct()
    return {(int(e), str(m)) for e, m in session.execute(stmt)}


def _changed(obj: Any, keys: frozenset[str]) -> bool:
    attrs = sa_inspect(obj).attrs
    return any(attrs[key].history.has_changes() for key in keys if key in attrs)


def _left(figure: Figure, found: set[Group], unknown: list[int]) -> None:
    """The group a changed or deleted figure was in: from its attribute history, or, when the old
    value was never loaded, its id in ``unknown`` (its stored row is read)."""
    left = _before(figure, "event_id"), _before(figure, "metric")
    if None in left:
        unknown.append(figure.id or 0)
    else:
        found.add(left)


def _before(obj: Any, key: str) -> Any:
    """An attribute's value as stored before this flush; None when it was never loaded."""
    history = sa_inspect(obj).attrs[key].history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return None


@event.listens_for(OrmSession, "before_flush")
def _collect_flushed(session: OrmSession, flush_context: UOWTransaction, instances: Any) -> None:
    found: set[Group] = set()
    reached: dict[str, set[Any]] = {}
    unknown: list[int] = []  # figures whose stored group must be read
    for obj in session.new:
        if isinstance(obj, Figure):
            found.add((obj.event_id, obj.metric))
        elif isinstance(obj, ClaimRelay):
            reached.setdefault("claim", set()).add(obj.claim_id)
    for obj in session.dirty:
        name = getattr(getattr(type(obj), "__table__", None), "name", None)
        if name not in WATCHED or not _changed(obj, WATCHED[name]):
            continue
        if isinstance(obj, Figure):
            found.add((obj.event_id, obj.metric))
            _left(obj, found, unknown)
        elif isinstance(obj, ClaimRelay):
            reached.setdefault("claim", set()).update({_before(obj, "claim_id"), obj.claim_id})
        else:
            reached.setdefault(name, set()).add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Figure):
            _left(obj, found, unknown)
        elif isinstance(obj, Claim):
            reached.setdefault("claim", set()).add(obj.id)
        elif isinstance(obj, ClaimRelay):
            reached.setdefault("claim", set()).add(_before(obj, "claim_id"))
    if unknown:
        found |= groups_reached(session, "figure", FIGURE.c.id.in_(unknown))
    for name, ids in reached.items():
        key = _table_of(name).c.id
        found |= groups_reached(session, name, key.in_([i for i in ids if i is not None]))
    if found:
        touch(session, found)


def _table_of(name: str) -> Table:
    return {"figure": FIGURE, "claim": CLAIM, "claim_relay": RELAY, "source": SOURCE, "scope": SCOPE}[name]


@event.listens_for(OrmSession, "do_orm_execute")
def _collect_executed(state: ORMExecuteState) -> Result[Any] | None:
    stmt = state.statement
    if not isinstance(stmt, Insert | Update | Delete):
        return None
    name = getattr(stmt.table, "name", None)
    if name not in WATCHED:
        return None
    session = state.session
    if isinstance(stmt, Insert):
        rows = _inserted(stmt, state.parameters)
        if name == "figure":
            touch(session, ((r["event_id"], r["metric"]) for r in rows))
        elif name == "claim_relay":
            touch(session, groups_reached(session, "claim", CLAIM.c.id.in_([r["claim_id"] for r in rows])))
        return None  # a new claim, source or scope has no figures yet
    if isinstance(stmt, Update) and not _set_columns(stmt, state.parameters) & WATCHED[name]:
        return None
    where = stmt.whereclause if stmt.whereclause is not None else true()
    touch(session, groups_reached(session, name, where))
    if not (isinstance(stmt, Update) and name == "figure"):
        return None
    ids = list(session.execute(sa_select(FIGURE.c.id).where(where)).scalars())
    result = state.invoke_statement()
    touch(session, groups_reached(session, "figure", FIGURE.c.id.in_(ids)))  # the groups they enter
    return result


def _rows(parameters: Any) -> list[Mapping[str, Any]]:
    if parameters is None:
        return []
    return [parameters] if isinstance(parameters, Mapping) else list(parameters)


def _inserted(stmt: Insert, parameters: Any) -> list[dict[str, Any]]:
    """The rows an INSERT writes: its execute parameters, or its ``values(...)``."""
    values = {
        str(getattr(k, "key", k)): (v.value if isinstance(v, BindParameter) else v)
        for k, v in (stmt._values or {}).items()
    }
    return [{**values, **row} for row in _rows(parameters)] or [values]


def _set_columns(stmt: Update, parameters: Any) -> set[str]:
    keys = {str(getattr(k, "key", k)) for k in (stmt._values or {})}
    keys.update(k for row in _rows(parameters) for k in row)
    return keys


def defer_refresh(session: Session | OrmSession, into: set[Group]) -> None:
    """Have this session's commit add the groups it touched to ``into`` instead of recomputing
    them: the caller recomputes them, once, before the enclosing transaction commits (the SQLite
    writer's group commit, ``app.api.writers``, whose sessions commit a savepoint only)."""
    session.info[DEFERRED] = into


@event.listens_for(OrmSession, "before_commit")
def _refresh_touched(session: OrmSession) -> None:
    session.flush()  # the listeners above name the groups of what is still pending
    groups = session.info.pop(TOUCHED, None)
    if not groups:
        return
    later: set[Group] | None = session.info.get(DEFERRED)
    if later is not None:
        later.update(groups)
    else:
        refresh(session, groups)  # type: ignore[arg-type]


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_touched(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # committed (refreshed already) or rolled back: nothing to do
        session.info.pop(TOUCHED, None)


# --- computing ----------------------------------------------------------------------------------
def scope_tree(session: Session) -> dict[int, int | None]:
    return {int(i): p for i, p in session.execute(select(col(Scope.id), col(Scope.parent_id)))}


class Held(Protocol):
    """Groups whose facts a bulk import holds in memory: groups that had no figures before it."""

    def holds(self, group: Group) -> bool: ...

    def new_event(self, group: Group) -> bool: ...  # created by the import: no summary to delete

    def facts(self, conn: Connection, groups: Sequence[Group]) -> Iterator[tuple[Group, list[FigureFact]]]: ...


def refresh(session: Session, groups: Iterable[Group], *, locked: bool = False, held: Held | None = None) -> None:
    """Recompute the summaries of the given (event, metric) groups from their figures, a group at
    a time (memory: the largest group and a block of rows to write).

    ``locked``: the caller already holds table locks (a bulk import), so no per-group lock.
    ``held``: the groups it holds are computed from its facts, not read back."""
    tree = scope_tree(session)
    wanted = sorted(set(groups))
    new = [g for g in wanted if held is not None and held.holds(g)]
    stored = [g for g in wanted if held is None or not held.holds(g)]
    if not locked:
        for event_id, metric in wanted:
            _lock(session, event_id, metric)
    kept = [g for g in wanted if held is None or not held.new_event(g)]  # may have a summary
    for start in range(0, len(kept), 500):
        _delete(session, kept[start : start + 500])
    facts = stream_facts(session, stored)
    if held is not None:
        facts = chain(facts, held.facts(session.connection(), new))
    for _, reports in _blocks(facts, tree):
        _insert(session, reports)


def computed(session: Session, groups: Sequence[Group], tree: Mapping[int, int | None]) -> Iterator[Computed]:
    """The reports of the groups that have figures, in blocks of at most about 1,000 reports or
    20,000 facts (a daily series is a few hundred facts a group), each with the groups it covers:
    memory holds one block, whatever the number of groups."""
    return _blocks(stream_facts(session, groups), tree)


def _blocks(facts: Iterable[tuple[Group, list[FigureFact]]], tree: Mapping[int, int | None]) -> Iterator[Computed]:
    block: list[Group] = []
    reports: list[tuple[int, str, ScopeReport]] = []
    held = 0
    for (event_id, metric), members in facts:
        block.append((event_id, metric))
        reports += [(event_id, metric, r) for r in analyse(members, tree, pairs=False)]
        held += len(members)
        if len(reports) >= 1000 or held >= 20_000:
            yield block, reports
            block, reports, held = [], [], 0
    if block:
        yield block, reports


def _lock(session: Session, event_id: int, metric: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        key = f"countercheck-group:{event_id}:{metric}"
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def _replace(session: Session, groups: Sequence[Group], reports: Sequence[tuple[int, str, ScopeReport]]) -> None:
    _delete(session, groups)
    _insert(session, reports)


# Core statements on the tables, not ORM ones: no session state to synchronise, and one
# executemany per table (the ORM's bulk insert split the voices by which values were None: a
# round trip each, inside the group's lock on PostgreSQL).
def _delete(session: Session, groups: Sequence[Group]) -> None:
    for table in (SUMMARY, VOICE):
        session.execute(delete(table).where(tuple_(table.c.event_id, table.c.metric).in_(groups)))


def _insert(session: Session, reports: Sequence[tuple[int, str, ScopeReport]]) -> None:
    summaries = [summary_row(e, m, r) for e, m, r in reports]
    voices = [v for e, m, r in reports for v in voice_rows(e, m, r)]
    if summaries:
        session.execute(insert(SUMMARY), summaries)
    if voices:
        session.execute(insert(VOICE), voices)


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
def recompute_all(session: Session) -> Iterator[Computed]:
    """Every group's reports computed from the figures, streamed in blocks (``computed``)."""
    every = (
        select(col(Figure.event_id), col(Figure.metric)).distinct().order_by(col(Figure.event_id), col(Figure.metric))
    )
    groups: list[Group] = [(int(e), str(m)) for e, m in session.execute(every)]
    yield from computed(session, groups, scope_tree(session))


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
