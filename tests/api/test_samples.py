"""The sample files of docs/samples import as the README says."""

from pathlib import Path

from fastapi.testclient import TestClient

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def test_the_long_format_csv_sample_imports(client: TestClient) -> None:
    body = (SAMPLES / "figures-long.csv").read_bytes()
    response = client.post("/figures/import", content=body, headers={"content-type": "text/csv"})
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["created"]["figures"], result["rejected"], result["unread"]) == (8, 0, 0)
    figures = {f["text"] or f"{f['metric']} {f['low']:g}": f for f in client.get("/figures").json()["items"]}
    assert figures["at least 1170 (visually confirmed)"]["bound"] == "ge"
    assert (figures["about 2800"]["low"], figures["about 2800"]["high"]) == (2240, 3360)
    assert figures["more than 11000"]["low"] == 11001
    assert (figures["up to 50"]["bound"], figures["up to 50"]["high"]) == ("le", 50)
    tonnes = figures["between 1200 to 1500"]
    assert (tonnes["unit"], tonnes["bound"], tonnes["period"]) == ("tonnes", "range", "event")
    assert figures["evacuated 300"]["period"] == "day"


def test_the_ndjson_sample_imports(client: TestClient) -> None:
    body = (SAMPLES / "batch.ndjson").read_bytes()
    response = client.post("/import", content=body, headers={"content-type": "application/x-ndjson"})
    assert response.status_code == 201, response.text
    assert response.json()["created"]["figures"] == 3
    sources = {f["interval_source"] for f in client.get("/figures").json()["items"]}
    assert sources == {"read", "given"}  # "somewhere between 80 and 120 fighters" kept with its explicit range


def test_the_json_sample_imports(client: TestClient) -> None:
    body = (SAMPLES / "batch.json").read_bytes()
    response = client.post("/import", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 201, response.text
    assert response.json()["created"]["claims"] == 2 and response.json()["created"]["figures"] == 2
