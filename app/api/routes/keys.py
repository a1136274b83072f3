"""API keys, managed by an admin (the first one comes from `countercheck keys create`)."""

from fastapi import Response

from app.api.access import Admin
from app.api.deps import AdminSessionDep, IdPath, SessionDep
from app.api.problems import Router, responses
from app.models.keys import KeyCreate, KeyCreated, KeyPublic
from app.services import keys

router = Router(prefix="/keys", tags=["keys"])


@router.post(
    "", status_code=201, response_model=KeyCreated, summary="Create an API key", responses=responses(401, 403, 409, 422)
)
def create_key(body: KeyCreate, session: AdminSessionDep, response: Response) -> KeyCreated:
    """Create a key with a role (read, write, admin). The `token` is in this response only: it is
    stored hashed and cannot be shown again."""
    key = keys.issue(session, body.name, body.role)
    response.headers["Location"] = f"/keys/{key.id}"
    return key


@router.get(
    "", response_model=list[KeyPublic], summary="List API keys", responses=responses(401, 403), dependencies=[Admin]
)
def list_keys(session: SessionDep) -> list[KeyPublic]:
    """Every key with its role, prefix and revocation time — never a token."""
    return keys.listed(session)


@router.delete(
    "/{ident:int}", response_model=KeyPublic, summary="Revoke an API key", responses=responses(401, 403, 404)
)
def revoke_key(ident: IdPath, session: AdminSessionDep) -> KeyPublic:
    """Revoke a key: it stops working at once; the record stays, for the history it signed."""
    return keys.revoke(session, ident)
