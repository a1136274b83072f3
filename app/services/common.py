"""Helpers every resource uses: load-or-404, updates that bump the version, parent cycles,
pagination and sorting, and deletes that answer 409 with their dependents unless cascaded."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import ColumnElement, CursorResult, Select, Table, delete, func, select, update
from sqlmodel import Session, SQLModel

from app.errors import Conflict, Invalid, NotFound, PreconditionFailed
from app.models.common import utcnow
from app.models.entities import Claim, ClaimRelay, Document
from app.services import history, trees

M = TypeVar("M", bound=SQLModel)


def table(model: type[SQLModel]) -> Table:
    found: Table = model.__table__  # type: ignore[attr-defined]
    return found


def label(model: type[SQLModel]) -> str:
    return table(model).name


def get_or_404(session: Session, model: type[M], ident: Any, field: str | None = None) -> M:
    """Load a row by primary key or raise NotFound naming the resource (and the body field)."""
    row = session.get(model, ident)
    if row is None:
        where = f" (field {field})" if field else ""
        raise NotFound(f"{label(model)} {ident} does not exist{where}", field=field)
    return row


def require(session: Session, model: type[SQLModel], ident: Any, field: str) -> None:
    """A body field that names another record: it must exist."""
    if ident is not None:
        get_or_404(session, model, ident, field)


def etag(version: int) -> str:
    return f'"{version}"'


def check_version(session: Session, row: Any, if_match: str | None) -> None:
    """Honour ``If-Match``: the change applies only to the version the client read. The check is an
    UPDATE that also locks the row until commit, so of two editors holding one version exactly one
    wins and the other gets 412 — never a silent overwrite."""
    if if_match is None or if_match.strip() == "*":
        return
    wanted = [tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")]
    key = next(iter(table(type(row)).primary_key.columns))
    # a version is a counter: anything else (or beyond 64 bits) names no version we ever sent
    versions = [int(v) for v in wanted if v.isascii() and v.isdigit() and len(v) <= 18]
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(table(type(row)))
        .where(key == getattr(row, key.name), table(type(row)).c.version.in_(versions))
        .values(version=table(type(row)).c.version)
    )
    if not result.rowcount:
        session.refresh(row)
        raise PreconditionFailed(
            f"{label(type(row))} {getattr(row, key.name)} is at version {row.version}, not {if_match}: "
            "read it again and re-apply your change",
            current_version=row.version,
        )
    session.refresh(row)


def apply_changes(row: Any, changes: dict[str, Any]) -> None:
    """Set fields from a PATCH body and bump the version and updated_at."""
    for key, value in changes.items():
        setattr(row, key, value)
    row.version += 1
    row.updated_at = utcnow()


def validate_as(base: type[BaseModel], merged: dict[str, Any]) -> None:
    """Re-run a model's own validators on a record as it will be after a PATCH: a field the
    record cannot be without (``"name": null``) is refused as 422, not left to the database."""
    try:
        base.model_validate({k: v for k, v in merged.items() if k in base.model_fields})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise Invalid(first["msg"].removeprefix("Value error, "), field=field) from exc


def check_parent(session: Session, model: type[SQLModel], ident: int | None, parent_id: int | None) -> None:
    """The parent must exist and must not be the record itself or one of its descendants."""
    if parent_id is None:
        return
    get_or_404(session, model, parent_id, "parent_id")
    if trees.would_cycle(session, model, ident, parent_id):
        raise Conflict(
            f"{label(model)} {ident} cannot have {parent_id} as parent: it would become its own ancestor",
            field="parent_id",
        )


# --- listing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageRequest:
    limit: int
    offset: int
    sort: str | None
    after: int | None = None  # keyset: ids above this, by id
    count: bool = True  # False: skip counting the total


def order_by(model: type[SQLModel], sort: str | None, allowed: Sequence[str]) -> list[ColumnElement[Any]]:
    """``sort=name`` or ``sort=-stated_at``; the id always breaks ties so pages are stable."""
    key = next(iter(table(model).primary_key.columns))
    if not sort:
        return [key]
    name = sort.lstrip("-")
    if name not in allowed:
        raise Invalid(f"cannot sort by {name!r}; sortable: {', '.join(allowed)}", field="sort")
    column = getattr(model, name)
    first = column.desc() if sort.startswith("-") else column.asc()
    return [first, key.desc() if sort.startswith("-") else key]


def page_rows(
    session: Session, stmt: Select[*tuple[Any, ...]], page: PageRequest, key: Any = None
) -> tuple[list[Any], int | None]:
    """One page and the total matching (None when not asked for). With ``after``, the page is
    the rows whose ``key`` (the id) is above it: an index range, however deep the page."""
    total = None
    if page.count:
        total = int(session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one())
    if page.after is not None:
        if key is None:
            raise Invalid("this list pages by offset only", field="after")
        stmt = stmt.where(key > page.after)
    rows = list(session.execute(stmt.limit(page.limit).offset(page.offset)).all())
    return rows, total


# --- deleting -----------------------------------------------------------------------------------
Dependent = tuple[type[SQLModel], Any, str]  # (dependent model, its column pointing here, its name in a 409)
# How a 409 names a table's rows, where it is not the table's name plus "s".
PLURAL = {"claim_relay": "relays"}


@cache
def dependents_of(model: type[SQLModel]) -> tuple[Dependent, ...]:
    """The records that keep ``model``'s rows from being deleted: every foreign key declared
    ``ondelete="RESTRICT"`` that points at its table, read from the models' metadata (a foreign key
    with CASCADE, a summary or an alias, goes with its row and is no dependent)."""
    target = table(model)
    models = {m.class_.__table__.name: m.class_ for m in SQLModel._sa_registry.mappers}
    found: list[Dependent] = []
    for dependent in target.metadata.sorted_tables:
        for key in sorted(dependent.foreign_keys, key=lambda k: k.parent.name):
            if key.column.table is target and key.ondelete == "RESTRICT" and dependent.name in models:
                kind = models[dependent.name]
                found.append((kind, getattr(kind, key.parent.name), PLURAL.get(dependent.name, f"{dependent.name}s")))
    return tuple(found)


# Dependents a cascade detaches instead of deleting: a document outlives its publisher.
DETACH = {(Document, "publisher_id")}


def dependents(session: Session, model: type[SQLModel], ident: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _table, column, name in dependents_of(model):
        n = session.execute(select(func.count()).where(column == ident)).scalar_one()
        if n:
            counts[name] = counts.get(name, 0) + int(n)
    return counts


def delete_row(
    session: Session, model: type[M], ident: Any, *, cascade: bool, if_match: str | None = None
) -> dict[str, int]:
    """Delete one row. Without ``cascade`` a row others depend on answers 409 listing them;
    with it, dependents are deleted (documents are detached from a deleted publisher).
    Returns how many rows of each kind went."""
    check_version(session, get_or_404(session, model, ident), if_match)
    found = dependents(session, model, ident)
    if found and not cascade:
        listed = ", ".join(f"{n} {name}" for name, n in found.items())
        raise Conflict(
            f"{label(model)} {ident} is referenced by {listed}; delete those first or pass cascade=true",
            dependents=found,
        )
    removed: dict[str, int] = {}
    _cascade(session, model, [ident], removed)
    return removed


def _cascade(session: Session, model: type[SQLModel], ids: list[Any], removed: dict[str, int]) -> None:
    for dependent, column, _name in dependents_of(model):
        if (dependent, column.key) in DETACH:
            session.execute(update(dependent).where(column.in_(ids)).values({column.key: None}))
            continue
        if dependent is ClaimRelay:
            session.execute(delete(ClaimRelay).where(column.in_(ids)))
            continue
        child_ids = list(session.execute(select(table(dependent).c.id).where(column.in_(ids))).scalars())
        child_ids = [c for c in child_ids if not (dependent is model and c in ids)]
        if child_ids:
            _cascade(session, dependent, child_ids, removed)
    history.record_deletes(session, model, ids)
    if model is Claim:
        session.execute(delete(ClaimRelay).where(table(ClaimRelay).c.claim_id.in_(ids)))
    key = next(iter(table(model).primary_key.columns))
    result: CursorResult[Any] = session.execute(delete(model).where(key.in_(ids)))  # type: ignore[assignment]
    removed[label(model)] = removed.get(label(model), 0) + int(result.rowcount or 0)
