"""Who may do what: writes need a write key, key management an admin key, reads are open unless
``COUNTERCHECK_OPEN_READS=false``. Keys come as ``Authorization: Bearer <token>`` or
``X-API-Key: <token>``; both are OpenAPI security schemes, so /docs has an Authorize button."""

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
# POSTs that change nothing: open like reads (``/extract/commit`` writes, so it needs a write key)
READ_ONLY_POSTS = frozenset({"/figures/parse", "/extract"})


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    api_key: Annotated[str | None, Depends(header)],
) -> None:
    """Check the key the request needs; remember its name (history records who changed what)."""
    token = credentials.credentials if credentials else api_key
    needed = _needed(request)
    request.state.actor, request.state.role = None, None
    if token:
        found = await run_in_threadpool(keys.lookup, get_engine(), token)
        if found is None:
            raise Unauthorized("the API key is unknown or revoked")
        request.state.actor, role = found
        request.state.role = role
        if needed is not None and RANK[role] < RANK[needed]:
            raise Forbidden(f"this needs a {needed.value} key; yours is {role.value}")
    elif needed is not None:
        raise Unauthorized(f"this needs a {needed.value} key: send Authorization: Bearer <token> or X-API-Key")


def _needed(request: Request) -> Role | None:
    path = request.url.path
    if path.startswith("/keys") or path.endswith("/purge"):
        return Role.admin
    if request.method in {"GET", "HEAD", "OPTIONS"} or (request.method == "POST" and path in READ_ONLY_POSTS):
        return None if get_settings().open_reads or path in {"/healthz", "/readyz"} else Role.read
    return Role.write

