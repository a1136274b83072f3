"""Operability: the Prometheus exposition, request ids, JSON access logs."""

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from app.api import problems
from app.logs import JsonFormatter, StderrHandler, configure_logging
from app.main import create_app
from tests.api.helpers import event

ROOT = Path(__file__).resolve().parents[2]
METRICS = "/prometheus"
HEX_ID = re.compile(r"[0-9a-f]{32}")


def samples(client: TestClient, name: str) -> list[Sample]:
    response = client.get(METRICS)
    assert response.status_code == 200
    return [s for family in text_string_to_metric_families(response.text) for s in family.samples if s.name == name]


def requests_counted(client: TestClient, route: str, status: str = "2xx") -> float:
    labels = {"method": "GET", "route": route, "status": status}
    return sum(s.value for s in samples(client, "countercheck_http_requests_total") if s.labels == labels)


def test_metrics_are_prometheus_text(client: TestClient) -> None:
    response = client.get(METRICS)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    kinds = {family.name: family.type for family in text_string_to_metric_families(response.text)}
    assert kinds["countercheck_http_requests"] == "counter"
    assert kinds["countercheck_http_request_duration_seconds"] == "histogram"
    assert "process_cpu_seconds" in kinds  # the process's own metrics


def test_a_route_is_counted_and_timed_by_its_template(client: TestClient) -> None:
    ident = event(client)["id"]
    before = requests_counted(client, "/events/{ident}/figures")
    assert client.get(f"/events/{ident}/figures").status_code == 200
    assert requests_counted(client, "/events/{ident}/figures") == before + 1
    buckets = samples(client, "countercheck_http_request_duration_seconds_bucket")
    timed = [s for s in buckets if s.labels["route"] == "/events/{ident}/figures" and s.labels["status"] == "2xx"]
    assert {s.labels["le"] for s in timed} >= {"0.005", "1.0", "+Inf"}


def test_labels_hold_templates_never_raw_paths(client: TestClient) -> None:
    ident = event(client)["id"]
    client.get(f"/events/{ident}")
    client.get("/events/2147483647")  # a 404 on a known route
    client.get(f"/no/such/path/{ident}")  # no route at all
    routes = {s.labels["route"] for s in samples(client, "countercheck_http_requests_total")}
    assert {"/events/{ident}", "unmatched"} <= routes
    assert not any(re.search(r"/\d+(/|$)", route) for route in routes), routes
    assert METRICS not in routes  # the scrapes themselves are not counted


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.2_b"}).headers["X-Request-ID"] == "edge-7f3a.2_b"
    first, second = (client.get("/healthz").headers["X-Request-ID"] for _ in range(2))
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second) and first != second


@pytest.mark.parametrize("insane", ["has space", "a" * 65, "semi;colon", "../etc/passwd", "", "caf\u00e9"])
def test_an_insane_request_id_is_replaced(client: TestClient, insane: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": insane.encode("latin-1")})
    assert HEX_ID.fullmatch(response.headers["X-Request-ID"])


def test_one_json_access_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="countercheck.access")
    response = client.post("/events", json={"name": "Shelling of Douma"}, headers={"X-Request-ID": "req-1"})
    lines = [r for r in caplog.records if r.name == "countercheck.access" and getattr(r, "request_id", "") == "req-1"]
    assert len(lines) == 1
    line = json.loads(JsonFormatter().format(lines[0]))
    assert line["time"].startswith(response.json()["created_at"][:4])
    assert {k: line[k] for k in ("level", "method", "path", "route", "status", "actor")} == {
        "level": "INFO",
        "method": "POST",
        "path": "/events",
        "route": "/events",
        "status": 201,
        "actor": "test-admin",  # the name of the key the client fixture sends
    }
    assert line["request_id"] == response.headers["X-Request-ID"] == "req-1"
    assert line["duration_ms"] > 0 and line["client"]


def test_scrapes_are_not_logged_at_info(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="countercheck.access")
    client.get(METRICS)
    assert not [r for r in caplog.records if r.name == "countercheck.access"]


@pytest.fixture
def failing(db_url: str) -> Iterator[TestClient]:
    """The app with one extra route that fails, answered 500 by the app's last-resort handler."""
    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_errors_logged_by_the_app_carry_the_request_id(failing: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="countercheck")
    assert failing.get("/boom", headers={"X-Request-ID": "trace-500"}).status_code == 500
    errors = [r for r in caplog.records if r.name == problems.log.name and r.levelno == logging.ERROR]
    assert [getattr(r, "request_id", None) for r in errors] == ["trace-500"]
    access = [r for r in caplog.records if r.name == "countercheck.access"]
    assert [(getattr(r, "status", None), getattr(r, "request_id", None)) for r in access] == [(500, "trace-500")]


def test_text_format_writes_to_stderr_when_nothing_else_is_configured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    logger = logging.getLogger("countercheck")
    level = logger.level
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as under plain uvicorn
    try:
        configure_logging("text", "WARNING")
        configure_logging("text", "WARNING")  # a second start replaces, never duplicates
        assert sum(isinstance(h, StderrHandler) for h in logger.handlers) == 1
        logger.info("hidden")
        logger.warning("shown %s", 1)
    finally:
        for handler in [h for h in logger.handlers if isinstance(h, StderrHandler)]:
            logger.removeHandler(handler)
        logger.setLevel(level)
    err = capsys.readouterr().err
    assert "hidden" not in err and re.search(r"WARNING countercheck \[None\] shown 1\n$", err), err


SCRIPT = """
import sys
from fastapi.testclient import TestClient
from app.main import create_app
client = TestClient(create_app())
for _ in range(int(sys.argv[1])):
    client.get("/healthz")
if len(sys.argv) > 2:
    sys.stdout.write(client.get("/prometheus").text)
"""


@pytest.mark.slow
def test_several_workers_are_summed_in_multiprocess_mode(db_url: str, tmp_path: Path) -> None:
    shared = tmp_path / "prometheus"  # a directory of its own: every *.db file in it is read as metrics
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared), "PYTHONPATH": str(ROOT)}

    def worker(*args: str) -> str:
        done = subprocess.run([sys.executable, "-c", SCRIPT, *args], env=env, capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        return done.stdout

    worker("2")
    text = worker("3", "scrape")
    assert 'countercheck_http_requests_total{method="GET",route="/healthz",status="2xx"} 5.0' in text


def test_every_response_carries_nosniff_and_forbids_framing(client: TestClient) -> None:
    for path in ("/sources", "/healthz", "/openapi.json", "/docs", "/sources/999", "/events/1/report"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
    assert "default-src 'none'" in client.get("/sources").headers["content-security-policy"]


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    client.post("/sources", json={"name": "Airwars"})
    got, head = client.get("/sources/1"), client.head("/sources/1")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == str(len(got.content))
    assert client.head("/sources/999").status_code == 404


def test_a_literal_path_is_not_read_as_an_id(client: TestClient) -> None:
    """PATCH /figures/parse is a method /figures/parse does not allow, not a figure id to validate."""
    assert client.patch("/figures/parse", json={}).status_code == 405
    assert client.delete("/sources/compare").status_code == 405
    assert client.get("/sources/not-a-number").status_code == 404
