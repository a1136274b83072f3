"""The wording preview and re-deriving stored intervals under a new tolerance."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.demo import load_demo
from tests.api.helpers import assert_problem


def test_parse_one_phrase_explains_its_reading(client: TestClient) -> None:
    response = client.post("/figures/parse", json={"text": "more than 200 contract soldiers"})
    assert response.status_code == 200
    reading = response.json()["items"][0]["reading"]
    assert (reading["bound"], reading["low"], reading["high"]) == ("gt", 201, None)
    assert reading["counted"] == "contract soldiers"
    assert "201" in reading["explanation"]


def test_parse_batch_keeps_order_and_reports_each_failure(client: TestClient) -> None:
    body = client.post("/figures/parse", json={"text": ["around 100", "heavy losses", "a dozen"]}).json()
    first, second, third = body["items"]
    assert (first["reading"]["low"], first["reading"]["high"]) == (80, 120)
    assert second["reading"] is None and "heavy losses" in second["error"]["text"]
    assert (third["reading"]["bound"], third["reading"]["low"]) == ("exact", 12)


def test_parse_unreadable_single_phrase_is_422_naming_words(client: TestClient) -> None:
    body = assert_problem(client.post("/figures/parse", json={"text": "many"}), 422)
    assert "many" in body["detail"] or body.get("words") == "many"


def test_parse_uses_the_requested_tolerance(client: TestClient) -> None:
    reading = client.post("/figures/parse", json={"text": "around 100", "tolerance": 0.1}).json()["items"][0]
    assert (reading["reading"]["low"], reading["reading"]["high"], reading["reading"]["tolerance"]) == (90, 110, 0.1)


def test_parse_relative_with_reference(client: TestClient) -> None:
    body = {"text": "more than double that number", "reference": {"low": 80, "high": 120}}
    reading = client.post("/figures/parse", json=body).json()["items"][0]["reading"]
    assert (reading["bound"], reading["factor"], reading["low"], reading["high"]) == ("relative", 2, 161, None)


def test_parse_refuses_a_tolerance_of_one_and_oversized_batches(client: TestClient) -> None:
    assert_problem(client.post("/figures/parse", json={"text": "about 5", "tolerance": 1}), 422, "tolerance")
    assert_problem(client.post("/figures/parse", json={"text": ["5"] * 1001}), 422, "text")


def test_figure_created_with_its_own_tolerance_records_it(client: TestClient, engine: Engine) -> None:
    ids = load_demo(engine)
    claims = client.get("/claims", params={"document_id": ids["document_id"]}).json()["items"]
    body = {
        "claim_id": claims[0]["id"],
        "event_id": ids["event_id"],
        "metric": "missing",
        "text": "about 50",
        "tolerance": 0.1,
    }
    figure = client.post("/figures", json=body).json()
    assert (figure["low"], figure["high"], figure["tolerance"]) == (45, 55, 0.1)


def test_rederive_moves_approximate_and_relative_figures_only(client: TestClient, engine: Engine) -> None:
    ids = load_demo(engine)
    response = client.post("/figures/rederive", json={"tolerance": 0.1})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["examined"] >= 1 and result["changed"] >= 1
    figures = {f["text"]: f for f in client.get(f"/events/{ids['event_id']}/figures").json()["items"]}
    assert (figures["around 100"]["low"], figures["around 100"]["high"]) == (90, 110)
    assert figures["around 100"]["tolerance"] == 0.1
    assert figures["more than double that number"]["low"] == 181  # 2 x 90 + 1
    assert figures["more than 200 contract soldiers"]["low"] == 201


def test_parse_a_number_beyond_the_cap_is_422_not_500(client: TestClient) -> None:
    for text in ["9" * 400, "٣" * 200, "at least " + "9" * 30]:
        body = assert_problem(client.post("/figures/parse", json={"text": text}), 422)
        assert "beyond the largest figure accepted" in body["detail"] or "only the digits 0-9" in body["detail"]


def test_parse_a_million_and_a_half(client: TestClient) -> None:
    reading = client.post("/figures/parse", json={"text": "a million and a half people"}).json()["items"][0]["reading"]
    assert (reading["bound"], reading["low"], reading["high"]) == ("exact", 1_500_000, 1_500_000)
