"""Keys and roles: writes need a write key, key management an admin key, reads are open unless
closed by a setting; 401 and 403 are problem+json."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.api.access import LEVELS
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


# --- the matrix: every operation of the OpenAPI document, as each kind of caller -----------------
RANKS = {"public": 0, "read": 1, "write": 2, "admin": 3}
PREVIEWS = {("POST", "/figures/parse"), ("POST", "/extract")}  # POSTs that store nothing


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _routes(routes: list[Any]) -> Iterator[Any]:
    """Every route, also those of included routers (which FastAPI keeps under their router)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from _routes(included.routes) if included is not None else [route]


def declared_levels() -> dict[tuple[str, str], str | None]:
    """(method, path) -> the strictest access level the route declares (None: none declared)."""
    found: dict[tuple[str, str], str | None] = {}
    for route in _routes(create_app().routes):
        if isinstance(route, APIRoute):
            levels = [LEVELS[c] for c in _calls(route.dependant) if c in LEVELS]
            for method in route.methods:
                found[(method, route.path_format)] = max(levels, key=RANKS.__getitem__) if levels else None
    return found


def expected_level(method: str, path: str) -> str:
    """What each operation should need, from what it does (independent of how routes declare it)."""
    if path in {"/healthz", "/readyz"}:
        return "public"
    if path.startswith("/keys") or path.endswith("/purge"):
        return "admin"
    if method in {"GET", "HEAD"} or (method, path) in PREVIEWS:
        return "read"
    return "write"


def test_every_operation_declares_the_access_it_needs(client: TestClient) -> None:
    levels = declared_levels()
    operations = {(m.upper(), p) for p, item in client.get("/openapi.json").json()["paths"].items() for m in item}
    assert operations <= set(levels)
    wrong = {op: levels[op] for op in operations if levels[op] != expected_level(*op)}
    assert not wrong, f"operations whose declared access differs from what they do: {wrong}"


def _call(app_client: TestClient, method: str, path: str, token: str | None) -> int:
    url = path.replace("{ident}", "1").replace("{alias_id}", "1").replace("{name}", "killed")
    headers = {"X-API-Key": token} if token else {}
    body = {} if method in {"POST", "PATCH", "PUT"} else None
    return app_client.request(method, url, json=body, headers=headers).status_code


def test_access_matrix_over_every_operation(client: TestClient, closed: TestClient) -> None:
    """With reads closed: anonymous callers get 401 everywhere but /healthz and /readyz, a read key
    403 on writes and key management, a write key 403 on key management only."""
    tokens = {role: key(client, f"matrix-{role}", role) for role in ("read", "write")}
    refused: list[str] = []
    for (method, path), level in sorted(declared_levels().items()):
        assert level is not None
        for caller, token in (("anonymous", None), ("read", tokens["read"]), ("write", tokens["write"])):
            status = _call(closed, method, path, token)
            rank = RANKS["public"] if caller == "anonymous" else RANKS[caller]
            want = None if RANKS[level] <= rank else (401 if caller == "anonymous" else 403)
            if (want is None and status in (401, 403)) or (want is not None and status != want):
                refused.append(f"{method} {path} as {caller}: {status}, expected {want or 'neither 401 nor 403'}")
    assert not refused, "\n".join(refused)
