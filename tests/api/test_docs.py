"""The OpenAPI document: valid 3.1, every operation summarised, described and exemplified;
every setting in the README."""

from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_openapi_is_3_1_and_every_operation_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert op.get("summary"), f"{method.upper()} {path} has no summary"
            assert op.get("description"), f"{method.upper()} {path} has no description"


def test_every_request_body_has_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            body = op.get("requestBody")
            if not body or method == "patch":
                continue
            content = body["content"].get("application/json") or next(iter(body["content"].values()))
            ref = content.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
            has_example = "examples" in content or "examples" in schemas.get(ref, {}) or "example" in content
            assert has_example, f"{method.upper()} {path} has no example"


def test_docs_page_is_served(client: TestClient) -> None:
    assert "swagger" in client.get("/docs").text.lower()


def test_every_setting_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        env = "DATABASE_URL" if name == "database_url" else f"COUNTERCHECK_{name.upper()}"
        assert env in readme, f"setting {env} is not documented in the README"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_readme_shows_every_vague_quantity_and_bound() -> None:
    from app.domain.intervals import Bound
    from app.domain.wording import VAGUE_QUANTITIES

    readme = README.read_text(encoding="utf-8")
    for words in VAGUE_QUANTITIES:
        assert f"| {words} |" in readme, f"vague quantity {words!r} missing from the README table"
    for bound in Bound:
        assert f"| {bound.value} |" in readme, f"bound {bound.value} missing from the README table"


def test_every_error_is_documented_as_problem_json_only(client: TestClient) -> None:
    """Declared by each route (``responses=``, ``app.api.problems.ProblemRoute``), never patched in:
    no error answer is documented as ``application/json``, and every body can be refused as a 400."""
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if status.startswith("4") and "content" in answer:
                    assert set(answer["content"]) == {"application/problem+json"}, (method, path, status)
            if "requestBody" in operation:
                assert "400" in operation["responses"], (method, path)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
