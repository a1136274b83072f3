"""The server users run (``uvicorn app.main:app``) on a free loopback port, for the benchmark, the
server tests and the screenshot script: started, waited for, and stopped by its PID."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(url: str, workers: int = 1, app: str = "app.main:app", **settings: str) -> Iterator[tuple[str, int]]:
    """Yield (base URL, PID) of uvicorn serving ``app`` on ``url``'s database; logs at WARNING, like
    uvicorn's own ``--log-level`` (a line per request would measure the terminal)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "COUNTERCHECK_MIGRATE_ON_START": "false",
        "COUNTERCHECK_LOG_LEVEL": "WARNING",
        **settings,
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base, process, errors)
            yield base, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(base: str, process: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"the server exited before it was ready: {errors.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the server did not become ready in 60 s")
