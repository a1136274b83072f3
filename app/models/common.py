"""Pieces every table and schema shares: UTC timestamps, the version counter, list envelopes."""

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator
from sqlalchemy import DateTime, MetaData
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Explicit constraint names so Alembic can alter and drop them on every engine.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

# Table option of every table with an integer surrogate id: on SQLite, AUTOINCREMENT, so an id is
# never handed out twice (without it SQLite reuses the ids of deleted rows at the top of the table,
# and a restore or a record's history would meet a stranger). PostgreSQL's sequences never reuse one.
AUTOINCREMENT: dict[str, Any] = {"sqlite_autoincrement": True}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _written_as_a_date(value: Any) -> Any:
    """A date is text (ISO 8601): a number would be read as seconds since 1970, which nobody means."""
    if isinstance(value, bool | int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value.strip())):
        raise ValueError("a date is written as ISO 8601 text (2018-02-07T00:00:00Z), not as a number")
    return value


def _in_utc(value: datetime) -> datetime:
    """Aware, in UTC (a naive time is read as UTC); refused when UTC would leave years 1 to 9999."""
    try:
        return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("the time is out of range once converted to UTC (years 1 to 9999)") from exc


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
Instant = Annotated[datetime, BeforeValidator(_written_as_a_date), AfterValidator(_in_utc)]
"""Every time a client sends (bodies, filters, ``as_of``): ISO 8601 text, stored and compared in UTC."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def DateTimeField(**kwargs: Any) -> Any:  # noqa: N802 - reads like the Field it wraps
    """A nullable timestamp column stored as UTC."""
    return Field(default=None, sa_type=UTCDateTime, **kwargs)


class Tracked(SQLModel):
    """Columns every table carries: timestamps and a version that each update bumps."""

    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    version: int = Field(default=1, nullable=False)


class TrackedPublic(BaseModel):
    created_at: datetime
    updated_at: datetime
    version: int


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, how many match in all, and the link to the next page."""

    items: list[T]
    total: int | None = None
    limit: int
    offset: int
    next: str | None = None
