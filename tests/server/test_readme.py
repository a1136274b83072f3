"""The README is a contract: every curl and httpx example in it runs against a live server
(``uvicorn app.main:app``, as ``make run`` starts it, on a database holding the demo and an admin
key), in the order the README gives them, and each must succeed; an example followed by "prints"
must print what the README says it prints."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.demo import load_demo
from app.models.keys import Role
from app.services import keys
from bench.serve import running_server

README = Path(__file__).resolve().parents[2] / "README.md"
BASE = "http://127.0.0.1:8000"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n(?:\nprints\n\n```\n(.*?)^```\n)?", re.M | re.S)


@dataclass(frozen=True)
class Example:
    language: str
    code: str
    prints: str | None
    line: int

    @property
    def name(self) -> str:
        return f"README line {self.line} ({self.language})"


def examples() -> list[Example]:
    text = README.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        language, code, prints = m.group(1), m.group(2), m.group(3)
        line = text.count("\n", 0, m.start()) + 1
        if (language == "sh" and "curl " in code) or (language == "python" and "import httpx" in code):
            found.append(Example(language, code, prints, line))
    return found


@pytest.fixture
def live(db_url: str, engine: Engine) -> Iterator[tuple[str, str, str]]:
    load_demo(engine)
    with Session(engine) as session:
        _, token = keys.create(session, "admin", Role.admin)
        session.commit()
    with running_server(db_url) as (base, _pid):
        yield base, token, db_url


def _run(example: Example, base: str, token: str, url: str) -> subprocess.CompletedProcess[str]:
    # the CLI (``countercheck``) from this environment, on the server's database
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "TOKEN": token, "DATABASE_URL": url, "PATH": path}
    code = example.code.replace(BASE, base)
    if example.language == "sh":  # fail on an HTTP error, and on any command that fails
        code = "set -euo pipefail\n" + re.sub(r"\bcurl -s(i?) ", r"curl -sSf\1 ", code)
        return subprocess.run(["bash", "-c", code], env=env, capture_output=True, text=True, timeout=120)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def _words(text: str) -> list[str]:
    return text.split()  # the README wraps long printed lines


@pytest.mark.slow
def test_every_readme_example_runs_against_a_live_server(live: tuple[str, str, str]) -> None:
    base, token, url = live
    found = examples()
    assert len(found) >= 5, "the README's examples were not found"
    for example in found:
        done = _run(example, base, token, url)
        assert done.returncode == 0, f"{example.name} failed:\n{example.code}\n{done.stdout}\n{done.stderr}"
        if example.prints is not None:
            assert _words(done.stdout) == _words(example.prints), f"{example.name} printed:\n{done.stdout}"
