"""Every request: an id (the caller's ``X-Request-ID`` when it is a sane token, else a new one)
echoed in the response, a Prometheus observation, and one line on the ``countercheck.access``
logger. A pure ASGI middleware: no body is buffered, nothing is copied."""

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from app.api import instruments
from app.api.middleware import HttpMiddleware
from app.logs import LOGGER, REQUEST_ID

METRICS_PATH = "/prometheus"  # the exposition route: not counted, logged at DEBUG only
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
access = logging.getLogger(f"{LOGGER}.access")


class Telemetry(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = incoming_id(scope) or uuid.uuid4().hex
        # not reset afterwards: the 500 handler runs outside this middleware and logs with it;
        # each request runs in a task (and context) of its own, and sets it first thing
        REQUEST_ID.set(request_id)
        scope.setdefault("state", {})  # shared with the app, so request.state.actor is seen here
        header = (b"x-request-id", request_id.encode())
        status = 500  # if the app raises before answering, the server answers 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        start = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            record(scope, request_id, status, time.perf_counter() - start)


def incoming_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            token = value.decode("latin-1")
            return token if SANE_ID.fullmatch(token) else None
    return None


def record(scope: Scope, request_id: str, status: int, seconds: float) -> None:
    route = getattr(scope.get("route"), "path_format", None) or instruments.UNMATCHED
    if route != METRICS_PATH:
        instruments.observe(scope["method"], route, status, seconds)
    level = logging.DEBUG if route == METRICS_PATH else logging.INFO
    if access.isEnabledFor(level):
        fields = _fields(scope, request_id, route, status, seconds)
        access.log(level, _message(fields), extra=fields)


def _fields(scope: Scope, request_id: str, route: str, status: int, seconds: float) -> dict[str, Any]:
    client = scope.get("client")
    return {
        "request_id": request_id,
        "method": scope["method"],
        "path": scope["path"],
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "client": client[0] if client else None,
        "actor": scope["state"].get("actor"),
    }


def _message(f: dict[str, Any]) -> str:
    who = f" by {f['actor']}" if f["actor"] else ""
    return f"{f['method']} {f['path']} {f['status']} {f['duration_ms']}ms{who}"
