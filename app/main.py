"""Builds the app: lifespan (migrations, demo data, thread pool), routers, error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __doc__ as description
from app.api import problems
from app.api.access import identify
from app.api.deps import refuse_nul
from app.api.headers import HeadAsGet, SecurityHeaders
from app.api.json_body import StrictJsonBodies
from app.api.limits import BodyLimit
from app.api.routes import aliases as source_aliases
from app.api.routes import (
    bias,
    claims,
    csv_import,
    discrepancies,
    extraction,
    figures,
    health,
    history,
    keys,
    records,
    related,
    report,
)
from app.api.routes import imports as bulk_import
from app.api.routes import search as full_text
from app.api.routes.operations import router as operations_router
from app.api.telemetry import Telemetry
from app.config import get_settings
from app.db import get_engine
from app.logs import configure_logging


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    to_thread.current_default_thread_limiter().total_tokens = settings.threads
    if settings.migrate_on_start:
        from app.migrate import upgrade

        await to_thread.run_sync(upgrade, get_engine())
    if settings.demo:
        from app.demo import load_demo

        await to_thread.run_sync(load_demo, get_engine())
    fitter = None
    if settings.bias_fit_debounce_seconds > 0:  # the reporting-bias fit, in the background (app.services.fitter)
        from app.services.fitter import BackgroundFitter

        fitter = BackgroundFitter(get_engine(), settings.bias_fit_debounce_seconds)
        fitter.start()
    yield
    if fitter is not None:
        await to_thread.run_sync(fitter.stop)


def create_app() -> FastAPI:
    app = FastAPI(
        title="Countercheck",
        version="0.1.0",
        description=description or "",
        lifespan=lifespan,
        dependencies=[Depends(identify), Depends(refuse_nul)],  # no NUL in any text, on any engine
    )
    problems.install(app)
    settings = get_settings()
    app.add_middleware(StrictJsonBodies)  # inside BodyLimit: no duplicate keys, no deep nesting in JSON
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type", "If-Match", "Idempotency-Key"],
            expose_headers=["ETag", "Location", "X-Request-ID", "Idempotent-Replayed"],
        )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.add_middleware(Telemetry)  # outermost: times, counts and logs every answer, 413s included
    for router in (
        discrepancies.disputes,
        discrepancies.sources,  # before /sources/{id}: /sources/compare is not an id
        discrepancies.events,
        records.sources,
        related.sources,
        source_aliases.router,
        records.documents,
        records.events,
        related.events,
        records.scopes,
        claims.router,
        csv_import.router,  # before figures.router: /figures/import is not an id
        figures.router,
        related.metrics,
        health.router,
        operations_router,
        keys.router,
        extraction.router,
        bulk_import.router,
        bulk_import.records,
        report.router,
        bias.router,
        bias.sources,
        bias.events,
        full_text.router,
        history.changes,
        *history.routers,
    ):
        app.include_router(router)
    return app


app = create_app()
