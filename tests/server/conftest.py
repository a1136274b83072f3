"""A real uvicorn server, as users run it, on a free loopback port and this test's database."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.models.keys import Role
from app.services import keys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def write_headers(engine: Engine) -> dict[str, str]:
    """A write key for the server's database."""
    with Session(engine) as session:
        _, token = keys.create(session, "writer", Role.write)
        session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def server(db_url: str) -> Iterator[str]:
    """Start ``uvicorn app.main:app`` with two workers; yield its base URL; stop it by its PID."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "COUNTERCHECK_MIGRATE_ON_START": "false",
        "COUNTERCHECK_LOG_LEVEL": "WARNING",  # access lines would fill the unread stderr pipe
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("server did not become ready in 30 s")
