"""API keys, managed by an admin (the first one comes from `countercheck keys create`)."""

from typing import Any

from fastapi import APIRouter, Response

from app.api.access import Admin
from app.api.deps import AdminSessionDep, IdPath, SessionDep
from app.api.problems import responses
from app.models.keys import KeyCreate, KeyCreated, KeyPublic
from app.services import keys

router = APIRouter(prefix="/keys", tags=["keys"])


@router.post(
    "", status_code=201, response_model=KeyCreated, summary="Create an API key", responses=responses(401, 403, 409, 422)
)
def create_key(body: KeyCreate, session: AdminSessionDep, response: Response) -> Any:
    """Create a key with a role (read, write, admin). The `token` is in this response only: it is
    stored hashed and cannot be shown again."""
    key, token = keys.create(session, body.name, body.role)
    response.headers["Location"] = f"/keys/{key.id}"
    return {**key.model_dump(), "token": token}


@router.get(
    "", response_model=list[KeyPublic], summary="List API keys", responses=responses(401, 403), dependencies=[Admin]
)
def list_keys(session: SessionDep) -> Any:
    """Every key with its role, prefix and revocation time — never a token."""
    return [k.model_dump() for k in keys.listed(session)]


@router.delete(
    "/{ident:int}", response_model=KeyPublic, summary="Revoke an API key", responses=responses(401, 403, 404)
)
def revoke_key(ident: IdPath, session: AdminSessionDep) -> Any:
    """Revoke a key: it stops working at once; the record stays, for the history it signed."""
    return keys.revoke(session, ident).model_dump()
