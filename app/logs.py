"""Logging: one JSON object per line (or plain text), each carrying the id of the request it
belongs to.

``configure_logging`` runs once at app start (the lifespan). It sets the level of the
``countercheck`` logger and its children (``countercheck.access``: one line per request), and
writes them to stderr, unless the host process already configured logging (a handler on the root
logger: pytest's capture, ``uvicorn --log-config`` with a root logger), in which case the records
go to the host's handlers and only the level is set."""

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal

LOGGER = "countercheck"
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# what every LogRecord has: anything else on a record came from ``extra`` or a filter
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (set by the telemetry middleware) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", ...extra fields, "exception"}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a record comes (as ``logging.lastResort`` does),
    never to a stream that was replaced and closed since (pytest's capture, for one)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")  # stderr is line-buffered: one write, one line
        except Exception:  # noqa: BLE001 - logging must never break a request
            self.handleError(record)


def configure_logging(fmt: Literal["json", "text"], level: str) -> None:
    """Idempotent: a second call replaces the handler the first one added."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level)
    if not any(isinstance(f, RequestIdFilter) for f in logger.filters):
        logger.addFilter(RequestIdFilter())  # records of "countercheck" itself, wherever they go
    for old in [h for h in logger.handlers if isinstance(h, StderrHandler)]:
        logger.removeHandler(old)
    if logging.getLogger().handlers:
        return
    handler = StderrHandler()
    handler.addFilter(RequestIdFilter())  # records of child loggers too
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT))
    logger.addHandler(handler)
