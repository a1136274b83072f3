"""Every JSON request body is read strictly (``app.strict_json``) before the app sees it: an object
holding a key twice (``{"name": "a", "name": "b"}``), or arrays and objects nested more than
``MAX_DEPTH`` (64) levels deep, answer 422 problem+json whose ``errors`` name each duplicate key
(``figures.0.name``: "duplicate key 'name' at figures.0") or the limit, and nothing runs.

A pure ASGI middleware rather than a dependency: FastAPI parses a model's body before any
dependency runs, and answers the ``RecursionError`` of a deeply nested body with a 400. It sits
inside ``BodyLimit``, so it never holds more than ``COUNTERCHECK_MAX_BODY_BYTES``. Bodies that are
not JSON (``Content-Type`` other than ``application/json`` or ``application/*+json``) pass as they
are: ``POST /import`` reads NDJSON with the same rules line by line, naming the line. A body that
is malformed JSON passes too, for FastAPI to answer as it does."""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware import HttpMiddleware
from app.api.problems import problem
from app.strict_json import JsonRefused, loads_strict


class StrictJsonBodies(HttpMiddleware):
    def handles(self, scope: Scope) -> bool:
        return is_json(scope)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # gone (or stopped by BodyLimit): the app sees it so
                partial = {"type": "http.request", "body": b"".join(chunks), "more_body": True}
                await self.app(scope, replay([partial, message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            if body:
                loads_strict(body)
        except JsonRefused as refused:
            await refusal(scope, refused)(scope, receive, send)
            return
        except ValueError:
            pass  # malformed, or not UTF-8: FastAPI answers it (422 or 400)
        await self.app(scope, replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def is_json(scope: Scope) -> bool:
    """A body FastAPI parses as JSON: ``application/json`` or ``application/*+json``."""
    header: bytes = dict(scope.get("headers") or []).get(b"content-type", b"")
    media = header.split(b";")[0].strip().lower()
    return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))


def replay(messages: list[Message], receive: Receive) -> Receive:
    """The messages already read, then the client's own."""

    async def replayed() -> Message:
        return messages.pop(0) if messages else await receive()

    return replayed


def refusal(scope: Scope, refused: JsonRefused) -> ASGIApp:
    errors = [{"field": f.path or "body", "reason": f.reason, "type": f.kind} for f in refused.faults]
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors[:5])
    return problem(Request(scope), 422, "Invalid request", detail, refused.faults[0].kind, errors=errors)
