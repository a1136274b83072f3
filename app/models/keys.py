"""API keys: stored as a SHA-256 hash (the token itself is shown once, at creation)."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import AUTOINCREMENT, DateTimeField, UTCDateTime, utcnow


class Role(StrEnum):
    """read < write < admin."""

    read = "read"
    write = "write"
    admin = "admin"


RANK = {Role.read: 0, Role.write: 1, Role.admin: 2}


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"
    __table_args__ = AUTOINCREMENT
    id: int | None = SQLField(default=None, primary_key=True)
    name: str = SQLField(max_length=100, unique=True)
    role: str = SQLField(max_length=10)
    prefix: str = SQLField(max_length=12)
    hash: str = SQLField(max_length=64, unique=True)
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    revoked_at: datetime | None = DateTimeField()


class KeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "newsroom-bot", "role": "write"}]}
    )
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")
    role: Role


class KeyPublic(BaseModel):
    """A key as listed: never its token."""

    id: int
    name: str
    role: Role
    prefix: str = Field(description="The token's first characters, to recognise it")
    created_at: datetime
    revoked_at: datetime | None


class KeyCreated(KeyPublic):
    token: str = Field(description="Shown once: send it as `Authorization: Bearer <token>` or `X-API-Key`")
