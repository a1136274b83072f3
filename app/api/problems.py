"""One error shape for every failure: RFC 9457 problem+json.

``{"type", "title", "status", "detail", "instance"}`` plus, for validation errors, ``errors``:
a list of ``{"field": "figures.0.low", "reason": "...", "type": "..."}``.
"""

import copy
import logging
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from app.domain.errors import DomainError, Unreadable
from app.errors import Invalid, ServiceError

log = logging.getLogger("countercheck")
PROBLEM = "application/problem+json"
TYPE_BASE = "https://countercheck.dev/problems/"


class FieldError(BaseModel):
    field: str
    reason: str
    type: str


class Problem(BaseModel):
    """The body of every error response."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


def problem(request: Request, status: int, title: str, detail: str, kind: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"} and len(parts) > 1:
        parts = parts[1:] if parts[0] == "body" else parts
    return ".".join(parts)


async def on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _field(tuple(e.get("loc", ()))), "reason": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    malformed = any(e["type"] == "json_invalid" for e in errors)
    detail = "; ".join(f"{e['field'] or 'body'}: {e['reason']}" for e in errors[:5])
    kind = "malformed-json" if malformed else "validation"
    return problem(request, 422, "Invalid request", detail, kind, errors=errors)


async def on_service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    extra = dict(exc.extra)
    if isinstance(exc, Invalid) and exc.field:
        extra["errors"] = [{"field": exc.field, "reason": exc.detail, "type": "rule"}]
    kind = type(exc).__name__.lower().replace("notfound", "not-found")
    response = problem(request, exc.status, exc.title, exc.detail, kind, **extra)
    response.headers.update(exc.headers)
    return response


async def on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    words = exc.words if isinstance(exc, Unreadable) else None
    kind = "unreadable" if isinstance(exc, Unreadable) else "invalid-interval"
    return problem(request, 422, "Figure not understood", str(exc), kind, words=words)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return problem(request, exc.status_code, detail, detail, f"http-{exc.status_code}")


async def on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # The service checks references and unique keys first; this catches the races between.
    log.warning("integrity error: %s", exc)
    return problem(request, 409, "Conflict", "the change conflicts with stored data", "conflict")


async def on_operational_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable: %s", exc)
    return problem(request, 503, "Database busy", "the database could not serve the request; retry", "busy")


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem(request, 500, "Internal error", "an unexpected error occurred", "internal")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(ServiceError, on_service_error)
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(IntegrityError, on_integrity_error)
    app.add_exception_handler(OperationalError, on_operational_error)
    app.add_exception_handler(Exception, on_unexpected)


# Documented on every route that can answer them.
_TEXT = {
    400: "Malformed request: the body could not be decoded (it is not UTF-8).",
    404: "An id in the path or body does not exist.",
    409: "A unique key is taken, or other records depend on this one.",
    401: "No API key, or an unknown or revoked one, where the operation needs one.",
    403: "The API key's role is too low for the operation.",
    413: "The request body is larger than COUNTERCHECK_MAX_BODY_BYTES.",
    412: "If-Match names a version that is no longer the record's: read it again.",
    422: "A field is invalid; `errors` names each field and why.",
    503: "The work did not finish within its time budget and was stopped: retry later, or send less.",
}


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its ``$defs`` written in place, so a response or a request body
    can carry it without a components entry."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def expand(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return expand(copy.deepcopy(defs[ref.removeprefix("#/$defs/")]))
            return {k: expand(v) for k, v in node.items()}
        return [expand(v) for v in node] if isinstance(node, list) else node

    expanded: dict[str, Any] = expand(schema)
    return expanded


def problem_content(model: type[BaseModel] = Problem) -> dict[str, Any]:
    """An error response's content: problem+json, and nothing else (no ``application/json``)."""
    return {PROBLEM: {"schema": inline_schema(model)}}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The errors a route declares, each as problem+json with its meaning (``_TEXT``)."""
    return {s: {"description": _TEXT[s], "content": problem_content()} for s in statuses}


class ProblemRoute(APIRoute):
    """A route that also declares what every route answers as problem+json: 422 when it takes any
    parameter or body (a value is invalid, or a query parameter unknown), 400 when it takes a body
    (not UTF-8). Declared here, once, rather than patched into the OpenAPI document."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        takes = bool(get_flat_params(self.dependant) or self.body_field)
        if self.body_field is not None or self.openapi_extra and "requestBody" in self.openapi_extra:
            self.responses.setdefault(400, responses(400)[400])
        if takes:
            self.responses.setdefault(422, responses(422)[422])


class Router(APIRouter):
    """Every router of the service: its routes declare their problem+json answers (``ProblemRoute``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(route_class=ProblemRoute, **kwargs)
