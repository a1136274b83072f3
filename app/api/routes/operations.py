"""What an operator scrapes: the Prometheus exposition."""

from fastapi import Response
from fastapi.concurrency import run_in_threadpool

from app.api import instruments
from app.api.access import Reader
from app.api.problems import Router
from app.api.telemetry import METRICS_PATH

router = Router(tags=["operations"])


@router.get(
    METRICS_PATH,
    summary="Prometheus metrics",
    dependencies=[Reader],
    response_class=Response,
    responses={
        200: {
            "description": "Every metric in the Prometheus text exposition format 0.0.4.",
            "content": {instruments.MEDIA_TYPE: {"schema": {"type": "string"}}},
        }
    },
)
async def prometheus() -> Response:
    """Requests counted and timed (histograms) by method, route template and status class
    (`countercheck_http_requests_total`, `countercheck_http_request_duration_seconds`), and the
    process's own metrics (`process_*`, `python_*`). With several workers and
    `PROMETHEUS_MULTIPROC_DIR` set, the counts of all workers, summed. Open like every read."""
    body = await run_in_threadpool(instruments.exposition)  # multiprocess mode reads files
    return Response(body, media_type=instruments.CONTENT_TYPE)
