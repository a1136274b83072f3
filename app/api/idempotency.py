"""``Idempotency-Key`` for POSTs: a retried request with the same key applies once.

A route takes ``IdempotencyDep``, calls ``claim(session)`` before it writes (a non-None answer is
the stored response: return it) and builds its answer with ``respond(...)``, which stores it in
the same transaction as the route's writes (``SessionDep`` commits before the response is sent).

- Same key, same request (method, path, SHA-256 of the body): the stored status and body, with
  ``Idempotent-Replayed: true`` (and the stored ``Location``/``ETag``).
- Same key, another request: 422 problem+json; nothing is applied.
- Two requests with one key at the same time: the second waits for the first (the key is the
  table's primary key) and then answers with its stored response. A 409 would answer a key still
  in flight, which a committed entry never is.
- Only successful answers are stored: a refused request stores nothing, so its retry runs again.
- Entries are kept 24 hours (fixed, not a setting); expired ones are purged after a response.
- Each API key has its own namespace: the same Idempotency-Key sent with another API key is another
  request (its answer is never replayed to a different caller). Use random keys (a UUID)."""

from dataclasses import dataclass
from hashlib import sha256
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel
from sqlmodel import Session
from starlette.background import BackgroundTask

from app.api.access import CallerDep
from app.db import get_engine
from app.errors import Conflict, Invalid
from app.models.idempotency import KEY_LENGTH
from app.models.idempotency import Idempotency as Entry
from app.services import idempotency as service

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_HEADERS = ("location", "etag")  # kept with the body (response headers come lowercase)

KeyHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        min_length=1,
        max_length=KEY_LENGTH,
        pattern=r"^[!-~]+$",
        description="Any unique string (a UUID): a retry with the same key and body applies once and answers "
        "as the first time, with `Idempotent-Replayed: true`; the same key with another body is a 422. "
        "Kept 24 hours.",
    ),
]


def replay_doc(status: int = 201) -> dict[int | str, dict[str, Any]]:
    """The ``Idempotent-Replayed`` header, for a route's ``responses``."""
    header = {"description": "`true` when this is the stored answer to an earlier request with the same key."}
    return {status: {"headers": {REPLAYED: {**header, "schema": {"type": "string", "enum": ["true"]}}}}}


@dataclass(frozen=True)
class Idempotent:
    key: str | None
    fingerprint: str
    caller: str = ""  # the API key's name: each caller's keys are its own

    @property
    def stored(self) -> str:
        """The key in the table: the client's key within its caller's namespace (a fixed-size digest)."""
        return sha256(f"{self.caller}\n{self.key}".encode()).hexdigest()

    def claim(self, session: Session) -> Response | None:
        """Claim the key; when an earlier request holds it, its stored response (or a problem)."""
        if self.key is None:
            return None
        entry = service.claim(session, self.stored, self.fingerprint)
        return None if entry is None else self._replay(entry)

    def _replay(self, entry: Entry) -> Response:
        if entry.fingerprint != self.fingerprint:
            first = entry.fingerprint.rsplit(" ", 1)[0]
            raise Invalid(
                f"{HEADER} {self.key!r} was already used for a different request (a {first} with another body): "
                "use a new key for a new request",
                field=HEADER,
            )
        if entry.status == service.IN_FLIGHT:
            raise Conflict(f"the request with {HEADER} {self.key!r} is still in progress: retry shortly")
        headers = {**entry.headers, REPLAYED: "true"}
        return Response(entry.body, status_code=entry.status, headers=headers)

    def respond(
        self, session: Session, model: type[BaseModel], data: Any, status: int = 201, response: Response | None = None
    ) -> Response:
        """The route's answer, serialized once; stored under the key in the route's transaction."""
        body = model.model_validate(data).model_dump_json()
        kept = {k: v for k, v in (response.headers.items() if response else []) if k in KEPT_HEADERS}
        headers = {**kept, "content-type": "application/json"}
        answer = Response(body, status_code=status, headers=headers)
        if self.key is not None:
            service.store(session, self.stored, status, body, headers)
            answer.background = BackgroundTask(service.purge_expired, get_engine())
        return answer


async def idempotent(request: Request, caller: CallerDep, key: KeyHeader = None) -> Idempotent:
    body = await request.body()
    return Idempotent(key, f"{request.method} {request.url.path} {sha256(body).hexdigest()}", caller.actor or "")


IdempotencyDep = Annotated[Idempotent, Depends(idempotent)]
