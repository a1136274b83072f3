"""Responses kept under an ``Idempotency-Key``: a retried POST answers from here instead of applying twice.

An entry is written in the same transaction as the request's own writes, so no entry exists
without its data and no data without its entry. The key is the primary key: of two concurrent
requests with one key, the second's INSERT waits for the first and then fails. Entries are kept
24 hours (a fixed period, not a setting: ``app.services.idempotency.KEEP``)."""

from datetime import datetime

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from app.models.common import UTCDateTime, utcnow

KEY_LENGTH = 200


class Idempotency(SQLModel, table=True):
    __tablename__ = "idempotency"
    key: str = Field(primary_key=True, max_length=KEY_LENGTH)
    fingerprint: str = Field(max_length=600, description="method, path and the SHA-256 of the body")
    status: int = Field(description="the response's status; 0 only inside the transaction that claims the key")
    body: str = Field(sa_type=Text, description="the response body, as sent")
    headers: dict[str, str] = Field(default_factory=dict, sa_type=JSON, description="Location, ETag, content type")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
