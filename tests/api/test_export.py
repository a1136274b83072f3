"""Lists as files: CSV and NDJSON streamed, with the list's filters, and HXL hashtags on request."""

import csv
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api import export
from app.demo import load_demo
from tests.api.helpers import assert_problem


def test_figures_as_csv_with_claimants_and_filters(client: TestClient, engine: Engine) -> None:
    load_demo(engine)
    response = client.get("/figures", params={"format": "csv", "metric": "killed"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 5
    five = next(r for r in rows if r["low"] == "5.0")
    assert five["claimant_name"] == "Maria Zakharova" and five["modality"] == "hedged" and five["high"] == "5.0"
    assert next(r for r in rows if r["bound"] == "gt")["high"] == ""  # unbounded


def test_ndjson_by_accept_header_and_every_row_past_one_chunk(
    client: TestClient, engine: Engine, monkeypatch: object
) -> None:
    load_demo(engine)
    setattr(export, "CHUNK", 2)  # noqa: B010 - a small chunk proves rows stream across chunks
    try:
        response = client.get("/sources", headers={"Accept": "application/x-ndjson"})
    finally:
        setattr(export, "CHUNK", 5000)  # noqa: B010
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == client.get("/sources").json()["total"] == 10
    assert [line["id"] for line in lines] == sorted(line["id"] for line in lines)


def test_hxl_row_under_the_header(client: TestClient, engine: Engine) -> None:
    load_demo(engine)
    lines = client.get("/figures", params={"format": "csv", "hxl": True}).text.splitlines()
    header, tags = lines[0].split(","), lines[1].split(",")
    assert tags[header.index("low")] == "#affected+num+min" and tags[header.index("claimant_name")].startswith("#org")
    assert_problem(client.get("/figures", params={"format": "ndjson", "hxl": True}), 422, "hxl")


def test_unknown_format_is_422(client: TestClient) -> None:
    assert_problem(client.get("/events", params={"format": "xlsx"}), 422, "query.format")
