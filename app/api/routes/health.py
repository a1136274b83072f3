"""Liveness and readiness, for load balancers and orchestrators."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.api.access import Public
from app.api.problems import Router
from app.db import get_engine
from app.migrate import alembic_config

router = Router(tags=["health"])


@router.get("/healthz", summary="Is the process up", dependencies=[Public])
async def healthz() -> dict[str, str]:
    """Answers 200 while the process serves requests; touches nothing else (also the constant
    route the benchmarks compare against)."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Can the service answer from its database",
    dependencies=[Public],
    responses={503: {"description": "database unreachable or migrations pending"}},
)
def readyz() -> JSONResponse:
    """200 when the database answers and its schema is at the latest migration; 503 otherwise,
    saying which."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready, said in the body
        return JSONResponse({"status": "unavailable", "detail": str(exc)[:200]}, status_code=503)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current != head:
        return JSONResponse({"status": "migrations pending", "current": current, "head": head}, status_code=503)
    return JSONResponse({"status": "ready", "revision": current})
