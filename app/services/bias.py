"""Reporting bias, wired to the data: the model's statements built from the stored figures, the fit
run and stored (table ``bias_fit``), and the reads that serve the latest stored fit.

Statements (``read_inputs``): one voice per claimant per group (event x metric x scope) -- chosen by
the discrepancy engine's own rule, so relays never count, denied and retracted figures are left
out, and a claimant's latest statement is its voice -- and, for cumulative figures, one per
claimant per group per day (its latest that day); a cumulative figure without a date cannot be
placed on a trajectory and is dropped (counted in ``dropped``). Bound, interval and tolerance come
from the figure; the party relation from ``app.domain.sides`` (the figure's party: its scope's, an
ancestor scope's or its event's; the claimant's affiliation); the family from the metric's name.
Sources marked ``reference`` are the model's reference claimants.

The fit (``run_fit``) reads the change cursor first, then the data, fits without holding a
connection, and stores the result with that cursor, deleting older runs (the latest ok run is kept
when a later one fails). Reads (``latest``, ``fit_info``) never wait for a fit: they serve the
latest stored one and say whether the data changed since (the cursor moved) and by how much.

The cursor is two primary-key maxima, so reading it costs two index lookups: ``max(change.id)`` --
every create, update, delete and restore through the API or the CLI records a change -- and
``max(figure.id)``, which catches bulk imports (they insert figures without recording changes)."""

import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from threading import Lock
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Engine, delete, func, null
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col, select

from app.db import fetch_one, session_scope
from app.domain.bias import (
    BiasFit,
    BiasInputError,
    Estimate,
    GroupEstimate,
    Party,
    SeriesEstimate,
    Start,
    Statement,
    fit_bias,
)
from app.domain.discrepancy import FigureFact, Period, analyse
from app.domain.intervals import Bound
from app.domain.sides import family_of, party_of, relation
from app.errors import Invalid
from app.models.bias import (
    BiasFitRow,
    BiasPage,
    BiasRow,
    EventEstimate,
    Factor,
    FitInfo,
    FitStatus,
    GroupEstimateOut,
    InfluentialOut,
    SourceBias,
    SourceBiasRow,
    StoredAffiliation,
    StoredClaimant,
    StoredFit,
    StoredGroup,
    StoredInfluence,
    TrajectoryOut,
)
from app.models.discrepancies import Named
from app.models.entities import Event, Figure, Scope, Source, SourceRef
from app.services.common import PageRequest, get_or_404
from app.services.summaries import CLAIM, EVENT, FACT_COLUMNS, FACT_JOIN, FIGURE, METRIC, SOURCE, to_fact

log = logging.getLogger("countercheck")

CURSOR = "SELECT (SELECT coalesce(max(id), 0) FROM change), (SELECT coalesce(max(id), 0) FROM figure)"
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the data stood: the last recorded change and the last figure id."""

    change_id: int
    figure_id: int


def cursor(engine: Engine) -> Cursor:
    row = fetch_one(engine, CURSOR, ())
    assert row is not None
    return Cursor(int(row[0]), int(row[1]))


# --- statements ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GroupKey:
    event_id: int
    metric: str
    scope_id: int | None

    @property
    def text(self) -> str:
        return f"{self.event_id}|{self.scope_id or 0}|{self.metric}"

    @staticmethod
    def parse(text: str) -> "GroupKey":
        event_id, scope, metric = text.split("|", 2)
        return GroupKey(int(event_id), metric, int(scope) or None)


@dataclass(frozen=True, slots=True)
class Inputs:
    statements: list[Statement]
    reference: frozenset[int]
    dropped: int  # cumulative figures without a date


@dataclass(frozen=True, slots=True)
class _Extra:
    bound: Bound
    tolerance: float | None
    affiliation: str | None
    metric: str


@dataclass(frozen=True, slots=True)
class _Tables:
    """The small tables every statement needs: scopes, events' parties, reference sources."""

    parents: dict[int, int | None]
    scope_party: dict[int, str | None]
    event_party: dict[int, str | None]


# The engine's fact columns, without the words and quotes the model never reads (long texts, kept
# out of memory), then what the model adds. Rows come ordered by event: an event's figures are read,
# turned into statements and dropped before the next event's arrive.
_WORDS = {id(FIGURE.c.text), id(CLAIM.c.quote)}
_FIT_COLUMNS = [null() if id(c) in _WORDS else c for c in FACT_COLUMNS]
_READ_CHUNK = 5_000
_READ_SQL: dict[str, str] = {}


def _read_sql(dialect: Dialect) -> str:
    if dialect.name not in _READ_SQL:
        stmt = (
            sa_select(*_FIT_COLUMNS, FIGURE.c.bound, FIGURE.c.tolerance, SOURCE.c.affiliation)
            .select_from(FACT_JOIN)
            .order_by(FIGURE.c.event_id, FIGURE.c.metric, FIGURE.c.id)
        )
        _READ_SQL[dialect.name] = str(stmt.compile(dialect=dialect))
    return _READ_SQL[dialect.name]


def read_inputs(session: Session) -> Inputs:
    """The model's statements from every stored figure (module docstring), streamed event by event."""
    parents: dict[int, int | None] = {}
    scope_party: dict[int, str | None] = {}
    for ident, parent, party in session.execute(select(col(Scope.id), col(Scope.parent_id), col(Scope.party))):
        parents[int(ident)], scope_party[int(ident)] = parent, party
    event_party = {int(i): p for i, p in session.execute(select(col(Event.id), col(Event.party)))}
    reference = frozenset(
        int(i) for i in session.execute(select(col(Source.id)).where(col(Source.reference))).scalars()
    )
    tables = _Tables(parents, scope_party, event_party)
    # through the driver (``to_fact`` reads raw rows): SQLAlchemy's per-value type processing costs
    # about a tenth of the read over a million figures; a server-side cursor on PostgreSQL, fetched
    # in chunks on SQLite
    conn = session.connection().execution_options(stream_results=True, yield_per=_READ_CHUNK)
    statements: list[Statement] = []
    dropped = 0
    for event_id, rows in groupby(conn.exec_driver_sql(_read_sql(conn.dialect)), key=itemgetter(EVENT)):
        made, lost = _event_statements(int(event_id), rows, tables)
        statements += made
        dropped += lost
    return Inputs(statements, reference, dropped)


def _event_statements(event_id: int, rows: Iterable[Any], tables: _Tables) -> tuple[list[Statement], int]:
    """One event's statements, and how many of its cumulative figures had no date."""
    n = len(FACT_COLUMNS)
    facts: list[FigureFact] = []
    extra: dict[int, _Extra] = {}
    for row in rows:
        fact = to_fact(row)
        facts.append(fact)
        extra[fact.figure_id] = _Extra(Bound(row[n]), row[n + 1], row[n + 2], row[METRIC])
    named = tables.event_party.get(event_id)
    party = {f.figure_id: party_of(f.scope_id, tables.parents, tables.scope_party, named) for f in facts}
    sides: set[str | None] = {named, *party.values()}

    whole: dict[str, list[FigureFact]] = defaultdict(list)
    daily: dict[tuple[str, int | None, Any], list[FigureFact]] = defaultdict(list)
    dropped = 0
    for f in facts:
        metric = extra[f.figure_id].metric
        if f.period is not Period.cumulative:
            whole[metric].append(f)
        elif f.stated_at is None:
            dropped += 1
        else:  # one voice per claimant per day: the engine's latest, among that day's statements
            daily[(metric, f.scope_id, f.stated_at.date())].append(replace(f, period=Period.event))

    def statement(voice: FigureFact, cumulative: bool) -> Statement:
        x = extra[voice.figure_id]
        return Statement(
            group=GroupKey(event_id, x.metric, voice.scope_id).text,
            claimant_id=voice.claimant_id,
            affiliation=x.affiliation.strip() if x.affiliation and x.affiliation.strip() else None,
            party=relation(x.affiliation, party[voice.figure_id], sides),
            family=family_of(x.metric),
            interval=voice.interval,
            bound=x.bound,
            tolerance=x.tolerance,
            on=voice.stated_at.date() if cumulative and voice.stated_at else None,
            cumulative=cumulative,
            statement_id=voice.figure_id,
        )

    out = [
        statement(v, False) for members in whole.values() for r in analyse(members, None, pairs=False) for v in r.voices
    ]
    out += [
        statement(v, True) for members in daily.values() for r in analyse(members, None, pairs=False) for v in r.voices
    ]
    return out, dropped


# --- fitting and storing ---------------------------------------------------------------------------
def run_fit(engine: Engine, progress: Progress | None = None) -> FitInfo:
    """Fit the model to the data as it stands and store the result; the stored run's ``FitInfo``."""
    say = progress or (lambda _stage: None)
    say("reading figures")
    seen = cursor(engine)  # before the data: a write landing in between leaves the fit stale, never wrong
    started = time.perf_counter()
    with Session(engine) as session:
        inputs = read_inputs(session)
    row = BiasFitRow(change_id=seen.change_id, figure_id=seen.figure_id, status=FitStatus.empty.value)
    row.statements, row.dropped = len(inputs.statements), inputs.dropped
    if inputs.statements:
        say(f"fitting {len(inputs.statements):,} statements")
        try:
            fitted = fit_bias(inputs.statements, reference=inputs.reference, start=_start(engine))
            del inputs  # a million figures' statements: freed before the result is serialised
            row.status, row.result = FitStatus.ok.value, stored_json(fitted)
        except (BiasInputError, ArithmeticError, ValueError, MemoryError) as exc:
            log.exception("the bias fit failed")
            row.status, row.error = FitStatus.failed.value, str(exc)[:2000]
    row.duration_seconds = time.perf_counter() - started
    say("storing the result")
    with session_scope(engine) as session:
        session.add(row)
        session.flush()
        keep = {row.id}
        if row.status == FitStatus.failed.value:
            last_ok = session.execute(
                select(func.max(BiasFitRow.id)).where(col(BiasFitRow.status) != FitStatus.failed.value)
            ).scalar()
            keep.add(last_ok)
        session.execute(delete(BiasFitRow).where(col(BiasFitRow.id).not_in([k for k in keep if k is not None])))
    return fit_info(engine, latest(engine))


def _start(engine: Engine) -> Start | None:
    """The latest stored fit as the next one's starting point: fewer EM rounds, the same result."""
    previous = latest(engine).fit
    if previous is None or previous.sigma <= 0 or previous.tau <= 0:
        return None
    biases = {
        (c.family, c.claimant_id, c.party): math.log(c.factor.value)
        for c in previous.claimants
        if not c.reference and c.factor.value > 0
    }
    return Start(previous.sigma, previous.tau, biases)


def _factor(e: Estimate) -> Factor:
    return Factor(value=e.value, low=e.low, high=e.high, log_sd=e.log_sd)


def _stored_groups(groups: Sequence[GroupEstimate], series: Sequence[SeriesEstimate]) -> list[StoredGroup]:
    out = [
        StoredGroup(
            **_group_fields(g.group),
            family=g.family,
            cumulative=False,
            estimate=_factor(g.estimate),
            statements=g.statements,
            claimants=g.claimants,
        )
        for g in groups
    ]
    out += [
        StoredGroup(
            **_group_fields(s.series),
            family=s.family,
            cumulative=True,
            estimate=_factor(s.points[-1].estimate),
            statements=s.statements,
            claimants=s.claimants,
            trajectory=[(p.on, p.estimate.value, p.estimate.low, p.estimate.high) for p in s.points],
        )
        for s in series
    ]
    return out


_GROUPS = TypeAdapter(list[StoredGroup])
_NO_GROUPS = '"groups":[]}'


def stored_json(fit: BiasFit, batch: int = 5_000) -> str:
    """``stored(fit)`` as JSON, its groups serialised a batch at a time: a fit over a million figures
    has tens of thousands of groups, and their models all at once would take more memory than the
    fit itself. The same text as ``stored(fit).model_dump_json()``."""
    head = stored(replace(fit, groups=(), series=())).model_dump_json()
    assert head.endswith(_NO_GROUPS)  # groups is StoredFit's last field
    parts: list[str] = []
    for start in range(0, len(fit.groups), batch):
        parts.append(_GROUPS.dump_json(_stored_groups(fit.groups[start : start + batch], ())).decode()[1:-1])
    for start in range(0, len(fit.series), batch):
        parts.append(_GROUPS.dump_json(_stored_groups((), fit.series[start : start + batch])).decode()[1:-1])
    return head[: -len(_NO_GROUPS)] + '"groups":[' + ",".join(p for p in parts if p) + "]}"


def stored(fit: BiasFit, statements: Sequence[Statement] = ()) -> StoredFit:
    """The domain's result as the typed JSON the table keeps (groups by their database keys)."""
    groups = _stored_groups(fit.groups, fit.series)
    return StoredFit(
        sigma=fit.sigma,
        tau=fit.tau,
        anchored=fit.anchored,
        converged=fit.converged,
        em_rounds=fit.em_rounds,
        iterations=fit.iterations,
        claimants=[
            StoredClaimant(
                claimant_id=c.claimant_id,
                affiliation=c.affiliation,
                party=c.party,
                family=c.family,
                factor=_factor(c.factor),
                groups=c.groups,
                statements=c.statements,
                reference=c.reference,
                influential=[
                    StoredInfluence(figure_id=i.statement_id, ratio=i.ratio, effect=i.effect) for i in c.influential
                ],
            )
            for c in fit.claimants
        ],
        affiliations=[
            StoredAffiliation(
                affiliation=a.affiliation,
                party=a.party,
                family=a.family,
                factor=_factor(a.factor),
                claimants=a.claimants,
                groups=a.groups,
                statements=a.statements,
            )
            for a in fit.affiliations
        ],
        groups=groups,
    )


def _group_fields(key: str) -> dict[str, Any]:
    k = GroupKey.parse(key)
    return {"event_id": k.event_id, "metric": k.metric, "scope_id": k.scope_id}


# --- reading the latest fit ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Latest:
    """The latest run, the run whose result is served (the latest that did not fail), its result."""

    attempt: BiasFitRow | None
    served: BiasFitRow | None
    fit: StoredFit | None


_parsed: dict[tuple[int, datetime], StoredFit] = {}  # by run id and time: ids restart in a new database
_parsed_lock = Lock()


def latest(engine: Engine) -> Latest:
    """The stored fit (parsed once per process and run)."""
    with Session(engine) as session:
        rows = list(session.execute(select(BiasFitRow).order_by(col(BiasFitRow.id).desc()).limit(2)).scalars())
    attempt = rows[0] if rows else None
    served = next((r for r in rows if r.status != FitStatus.failed.value), None)
    fit = None
    if served is not None and served.result is not None and served.id is not None:
        with _parsed_lock:
            key = (served.id, served.fitted_at)
            fit = _parsed.get(key)
            if fit is None:
                fit = StoredFit.model_validate_json(served.result)
                _parsed.clear()
                _parsed[key] = fit
    return Latest(attempt, served, fit)


def fit_info(engine: Engine, found: Latest) -> FitInfo:
    """What a read says about the fit behind it: when, and how far the data moved since."""
    now = cursor(engine)
    attempt, served = found.attempt, found.served
    if served is None:
        return FitInfo(
            fitted=False,
            status=None if attempt is None else FitStatus(attempt.status),
            error=None if attempt is None else attempt.error,
            changes_since=now.change_id,
            message="no fit yet: run `countercheck fit` or POST /bias/fit, or wait for the background fit",
        )
    changes = max(now.change_id - served.change_id, now.figure_id - served.figure_id, 0)
    stale = (now.change_id, now.figure_id) != (served.change_id, served.figure_id)
    when = f"{served.fitted_at:%Y-%m-%d %H:%M} UTC"
    state = f"{changes} change{'s' if changes != 1 else ''} since (stale: a new fit follows)" if stale else "up to date"
    fit = found.fit
    failed = attempt is not None and attempt.status == FitStatus.failed.value
    message = f"fitted {when}; {state}" if fit is not None else f"fitted {when}: no counted figure to fit; {state}"
    if failed and attempt is not None:
        message += f"; the latest run failed ({attempt.error})"
    return FitInfo(
        fitted=fit is not None,
        fit_id=served.id,
        fitted_at=served.fitted_at,
        status=FitStatus(attempt.status) if attempt is not None else None,
        statements=served.statements,
        dropped=served.dropped,
        duration_seconds=served.duration_seconds,
        stale=stale,
        changes_since=changes,
        anchored=fit.anchored if fit else False,
        sigma=fit.sigma if fit else None,
        tau=fit.tau if fit else None,
        error=attempt.error if failed and attempt is not None else None,
        message=message,
    )


def is_current(engine: Engine) -> bool:
    """The stored fit saw the data as it is now (a run, failed or not, counts: no retry loop)."""
    with Session(engine) as session:
        row = session.execute(select(BiasFitRow).order_by(col(BiasFitRow.id).desc()).limit(1)).scalars().first()
    return row is not None and Cursor(row.change_id, row.figure_id) == cursor(engine)


# --- GET /bias ------------------------------------------------------------------------------------
BIAS_SORTS = ("factor", "low", "high", "groups", "statements", "claimants", "claimant_id", "affiliation", "family")


@dataclass(frozen=True, slots=True)
class BiasQuery:
    by: str = "claimant"  # or "affiliation"
    claimant_id: int | None = None
    affiliation: str | None = None
    party: Party | None = None
    family: str | None = None
    min_groups: int | None = None


def bias_rows(engine: Engine, q: BiasQuery, sort: str | None) -> tuple[FitInfo, list[BiasRow]]:
    """Every bias the latest fit found, filtered and sorted (default: the largest factor first)."""
    order = _bias_order(sort)
    found = latest(engine)
    info = fit_info(engine, found)
    rows = _all_rows(engine, found.fit, q.by) if found.fit else []
    want = q.affiliation.strip().casefold() if q.affiliation else None
    rows = [
        r
        for r in rows
        if (q.claimant_id is None or r.claimant_id == q.claimant_id)
        and (want is None or (r.affiliation or "").strip().casefold() == want)
        and (q.party is None or r.party is q.party)
        and (q.family is None or r.family == q.family)
        and (q.min_groups is None or r.groups >= q.min_groups)
    ]
    return info, order(rows)


def _bias_order(sort: str | None) -> Callable[[list[BiasRow]], list[BiasRow]]:
    name = (sort or "-factor").lstrip("-")
    if name not in BIAS_SORTS:
        raise Invalid(f"cannot sort biases by {name!r}; sortable: {', '.join(BIAS_SORTS)}", field="sort")
    descending = (sort or "-factor").startswith("-")

    def ordered(rows: list[BiasRow]) -> list[BiasRow]:
        ties = sorted(rows, key=lambda r: (r.family, r.claimant_id or 0, r.affiliation or "", r.party))
        return sorted(ties, key=lambda r: _sort_value(getattr(r, name)), reverse=descending)

    return ordered


def _sort_value(value: Any) -> tuple[bool, Any]:
    return (value is None, value if value is not None else 0)


def _all_rows(engine: Engine, fit: StoredFit, by: str) -> list[BiasRow]:
    if by == "affiliation":
        return [_row(a, a.claimants, None, None, reference=False) for a in fit.affiliations]
    names = _names(engine, {c.claimant_id for c in fit.claimants})
    return [_row(c, 1, c.claimant_id, names.get(c.claimant_id), reference=c.reference) for c in fit.claimants]


def _row(
    found: StoredClaimant | StoredAffiliation,
    claimants: int,
    claimant_id: int | None,
    claimant_name: str | None,
    *,
    reference: bool,
) -> BiasRow:
    """One row of the list: who (a claimant, or a side's shared habit) and its factor."""
    return BiasRow(
        claimant_id=claimant_id,
        claimant_name=claimant_name,
        affiliation=found.affiliation,
        party=found.party,
        family=found.family,
        factor=found.factor.value,
        low=found.factor.low,
        high=found.factor.high,
        log_sd=found.factor.log_sd,
        groups=found.groups,
        statements=found.statements,
        claimants=claimants,
        reference=reference,
    )


def _names(engine: Engine, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    with Session(engine) as session:
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            rows = session.execute(select(col(Source.id), col(Source.name)).where(col(Source.id).in_(chunk)))
            found.update({int(i): str(n) for i, n in rows})
    return found


def bias_page(engine: Engine, q: BiasQuery, page: PageRequest, next_url: Callable[[int], str]) -> BiasPage:
    if page.after is not None:
        raise Invalid("biases are ordered by factor: page them with offset", field="after")
    info, rows = bias_rows(engine, q, page.sort)
    items = rows[page.offset : page.offset + page.limit]
    more = page.offset + page.limit < len(rows)
    return BiasPage(
        fit=info,
        items=items,
        total=len(rows),
        limit=page.limit,
        offset=page.offset,
        next=next_url(page.offset + page.limit) if more else None,
    )


# --- GET /sources/{id}/bias ------------------------------------------------------------------------
def source_bias(engine: Engine, source_id: int) -> SourceBias:
    with Session(engine) as session:
        source = get_or_404(session, Source, source_id)
        name, affiliation, reference = source.name, source.affiliation, source.reference
    found = latest(engine)
    info = fit_info(engine, found)
    mine = [c for c in found.fit.claimants if c.claimant_id == source_id] if found.fit else []
    figures = _figures(engine, {i.figure_id for c in mine for i in c.influential if i.figure_id is not None})
    mine.sort(key=lambda c: (-abs(math.log(c.factor.value)), c.family, c.party))
    return SourceBias(
        source=SourceRef(id=source_id, name=name),
        affiliation=affiliation,
        reference=reference,
        fit=info,
        items=[
            SourceBiasRow(
                party=c.party,
                family=c.family,
                factor=c.factor.value,
                low=c.factor.low,
                high=c.factor.high,
                groups=c.groups,
                statements=c.statements,
                reference=c.reference,
                influential=[_influence(i, figures) for i in c.influential if i.figure_id is not None],
            )
            for c in mine
        ],
    )


@dataclass(frozen=True, slots=True)
class _FigureNote:
    event: Named
    metric: str
    words: str | None
    low: float
    high: float | None


def _figures(engine: Engine, ids: set[int]) -> dict[int, _FigureNote]:
    if not ids:
        return {}
    with Session(engine) as session:
        rows = session.execute(
            select(col(Figure.id), col(Event.id), col(Event.name), col(Figure.metric))
            .add_columns(col(Figure.text), col(Figure.low), col(Figure.high))
            .join(Event, col(Event.id) == col(Figure.event_id))
            .where(col(Figure.id).in_(sorted(ids)))
        )
        return {int(r[0]): _FigureNote(Named(id=r[1], name=r[2]), r[3], r[4], r[5], r[6]) for r in rows}


def _influence(i: StoredInfluence, figures: dict[int, _FigureNote]) -> InfluentialOut:
    assert i.figure_id is not None
    note = figures.get(i.figure_id)
    return InfluentialOut(
        figure_id=i.figure_id,
        event=note.event if note else None,
        metric=note.metric if note else None,
        words=note.words if note else None,
        low=note.low if note else None,
        high=note.high if note else None,
        ratio=i.ratio,
        effect=i.effect,
    )


# --- GET /events/{id}/estimate, and the model estimate of a report --------------------------------
def event_groups(engine: Engine, event_id: int) -> tuple[FitInfo, list[StoredGroup]]:
    """The latest fit's estimates of the event's groups and series (404 when no such event)."""
    with Session(engine) as session:
        get_or_404(session, Event, event_id)
    found = latest(engine)
    groups = [g for g in found.fit.groups if g.event_id == event_id] if found.fit else []
    return fit_info(engine, found), groups


def event_estimate(engine: Engine, event_id: int, metric: str | None) -> EventEstimate:
    info, groups = event_groups(engine, event_id)
    groups = [g for g in groups if metric is None or g.metric == metric]
    with Session(engine) as session:
        event = get_or_404(session, Event, event_id)
        scope_ids = sorted({g.scope_id for g in groups if g.scope_id is not None})
        names = {
            int(i): str(n)
            for i, n in session.execute(select(col(Scope.id), col(Scope.name)).where(col(Scope.id).in_(scope_ids)))
        }
    groups.sort(key=lambda g: (g.metric, g.scope_id or 0, g.cumulative))
    return EventEstimate(
        event=Named(id=event_id, name=event.name),
        fit=info,
        groups=[
            GroupEstimateOut(
                metric=g.metric,
                scope=None if g.scope_id is None else Named(id=g.scope_id, name=names.get(g.scope_id, "")),
                family=g.family,
                cumulative=g.cumulative,
                value=g.estimate.value,
                low=g.estimate.low,
                high=g.estimate.high,
                statements=g.statements,
                claimants=g.claimants,
                trajectory=[TrajectoryOut(on=d, value=v, low=lo, high=hi) for d, v, lo, hi in g.trajectory],
            )
            for g in groups
        ],
    )
