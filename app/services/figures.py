"""Figures: from words or explicit bounds to a stored interval, relative figures kept in step
with the figure they refer to, and the claimant joined in for every answer."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from app.db import fetch_one
from app.domain import wording
from app.domain.errors import DomainError, Unreadable
from app.domain.intervals import Bound, Interval
from app.domain.vocab import is_count_unit
from app.errors import Conflict, Invalid
from app.models.entities import (
    Claim,
    ClaimRelay,
    Event,
    Figure,
    FigureFields,
    FigureInput,
    FigurePublic,
    FigureUpdate,
    IntervalSource,
    Metric,
    Scope,
    Source,
    SourceRef,
)
from app.models.filters import FigureFilters
from app.services import filtering, history, trees
from app.services.common import (
    PageRequest,
    apply_changes,
    check_version,
    get_or_404,
    order_by,
    page_rows,
    require,
    validate_as,
)
from app.services.summaries import as_utc

INTERVAL_FIELDS = ("bound", "low", "high", "central", "tolerance", "factor", "factor_bound")


@dataclass(frozen=True)
class Derived:
    """The interval columns of a figure, derived from its words or checked from explicit values,
    and which of the two it was (``interval_source``)."""

    bound: Bound
    low: float
    high: float | None
    central: float | None = None
    tolerance: float | None = None
    factor: float | None = None
    factor_bound: Bound | None = None
    source: IntervalSource = IntervalSource.read

    def columns(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in INTERVAL_FIELDS}, "interval_source": self.source}


def derive(session: Session, data: dict[str, Any], default_tolerance: float, prefix: str = "") -> Derived:
    """Read ``text`` or check ``bound``/``low``/``high``; when both are given they must agree.
    Words the reader cannot read are kept when explicit ends are given too: the interval is then
    the one given (``interval_source`` ``given``)."""
    given = data.get("tolerance")
    tolerance = float(given) if given is not None else default_tolerance
    integer = is_count_unit(data.get("unit") or "people")
    reference = _reference_interval(session, data.get("reference_id"), prefix)
    if data.get("text"):
        try:
            derived = _from_words(data, tolerance, integer, reference, prefix)
        except Unreadable:
            if data.get("bound") is None:
                raise
            return _from_explicit(data, tolerance, integer, reference, prefix)
        _must_agree(derived, data, prefix)
        return derived
    if data.get("bound") is None:
        raise Invalid("give the figure's words in `text`, or `bound` with `low`/`high`", field=prefix + "text")
    return _from_explicit(data, tolerance, integer, reference, prefix)


def _reference_interval(session: Session, reference_id: int | None, prefix: str) -> Interval | None:
    if reference_id is None:
        return None
    ref = get_or_404(session, Figure, reference_id, prefix + "reference_id")
    return Interval(ref.low, ref.high)


def _from_words(
    data: dict[str, Any], tolerance: float, integer: bool, reference: Interval | None, prefix: str
) -> Derived:
    reading = wording.read(data["text"], tolerance=tolerance, integer=integer, reference=reference)
    if reading.bound is Bound.relative and reading.low is None:
        raise Invalid(
            f"{data['text']!r} is relative to another figure: give its `reference_id`",
            field=prefix + "reference_id",
        )
    if reading.bound is not Bound.relative and data.get("reference_id") is not None:
        raise Invalid(f"{data['text']!r} is not a relative figure: drop `reference_id`", field=prefix + "reference_id")
    assert reading.low is not None
    return Derived(
        reading.bound,
        reading.low,
        reading.high,
        reading.central,
        reading.tolerance,
        reading.factor,
        reading.factor_bound,
    )


def _must_agree(derived: Derived, data: dict[str, Any], prefix: str) -> None:
    for name in ("bound", "low", "high", "factor", "factor_bound"):
        given = data.get(name)
        if given is None:
            continue
        if given != getattr(derived, name):
            raise Invalid(
                f"`text` {data['text']!r} reads as {name}={getattr(derived, name)!r}, "
                f"but {name}={given!r} was given; send one of them or make them agree",
                field=prefix + name,
            )


def _from_explicit(
    data: dict[str, Any], tolerance: float, integer: bool, reference: Interval | None, prefix: str
) -> Derived:
    bound = Bound(data["bound"])
    if bound is Bound.relative:
        factor, factor_bound = data.get("factor"), data.get("factor_bound")
        if reference is None or factor is None or factor_bound is None:
            raise Invalid(
                "a relative figure needs `reference_id`, `factor` and `factor_bound`", field=prefix + "reference_id"
            )
        interval = wording.derive_relative(reference, factor, Bound(factor_bound), tolerance=tolerance, integer=integer)
        given = IntervalSource.given
        return Derived(bound, interval.low, interval.high, None, tolerance, factor, Bound(factor_bound), given)
    if data.get("low") is None:
        raise Invalid(f"bound {bound.value} needs `low`", field=prefix + "low")
    try:
        interval = wording.check_explicit(bound, data["low"], data.get("high"), integer=integer)
    except DomainError as exc:
        raise Invalid(str(exc), field=prefix + "high") from exc
    central = interval.low if bound is Bound.exact else None
    return Derived(bound, interval.low, interval.high, central, None, source=IntervalSource.given)


def check_refs(session: Session, data: dict[str, Any], prefix: str = "") -> None:
    require(session, Event, data.get("event_id"), prefix + "event_id")
    require(session, Metric, data.get("metric"), prefix + "metric")
    require(session, Scope, data.get("scope_id"), prefix + "scope_id")


def named_rows(session: Session, bodies: Sequence[FigureInput]) -> list[Any]:
    """The events and metrics that ``bodies`` name, each read once. Hold the list while building
    them: the session's identity map keeps a row only while something refers to it, so otherwise
    every figure reads its event and its metric again (twice: to check it, then for its period)."""
    wanted = ((Event, {b.event_id for b in bodies}), (Metric, {b.metric for b in bodies}))
    return [row for model, idents in wanted for ident in idents if (row := session.get(model, ident)) is not None]


def build(session: Session, claim_id: int, body: FigureInput, tolerance: float, prefix: str = "") -> Figure:
    """A new figure row for a claim, its interval derived; flushed so it has an id."""
    data = body.model_dump()
    check_refs(session, data, prefix)
    derived = derive(session, data, tolerance, prefix)
    fields = {k: v for k, v in data.items() if k in Figure.model_fields and k not in {*INTERVAL_FIELDS, "claim_id"}}
    if fields.get("period") is None:  # the metric says what its figures count unless the figure does
        fields["period"] = get_or_404(session, Metric, data["metric"], prefix + "metric").period
    row = Figure(**fields, **derived.columns(), claim_id=claim_id)
    session.add(row)
    session.flush()
    history.record(session, row, "create", None)
    return row


def update(session: Session, ident: int, body: FigureUpdate, tolerance: float, if_match: str | None = None) -> Figure:
    row = get_or_404(session, Figure, ident)
    changes = body.model_dump(exclude_unset=True)
    merged = {**row.model_dump(), **changes}
    validate_as(FigureFields, merged)  # "metric": null and the like are 422, not a NOT NULL failure
    if "period" in changes and changes["period"] is None:
        raise Invalid("a figure counts a period: event, day, week or cumulative", field="period")
    if "claim_id" in changes:
        if changes["claim_id"] is None:
            raise Invalid("a figure belongs to a claim: claim_id cannot be null", field="claim_id")
        require(session, Claim, changes["claim_id"], "claim_id")
    check_refs(session, merged, "")
    if changes.get("reference_id") is not None:
        _check_reference_cycle(session, ident, changes["reference_id"])
    rederive = {"text", "bound", "low", "high", "unit", "tolerance", "reference_id", "factor", "factor_bound"}
    if rederive & changes.keys():
        merged = _words_or_explicit(merged, changes)
        if row.interval_source is IntervalSource.given and not {"text", "bound", "low", "high"} & changes.keys():
            derived = derive(session, {**merged, "text": None}, tolerance)  # its ends were given: keep them
        else:
            derived = derive(session, merged, tolerance)
        changes = {**changes, "text": merged["text"], **derived.columns()}
    # Only a valid change meets the version check (a bad body is a 422 whatever the version); with
    # the version matched, the row read above is the current one.
    check_version(session, row, if_match)
    before = history.snapshot(row)
    apply_changes(row, changes)
    session.flush()
    history.record(session, row, "update", before)
    rederive_dependents(session, row, tolerance)
    return row


def _words_or_explicit(merged: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """On update, new explicit values replace the old words and new words replace old values."""
    explicit = {"bound", "low", "high"} & changes.keys()
    if explicit and "text" not in changes:
        return {**merged, "text": None}
    if "text" in changes and not explicit:
        return {**merged, **dict.fromkeys(("bound", "low", "high", "factor", "factor_bound"))}
    return merged


def _check_reference_cycle(session: Session, ident: int, reference_id: int) -> None:
    if trees.would_cycle(session, Figure, ident, reference_id, parent="reference_id"):
        raise Conflict(f"figure {ident} cannot refer to {reference_id}: the reference would loop", field="reference_id")


def rederive_dependents(session: Session, row: Figure, tolerance: float) -> None:
    """Relative figures follow the figure they refer to, in the same transaction: every figure down
    the reference chains, level by level, so each is derived from its reference's new interval."""
    assert row.id is not None
    below = trees.descendants(session, Figure, row.id, parent="reference_id")
    if not below:
        return
    found = {row.id: row}
    found.update((dep.id, dep) for dep in session.execute(select(Figure).where(col(Figure.id).in_(below))).scalars())
    for ident in below:  # nearest first: a reference is always re-derived before what refers to it
        dep = found[ident]
        assert dep.reference_id is not None and dep.factor is not None and dep.factor_bound is not None
        current = found[dep.reference_id]
        interval = wording.derive_relative(
            Interval(current.low, current.high),
            dep.factor,
            Bound(dep.factor_bound),
            tolerance=dep.tolerance if dep.tolerance is not None else tolerance,
            integer=is_count_unit(dep.unit),
        )
        if (dep.low, dep.high) != (interval.low, interval.high):
            before = history.snapshot(dep)
            apply_changes(dep, {"low": interval.low, "high": interval.high})
            history.record(session, dep, "update", before)
    session.flush()


# --- reading ------------------------------------------------------------------------------------
def with_claimant() -> Select[Figure, int | None, str]:
    """Figures with their claimant's id and name (a figure is answered with its claimant)."""
    return (
        select(Figure, col(Source.id), col(Source.name))
        .join(Claim, col(Claim.id) == col(Figure.claim_id))
        .join(Source, col(Source.id) == col(Claim.claimant_id))
    )


def public(row: Figure, claimant_id: int, claimant_name: str) -> FigurePublic:
    return _public(row.model_dump(), claimant_id, claimant_name)


def _public(fields: Mapping[str, object], claimant_id: int, claimant_name: str) -> FigurePublic:
    """The one place a figure meets its claimant: from a row (the ORM) or from the driver's columns."""
    return FigurePublic.model_validate({**fields, "claimant": SourceRef(id=claimant_id, name=claimant_name)})


FIGURE_COLUMNS = ("id", *(name for name in Figure.model_fields if name != "id"))
ONE_FIGURE = (
    f"SELECT {', '.join('f.' + c for c in FIGURE_COLUMNS)}, s.id, s.name FROM figure f "
    "JOIN claim c ON c.id = f.claim_id JOIN source s ON s.id = c.claimant_id WHERE f.id = {mark}"
)


def read_one_lean(engine: Engine, ident: int) -> FigurePublic | None:
    """One figure by id through the driver itself: the hot read path, without the ORM (a pooled
    DBAPI connection and one indexed query, tens of microseconds), validated once into the model."""
    row = fetch_one(engine, ONE_FIGURE, (ident,))
    if row is None:
        return None
    found = dict(zip(FIGURE_COLUMNS, row, strict=False))
    for stamp in ("created_at", "updated_at"):
        found[stamp] = as_utc(found[stamp])
    return _public(found, int(row[-2]), str(row[-1]))


def read_one(session: Session, ident: int) -> FigurePublic:
    found = session.execute(with_claimant().where(col(Figure.id) == ident)).first()
    if found is None:
        get_or_404(session, Figure, ident)
    assert found is not None
    return public(*found)


SORTABLE = ("id", "low", "high", "metric", "bound", "created_at", "updated_at")


def list_figures(session: Session, filters: FigureFilters, page: PageRequest) -> tuple[list[FigurePublic], int | None]:
    stmt = filtering.apply(with_claimant(), filters).order_by(*order_by(Figure, page.sort, SORTABLE))
    rows, total = page_rows(session, stmt, page, key=col(Figure.id))
    return [public(*r) for r in rows], total


def rederive_all(session: Session, tolerance: float) -> tuple[int, int]:
    """Re-read every figure whose words depend on the tolerance ("around 100"), and re-derive the
    relative figures that follow them. Explicit bounds are the user's and stay. Returns
    (examined, changed)."""
    examined = changed = 0
    stmt = select(Figure).where(col(Figure.tolerance).is_not(None), col(Figure.text).is_not(None))
    for row in session.execute(stmt.order_by(col(Figure.id))).scalars():
        examined += 1
        words = {k: v for k, v in row.model_dump().items() if k not in INTERVAL_FIELDS}
        derived = derive(session, {**words, "tolerance": tolerance}, tolerance)
        moved = (derived.low, derived.high) != (row.low, row.high)
        changed += int(moved)
        before = history.snapshot(row)
        apply_changes(row, derived.columns())
        session.flush()
        history.record(session, row, "update", before)
        if moved:
            rederive_dependents(session, row, tolerance)
    return examined, changed


EXPORT_COLUMNS = [
    *FIGURE_COLUMNS,
    "event_name",
    "scope_name",
    "claimant_id",
    "claimant_name",
    "relays",
    "stated_at",
    "modality",
    "quote",
]


def export_chunk(engine: Engine, filters: FigureFilters, after: int, limit: int) -> list[dict[str, object]]:
    """One chunk of the figures matching ``filters`` with id above ``after``, flat, for a file: each
    with its event's and scope's names, its claimant, the sources it came through (in order, joined
    by " > "), when it was stated, how firmly, and the quote it was read in."""
    stmt = select(  # type: ignore[call-overload]
        Figure, Source.id, Source.name, Claim.stated_at, Claim.modality, Claim.quote, Event.name, Scope.name
    )
    stmt = (
        stmt.join(Claim, col(Claim.id) == col(Figure.claim_id))
        .join(Source, col(Source.id) == col(Claim.claimant_id))
        .join(Event, col(Event.id) == col(Figure.event_id))
        .outerjoin(Scope, col(Scope.id) == col(Figure.scope_id))
    )
    stmt = filtering.apply(stmt, filters)
    stmt = stmt.where(col(Figure.id) > after).order_by(col(Figure.id)).limit(limit)
    with Session(engine) as session:
        rows = list(session.execute(stmt))
        relays = _relay_names(session, {fig.claim_id for fig, *_ in rows})
        return [
            {
                **fig.model_dump(),
                "event_name": event,
                "scope_name": scope,
                "claimant_id": sid,
                "claimant_name": name,
                "relays": " > ".join(relays.get(fig.claim_id, [])),
                "stated_at": stated,
                "modality": modality,
                "quote": quote,
            }
            for fig, sid, name, stated, modality, quote, event, scope in rows
        ]


def _relay_names(session: Session, claim_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    stmt = (
        select(col(ClaimRelay.claim_id), col(Source.name))
        .join(Source, col(Source.id) == col(ClaimRelay.source_id))
        .where(col(ClaimRelay.claim_id).in_(claim_ids))
        .order_by(col(ClaimRelay.claim_id), col(ClaimRelay.position))
    )
    for claim_id, name in session.execute(stmt):
        found.setdefault(int(claim_id), []).append(str(name))
    return found
