"""Create, list, revoke and check API keys. Tokens are 256 random bits; only their SHA-256 is
stored (a fast hash suffices for random tokens: there is nothing to guess)."""

import hashlib
import secrets

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.db import fetch_one
from app.errors import Conflict, NotFound
from app.models.common import utcnow
from app.models.keys import ApiKey, KeyCreated, KeyPublic, Role

PREFIX = "cc_"
LIVE_KEY = "SELECT name, role FROM api_key WHERE hash = {mark} AND revoked_at IS NULL"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(session: Session, name: str, role: Role) -> tuple[ApiKey, str]:
    """A new key and its token (the only time the token exists outside the caller)."""
    if session.execute(select(ApiKey).where(col(ApiKey.name) == name)).first():
        raise Conflict(f"a key named {name!r} already exists", field="name")
    token = PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name, role=role.value, prefix=token[:10], hash=digest(token))
    session.add(key)
    session.flush()
    return key, token


def public(key: ApiKey) -> KeyPublic:
    """A key as shown: never its token, nor its hash."""
    return KeyPublic.model_validate(key, from_attributes=True)


def issue(session: Session, name: str, role: Role) -> KeyCreated:
    """A new key as the API answers it: the only response that holds the token."""
    key, token = create(session, name, role)
    return KeyCreated.model_validate({**public(key).model_dump(), "token": token})


def revoke(session: Session, ident: int) -> KeyPublic:
    key = session.get(ApiKey, ident)
    if key is None:
        raise NotFound(f"api key {ident} does not exist")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return public(key)


def listed(session: Session) -> list[KeyPublic]:
    return [public(k) for k in session.execute(select(ApiKey).order_by(col(ApiKey.id))).scalars()]


def any_keys(session: Session) -> bool:
    return session.execute(select(col(ApiKey.id)).limit(1)).first() is not None


def lookup(engine: Engine, token: str) -> tuple[str, Role] | None:
    """The (name, role) of a live key, or None: one indexed read through the driver."""
    row = fetch_one(engine, LIVE_KEY, (digest(token),))
    return None if row is None else (str(row[0]), Role(row[1]))
