"""Who may call what, declared on each route.

Every request is identified once (the app-wide dependency ``identify``): a key sent as
``Authorization: Bearer <token>`` or ``X-API-Key: <token>`` must be live (else 401); both are
OpenAPI security schemes, so /docs has an Authorize button. Each route then declares the role it
needs, in its signature or decorator, with one of:

- ``Public``: anyone (``/healthz``, ``/readyz``).
- ``Reader``: reads and previews. Open while ``COUNTERCHECK_OPEN_READS`` is true (the default),
  else a read key at least.
- ``Writer``: a write key at least. ``WriteSessionDep`` (app.api.deps) includes it, so a route
  that writes through the database cannot be open.
- ``Admin``: key management and purges.

A test walks every operation of the OpenAPI document and checks that each declares exactly one
of them and answers 401/403 as it says (tests/api/test_access.py)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.config import get_settings
from app.db import get_engine
from app.errors import Forbidden, Unauthorized
from app.models.keys import RANK, Role
from app.services import keys

bearer = HTTPBearer(auto_error=False, description="An API key as a bearer token.")
header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")


@dataclass(frozen=True, slots=True)
class Caller:
    """The key a request carried: its name (history records who changed what) and role."""

    actor: str | None = None
    role: Role | None = None


ANONYMOUS = Caller()


async def identify(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    api_key: Annotated[str | None, Depends(header)],
) -> Caller:
    """The caller of this request; an unknown or revoked key is a 401 whatever the route."""
    token = credentials.credentials if credentials else api_key
    found = ANONYMOUS
    if token:
        live = await run_in_threadpool(keys.lookup, get_engine(), token)
        if live is None:
            raise Unauthorized("the API key is unknown or revoked")
        found = Caller(*live)
    request.state.actor, request.state.role = found.actor, found.role
    return found


CallerDep = Annotated[Caller, Depends(identify)]


def _require(caller: Caller, needed: Role) -> Caller:
    if caller.role is None:
        raise Unauthorized(f"this needs a {needed.value} key: send Authorization: Bearer <token> or X-API-Key")
    if RANK[caller.role] < RANK[needed]:
        raise Forbidden(f"this needs a {needed.value} key; yours is {caller.role.value}")
    return caller


async def public(caller: CallerDep) -> Caller:
    """Anyone, with or without a key."""
    return caller


async def reader(caller: CallerDep) -> Caller:
    """Reads and previews: open unless COUNTERCHECK_OPEN_READS=false."""
    return caller if get_settings().open_reads else _require(caller, Role.read)


async def writer(caller: CallerDep) -> Caller:
    return _require(caller, Role.write)


async def admin(caller: CallerDep) -> Caller:
    return _require(caller, Role.admin)


# For a route's ``dependencies=[...]`` when its signature has no session to carry the rule.
Public = Depends(public)
Reader = Depends(reader)
Writer = Depends(writer)
Admin = Depends(admin)
LEVELS = {public: "public", reader: "read", writer: "write", admin: "admin"}
