"""Create, update, list and delete for the records that need no domain logic:
sources, documents, events, scopes and metrics."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select

from app.errors import Conflict
from app.models.common import Tracked
from app.models.entities import Document, Event, Metric, Scope, Source
from app.models.filters import Filters
from app.services import filtering, history
from app.services.common import (
    PageRequest,
    apply_changes,
    check_parent,
    check_version,
    get_or_404,
    order_by,
    page_rows,
    require,
    validate_as,
)

UniqueCheck = Callable[[Session, dict[str, Any], Any], None]


R = TypeVar("R", bound=Tracked)


@dataclass(frozen=True)
class Spec(Generic[R]):
    """What differs between the simple records: references to check, unique keys, sortable fields."""

    model: type[R]
    references: dict[str, type[SQLModel]] = field(default_factory=dict)
    unique: UniqueCheck | None = None
    hierarchical: bool = False
    sortable: tuple[str, ...] = ("id",)


def _source_unique(session: Session, values: dict[str, Any], ident: Any) -> None:
    stmt = select(col(Source.id)).where(col(Source.name) == values["name"], col(Source.id) != ident)
    parent = values.get("parent_id")
    stmt = stmt.where(col(Source.parent_id).is_(None) if parent is None else col(Source.parent_id) == parent)
    if session.execute(stmt).first():
        where = f"under source {parent}" if parent else "at the top level"
        raise Conflict(f"a source named {values['name']!r} already exists {where}", field="name")


def _document_unique(session: Session, values: dict[str, Any], ident: Any) -> None:
    url = values.get("url")
    same = select(col(Document.id)).where(col(Document.url) == url, col(Document.id) != ident)
    if url and session.execute(same).first():
        raise Conflict(f"a document with url {url!r} already exists", field="url")


def _scope_unique(session: Session, values: dict[str, Any], ident: Any) -> None:
    if session.execute(select(col(Scope.id)).where(col(Scope.name) == values["name"], col(Scope.id) != ident)).first():
        raise Conflict(f"a scope named {values['name']!r} already exists", field="name")


def _metric_unique(session: Session, values: dict[str, Any], ident: Any) -> None:
    if session.get(Metric, values["name"]) is not None:
        raise Conflict(f"metric {values['name']!r} already exists", field="name")


TIMES = ("created_at", "updated_at")
SOURCES = Spec(Source, {"parent_id": Source}, _source_unique, True, ("id", "name", "kind", "affiliation", *TIMES))
DOCUMENTS = Spec(
    Document,
    {"publisher_id": Source},
    _document_unique,
    False,
    ("id", "title", "published_at", *TIMES),
)
EVENTS = Spec(Event, {"parent_id": Event}, None, True, ("id", "name", "started_at", "ended_at", *TIMES))
SCOPES = Spec(Scope, {"parent_id": Scope}, _scope_unique, True, ("id", "name", *TIMES))
METRICS = Spec(Metric, {}, _metric_unique, False, ("name", *TIMES))


def _check(session: Session, spec: Spec[Any], values: dict[str, Any], ident: Any) -> None:
    for name, target in spec.references.items():
        if name == "parent_id" and spec.hierarchical:
            check_parent(session, spec.model, ident, values.get(name))
        else:
            require(session, target, values.get(name), name)
    if spec.unique:
        spec.unique(session, values, ident)


def create(session: Session, spec: Spec[R], data: SQLModel) -> R:
    values = data.model_dump()
    _check(session, spec, values, None)
    row = spec.model.model_validate(values)
    session.add(row)
    session.flush()
    history.record(session, row, "create", None)
    return row


def create_id(session: Session, spec: Spec[Any], data: SQLModel) -> int:
    """``create``, for callers that keep only the new record's id."""
    ident = getattr(create(session, spec, data), "id", None)
    assert isinstance(ident, int), "a record with an integer id was created"
    return ident


def update(session: Session, spec: Spec[R], ident: Any, data: SQLModel, if_match: str | None = None) -> R:
    row: R = get_or_404(session, spec.model, ident)
    changes = data.model_dump(exclude_unset=True)
    merged = {**row.model_dump(), **changes}
    _validate_merged(spec, merged)
    _check(session, spec, merged, ident)
    check_version(session, row, if_match)  # after: a bad body is a 422 whatever the version
    before = history.snapshot(row, session)
    apply_changes(row, changes)
    session.flush()
    history.record(session, row, "update", before)
    return row


def _validate_merged(spec: Spec[Any], merged: dict[str, Any]) -> None:
    """Re-run the model's own validators on the record as it will be after the PATCH."""
    base: type[BaseModel] = spec.model.__mro__[1]
    validate_as(base, merged)


def list_rows(
    session: Session, spec: Spec[Any], filters: Filters, page: PageRequest
) -> tuple[list[Tracked], int | None]:
    """One page of the records (rows of ``spec.model``), and the total matching."""
    stmt = filtering.apply(select(spec.model), filters)
    stmt = stmt.order_by(*order_by(spec.model, page.sort, spec.sortable))
    rows, total = page_rows(session, stmt, page, key=getattr(spec.model, "id", None))
    return [r[0] for r in rows], total


NoFilters = Filters  # a list without filters


def export_chunk(engine: Engine, spec: Spec[Any], filters: Filters, after: int, limit: int) -> list[dict[str, object]]:
    """One chunk of the records matching ``filters`` with id above ``after``, for a file."""
    key = spec.model.id
    stmt = filtering.apply(select(spec.model), filters)
    stmt = stmt.where(key > after).order_by(key).limit(limit)
    with Session(engine) as session:
        return [row.model_dump() for row in session.execute(stmt).scalars()]


def columns(spec: Spec[Any]) -> list[str]:
    return ["id", *(c for c in spec.model.model_fields if c != "id")]
