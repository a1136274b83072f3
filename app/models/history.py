"""Every create, update, delete and restore of a record: who, when, before and after.

The ``id`` orders all changes, so it is also the cursor of the changes feed (``GET /changes``)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Index
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import AUTOINCREMENT, UTCDateTime, utcnow


class Change(SQLModel, table=True):
    __tablename__ = "change"
    __table_args__ = (
        Index("ix_change_record", "resource", "record_id"),
        Index("ix_change_batch", "batch"),
        AUTOINCREMENT,  # the id is the feed's cursor: a reused one would be skipped by every poller
    )
    id: int | None = SQLField(default=None, primary_key=True)
    resource: str = SQLField(max_length=20)
    record_id: int
    action: str = SQLField(max_length=10)
    actor: str | None = SQLField(default=None, max_length=100)
    batch: str = SQLField(max_length=32)
    at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    before: dict[str, Any] | None = SQLField(default=None, sa_type=JSON)
    after: dict[str, Any] | None = SQLField(default=None, sa_type=JSON)


class ChangePublic(BaseModel):
    id: int = Field(description="Orders every change; the `since` cursor of /changes")
    resource: str
    record_id: int
    action: str = Field(description="create, update, delete, restore or purge")
    actor: str | None = Field(description="The name of the API key that made the change")
    batch: str = Field(description="Changes made by one request share it (a cascade, a restore)")
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class Restored(BaseModel):
    restored: list[ChangePublic]


class Purged(BaseModel):
    purged: int


class ChangesPage(BaseModel):
    items: list[ChangePublic]
    next: str | None = Field(description="URL of the following changes; keep polling it")
    since: int = Field(description="The cursor to pass as `since` next time")
