"""One tree walker for every adjacency list: sources, events and scopes hang from ``parent_id``,
relative figures from ``reference_id``.

Each walk is one recursive CTE (``select(...).cte(recursive=True)``, as the SQLAlchemy docs show for
adjacency lists), the same SQL on SQLite and PostgreSQL, and bounded: a walk stops one level past
``MAX_DEPTH``, and a chain that reaches that level is refused with 409 (``Conflict``) — a likely data
error, and a guard against a loop in stored data ever running away."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import CTE, ColumnElement, Table, func, literal, or_, select
from sqlmodel import Session, SQLModel

from app.errors import Conflict

MAX_DEPTH = 64  # at most this many ancestors above a record, and levels below it


def _table(model: type[SQLModel] | Table) -> Table:
    found: Table = model if isinstance(model, Table) else model.__table__  # type: ignore[attr-defined]
    return found


def walk(model: type[SQLModel] | Table, start: int, *, parent: str = "parent_id", up: bool = False) -> CTE:
    """Rows ``(id, depth)``: the ancestors of ``start`` (``up``) or its descendants, ``depth`` 1 for
    the parent or the children, at most ``MAX_DEPTH + 1`` levels (the last one only shows the walk
    went too deep). ``start`` itself is not in it."""
    t = _table(model)
    key, link = t.c.id, t.c[parent]
    if up:
        anchor = select(link.label("id"), literal(1).label("depth")).where(key == start, link.is_not(None))
    else:
        anchor = select(key.label("id"), literal(1).label("depth")).where(link == start)
    found = anchor.cte(f"{t.name}_{'ancestors' if up else 'descendants'}", recursive=True)
    step = t.alias()
    if up:
        more = select(step.c[parent], found.c.depth + 1).where(
            step.c.id == found.c.id, step.c[parent].is_not(None), found.c.depth <= MAX_DEPTH
        )
    else:
        more = select(step.c.id, found.c.depth + 1).where(step.c[parent] == found.c.id, found.c.depth <= MAX_DEPTH)
    return found.union_all(more)


def in_subtree(
    column: Any, model: type[SQLModel] | Table, start: int, *, parent: str = "parent_id"
) -> ColumnElement[bool]:
    """``column`` is ``start`` or a record under it: one condition, the walk a subquery (bounded by
    ``MAX_DEPTH + 1`` levels, which no tree written through the service reaches)."""
    below = walk(model, start, parent=parent)
    return or_(column == start, column.in_(select(below.c.id)))


def _run(session: Session, model: type[SQLModel] | Table, start: int, parent: str, up: bool) -> list[int]:
    found = walk(model, start, parent=parent, up=up)
    rows = session.execute(select(found.c.id, found.c.depth).order_by(found.c.depth, found.c.id)).all()
    if rows and rows[-1][1] > MAX_DEPTH:
        where = "above" if up else "below"
        raise Conflict(
            f"the {parent.removesuffix('_id')} chain {where} {_table(model).name} {start} is deeper than {MAX_DEPTH}"
        )
    return [int(row[0]) for row in rows]


def ancestors(session: Session, model: type[SQLModel] | Table, ident: int, *, parent: str = "parent_id") -> list[int]:
    """The records above ``ident``, nearest first. 409 past ``MAX_DEPTH``."""
    return _run(session, model, ident, parent, up=True)


def descendants(session: Session, model: type[SQLModel] | Table, ident: int, *, parent: str = "parent_id") -> list[int]:
    """The records below ``ident``, level by level (children first). 409 past ``MAX_DEPTH`` levels."""
    return _run(session, model, ident, parent, up=False)


def subtrees(
    session: Session, model: type[SQLModel] | Table, idents: Sequence[int], *, parent: str = "parent_id"
) -> set[int]:
    """The given records and every record below any of them."""
    found = set(idents)
    for ident in idents:
        found.update(descendants(session, model, ident, parent=parent))
    return found


def would_cycle(
    session: Session, model: type[SQLModel] | Table, ident: int | None, new_parent: int, *, parent: str = "parent_id"
) -> bool:
    """Whether hanging ``ident`` (None: a new record) from ``new_parent`` makes it its own ancestor.
    409 when the move would put a record more than ``MAX_DEPTH`` records deep: the new parent's
    chain plus the levels under ``ident``."""
    chain = [new_parent, *ancestors(session, model, new_parent, parent=parent)]
    if ident is not None and ident in chain:
        return True
    below = 0 if ident is None else _height(session, model, ident, parent)
    if len(chain) + below > MAX_DEPTH:
        name = _table(model).name
        raise Conflict(
            f"the {parent.removesuffix('_id')} chain of {name} {new_parent} is deeper than {MAX_DEPTH}"
            + (f" with the {below} levels under {name} {ident}" if below else ""),
            field=parent,
        )
    return False


def _height(session: Session, model: type[SQLModel] | Table, ident: int, parent: str) -> int:
    found = walk(model, ident, parent=parent)
    deepest = session.execute(select(func.max(found.c.depth))).scalar_one_or_none()
    return int(deepest or 0)
