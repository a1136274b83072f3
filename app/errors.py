"""Errors the service layer raises; ``app.api.problems`` turns each into problem+json.

- ``Unauthorized`` (401) and ``Forbidden`` (403): no key where one is needed, or too low a role.
- ``NotFound`` (404): an id that does not exist, in the path or in a body field.
- ``Conflict`` (409): a duplicate unique key, a delete that other rows depend on, a parent cycle.
- ``PreconditionFailed`` (412): an ``If-Match`` version that is no longer the record's.
- ``Invalid`` (422): a body that is well-formed but breaks a rule (a quote span outside the text).
- ``Unavailable`` (503): work stopped at its time budget (an extraction past its deadline).
Domain errors (``app.domain.errors``) answer 422 too.
"""

from typing import Any


class ServiceError(Exception):
    status = 400
    title = "Bad request"
    headers: dict[str, str] = {}

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class Unauthorized(ServiceError):
    """No key, or an unknown or revoked one, where the operation needs one."""

    status = 401
    title = "Unauthorized"
    headers = {"WWW-Authenticate": "Bearer"}


class Forbidden(ServiceError):
    """A key whose role is too low for the operation."""

    status = 403
    title = "Forbidden"


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class PreconditionFailed(ServiceError):
    """An If-Match naming a version that is no longer current: someone else changed the record."""

    status = 412
    title = "Precondition failed"


class Invalid(ServiceError):
    """A rule broken by one field of the request; ``field`` names it as a path (``figures.0.low``)."""

    status = 422
    title = "Unprocessable request"

    def __init__(self, detail: str, field: str | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.field = field


class Unavailable(ServiceError):
    """Work that did not finish within its time budget: retry later, or send less."""

    status = 503
    title = "Service unavailable"
