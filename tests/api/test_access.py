"""Keys and roles: writes need a write key, key management an admin key, reads are open unless
closed by a setting; 401 and 403 are problem+json."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app
from tests.api.helpers import assert_problem


def key(client: TestClient, name: str, role: str) -> str:
    response = client.post("/keys", json={"name": name, "role": role})
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def test_reads_are_open_and_writes_need_a_key(client: TestClient, anonymous: TestClient) -> None:
    assert anonymous.get("/sources").status_code == 200
    assert anonymous.post("/figures/parse", json={"text": "about 5"}).status_code == 200
    response = anonymous.post("/sources", json={"name": "X"})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/sources").json()["total"] == 0  # nothing was written


def test_read_key_cannot_write_and_write_key_cannot_manage_keys(client: TestClient, anonymous: TestClient) -> None:
    reader, writer = key(client, "reader", "read"), key(client, "writer", "write")
    assert_problem(anonymous.post("/sources", json={"name": "X"}, headers={"X-API-Key": reader}), 403)
    assert anonymous.post("/sources", json={"name": "X"}, headers={"X-API-Key": writer}).status_code == 201
    assert_problem(anonymous.post("/keys", json={"name": "k", "role": "admin"}, headers={"X-API-Key": writer}), 403)
    assert_problem(anonymous.get("/keys", headers={"Authorization": f"Bearer {writer}"}), 403)


def test_tokens_are_shown_once_and_stored_hashed(client: TestClient) -> None:
    token = key(client, "bot", "write")
    listed = client.get("/keys").json()
    assert all("token" not in k and "hash" not in k for k in listed)
    assert any(k["name"] == "bot" and token.startswith(k["prefix"]) for k in listed)


def test_revoked_and_unknown_keys_are_401(client: TestClient, anonymous: TestClient) -> None:
    token = key(client, "temp", "write")
    ident = next(k["id"] for k in client.get("/keys").json() if k["name"] == "temp")
    assert client.delete(f"/keys/{ident}").json()["revoked_at"] is not None
    assert_problem(anonymous.post("/sources", json={"name": "X"}, headers={"X-API-Key": token}), 401)
    assert_problem(anonymous.get("/sources", headers={"X-API-Key": "cc_not-a-key"}), 401)


def test_duplicate_key_name_is_409(client: TestClient) -> None:
    key(client, "same", "read")
    assert_problem(client.post("/keys", json={"name": "same", "role": "read"}), 409, "name")


@pytest.fixture
def closed(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("COUNTERCHECK_OPEN_READS", "false")
    get_settings.cache_clear()
    with TestClient(create_app()) as test_client:
        yield test_client
    get_settings.cache_clear()


def test_reads_can_be_closed_by_a_setting(closed: TestClient, admin_token: str) -> None:
    assert_problem(closed.get("/sources"), 401)
    assert closed.get("/sources", headers={"X-API-Key": admin_token}).status_code == 200
    assert closed.get("/healthz").status_code == 200


def test_openapi_declares_both_key_schemes(client: TestClient) -> None:
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
