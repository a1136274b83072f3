"""Prometheus instruments: requests counted and timed by method, route template and status class.

Labels are bounded: the route is the template (``/events/{ident}/discrepancies``, or
``unmatched`` when no route matched), the method one of the HTTP methods or ``OTHER``, the status
its class (``2xx``). With several worker processes, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty
directory before the server starts: every worker writes its values there and the exposition adds
them up (prometheus-client's multiprocess mode; the ``process_*`` metrics of each worker are then
left out, as that mode cannot merge them)."""

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # text/plain; version=0.0.4; charset=utf-8
MEDIA_TYPE = "text/plain; version=0.0.4"
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LABELS = ("method", "route", "status")
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("countercheck_http_requests", "HTTP requests answered.", LABELS)
DURATION = Histogram(
    "countercheck_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response.",
    LABELS,
    buckets=BUCKETS,
)


def observe(method: str, route: str, status: int, seconds: float) -> None:
    labels = (method if method in METHODS else "OTHER", route, f"{status // 100}xx")
    REQUESTS.labels(*labels).inc()
    DURATION.labels(*labels).observe(seconds)


def exposition() -> bytes:
    """Every metric in the Prometheus text format 0.0.4, summed over workers in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
