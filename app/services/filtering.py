"""The one place a filter spec (``app.models.filters``) meets a statement: every list and every
CSV/NDJSON export applies its filters through ``apply``."""

import operator
from collections.abc import Callable
from typing import Any, Protocol, Self, TypeVar

from sqlalchemy import ColumnElement, select, tuple_

from app.models.filters import Filter, Filters, Op, Through
from app.services import trees


class Narrowable(Protocol):
    """A SELECT of any columns: ``where`` gives the same kind of statement back."""

    def where(self, *whereclause: Any) -> Self: ...


S = TypeVar("S", bound=Narrowable)
COMPARE: dict[Op, Callable[[Any, Any], Any]] = {
    Op.eq: operator.eq,
    Op.gt: operator.gt,
    Op.gte: operator.ge,
    Op.lt: operator.lt,
    Op.lte: operator.le,
}


def apply(stmt: S, filters: Filters) -> S:
    """``stmt`` narrowed by every filter given a value (the spec comes with the filters' model)."""
    for name, f, op in filters.spec.params():
        value = getattr(filters, name)
        if value is not None:
            stmt = stmt.where(condition(f, op, value))
    return stmt


def condition(f: Filter, op: Op, value: Any) -> ColumnElement[bool]:
    column = f.column
    if op is Op.search:
        test = column.ilike(f"%{_escape(value)}%", escape="\\")
    elif op is Op.within:
        test = trees.in_subtree(column, f.tree, value)
    elif op is Op.in_:
        test = column.in_(value)
    else:
        test = COMPARE[op](column, value)
    return test if f.through is None else _through(f.through, test)


def _through(through: Through, test: ColumnElement[bool]) -> ColumnElement[bool]:
    """``key IN (SELECT match FROM related [JOIN ...] WHERE test)``."""
    keys, matches = _columns(through.key), _columns(through.match)
    related = select(*matches)
    for table, on in through.join:
        related = related.join(table, on)
    related = related.where(test)
    key = keys[0] if len(keys) == 1 else tuple_(*keys)
    result: ColumnElement[bool] = key.in_(related)
    return result


def _columns(found: Any) -> tuple[Any, ...]:
    return tuple(found) if isinstance(found, tuple) else (found,)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
