"""Body size limit (413 without reading the body whole) and CORS, both settings."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app
from tests.api.helpers import assert_problem


@pytest.fixture
def small(db_url: str, admin_token: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("COUNTERCHECK_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("COUNTERCHECK_CORS_ORIGINS", '["https://newsroom.example"]')
    get_settings.cache_clear()
    with TestClient(create_app(), headers={"Authorization": f"Bearer {admin_token}"}) as client:
        yield client
    get_settings.cache_clear()


def test_oversize_body_is_413_and_stores_nothing(small: TestClient) -> None:
    response = small.post("/documents", json={"title": "big", "text": "x" * 5000})
    assert_problem(response, 413)
    assert small.get("/documents").json()["total"] == 0


def test_oversize_streamed_body_without_length_is_413(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "big", "text": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    response = small.post("/documents", content=chunks(), headers={"content-type": "application/json"})
    assert_problem(response, 413)


def test_body_under_the_limit_goes_through(small: TestClient) -> None:
    assert small.post("/documents", json={"title": "small", "text": "x" * 500}).status_code == 201


def test_cors_allows_configured_origins_only(small: TestClient) -> None:
    allowed = small.options(
        "/sources", headers={"Origin": "https://newsroom.example", "Access-Control-Request-Method": "POST"}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://newsroom.example"
    other = small.get("/sources", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
