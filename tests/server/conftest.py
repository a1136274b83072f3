"""A real uvicorn server, as users run it, on a free loopback port and this test's database."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.models.keys import Role
from app.services import keys
from bench.serve import running_server


@pytest.fixture
def write_headers(engine: Engine) -> dict[str, str]:
    """A write key for the server's database."""
    with Session(engine) as session:
        _, token = keys.create(session, "writer", Role.write)
        session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def server(db_url: str) -> Iterator[str]:
    """``uvicorn app.main:app`` with two workers on this test's database; stopped by its PID."""
    with running_server(db_url, workers=2) as (base, _pid):
        yield base
