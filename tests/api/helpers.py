"""Small builders for API tests: each creates one record through the API and returns its body."""

from typing import Any

from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def created(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def source(client: TestClient, name: str = "Bloomberg", **fields: Any) -> dict[str, Any]:
    return created(client, "/sources", {"name": name, "kind": "outlet", **fields})


def event(client: TestClient, name: str = "Strike near Deir ez-Zor", **fields: Any) -> dict[str, Any]:
    return created(client, "/events", {"name": name, **fields})


def scope(client: TestClient, name: str = "attacking force", **fields: Any) -> dict[str, Any]:
    return created(client, "/scopes", {"name": name, **fields})


def claim(
    client: TestClient, claimant_id: int, figures: list[dict[str, Any]] | None = None, **fields: Any
) -> dict[str, Any]:
    return created(client, "/claims", {"claimant_id": claimant_id, "figures": figures or [], **fields})


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The one error shape: problem+json with type, title, status, detail (and the field at fault)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"].startswith("https://")
    if field is not None:
        fields = [e["field"] for e in body.get("errors", [])] + [body.get("field")]
        assert field in fields, body
    return body


def fit_bias(client: TestClient) -> dict[str, Any]:
    """Fit the reporting-bias model now (``POST /bias/fit``); the fit must succeed."""
    response = client.post("/bias/fit")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "ok", body
    return body
