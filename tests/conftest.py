"""A real database per test: a copy of a migrated SQLite file, or, when ``DATABASE_URL`` points
at PostgreSQL, a database of this run's own (created, migrated once, emptied between tests,
dropped at the end)."""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.config import get_settings
from app.db import get_engine, make_engine
from app.domain.vocab import BASE_METRICS
from app.main import create_app
from app.migrate import upgrade
from app.models import metadata
from app.models.common import utcnow
from app.models.keys import Role
from app.services import keys

SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith("postgresql")


def pytest_report_header() -> str:
    return f"database: {'PostgreSQL (a database of its own per run)' if ON_POSTGRES else 'SQLite file per test'}"


@pytest.fixture(scope="session")
def template_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a SQLite template file to copy, or this run's PostgreSQL database."""
    if not ON_POSTGRES:
        path = tmp_path_factory.mktemp("template") / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield str(path)
        return
    name = f"countercheck_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means: skip
        if os.environ.get("COUNTERCHECK_REQUIRE_POSTGRES"):
            pytest.fail(f"CI requires PostgreSQL, but DATABASE_URL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at DATABASE_URL is not reachable: {exc}")
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url, pool_size=2)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db_url(template_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This test's database URL, also set as the service's DATABASE_URL."""
    if ON_POSTGRES:
        _empty_postgres(template_url)
        url = template_url
    else:
        target = tmp_path / "countercheck.db"
        shutil.copyfile(template_url, target)
        url = f"sqlite:///{target}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COUNTERCHECK_MIGRATE_ON_START", "false")
    monkeypatch.setenv("COUNTERCHECK_BIAS_FIT_DEBOUNCE_SECONDS", "0")  # tests run the bias fit explicitly
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


def empty_database(engine: Engine) -> None:
    """Every table emptied and its ids started again, the base metrics put back (as when migrated)."""
    if engine.dialect.name == "postgresql":
        _empty_postgres(engine.url.render_as_string(hide_password=False))
        return
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first():
            conn.exec_driver_sql("DELETE FROM sqlite_sequence")
        conn.execute(
            text("INSERT INTO metric (name, description, created_at, updated_at, version) VALUES (:n, :d, :t, :t, 1)"),
            [{"n": n, "d": d, "t": utcnow()} for n, d in BASE_METRICS.items()],
        )


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = (
            conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
            )
            .scalars()
            .all()
        )
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(
            text(
                "INSERT INTO metric (name, description, created_at, updated_at, version) "
                "VALUES (:n, :d, now(), now(), 1)"
            ),
            [{"n": n, "d": d} for n, d in BASE_METRICS.items()],
        )
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine()


@pytest.fixture
def admin_token(engine: Engine) -> str:
    """An admin key in this test's database."""
    with Session(engine) as session:
        _, token = keys.create(session, "test-admin", Role.admin)
        session.commit()
    return token


@pytest.fixture
def client(db_url: str, admin_token: str) -> Iterator[TestClient]:
    """The app on this test's database, sending an admin key (tests of access use ``anonymous``)."""
    with TestClient(create_app(), headers={"Authorization": f"Bearer {admin_token}"}) as test_client:
        yield test_client


@pytest.fixture
def anonymous(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client
